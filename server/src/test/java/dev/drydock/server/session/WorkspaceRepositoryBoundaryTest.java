package dev.drydock.server.session;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, hole 6, through the real API: a session starts only from a repository of its own
 * workspace. A mirror placed directly under the mirror root (once shared by every workspace) or in
 * another workspace's folder of it is refused.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(DroidTestServices.class)
class WorkspaceRepositoryBoundaryTest {
    private static Response start(String user, String workspace, String repo) {
        return given().auth()
                .oauth2(Tokens.of(user))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "workspace",
                        workspace,
                        "droid",
                        "knowledge",
                        "task",
                        "[script:none] What is in it?",
                        "repo",
                        repo))
                .when()
                .post("/api/sessions");
    }

    @Test
    void shouldRefuseSessionWhenRepositoryLiesInTheSharedMirrorRoot() throws Exception {
        // Given a mirror directly under the mirror root, where every workspace used to find it
        if (!Files.exists(DroidTestServices.mirrorRoot.resolve("shared-calc.git"))) {
            DroidTestServices.sampleRepo(DroidTestServices.mirrorRoot.resolve("shared-calc.git"));
        }

        // When otto starts a session on it in his workspace
        Response r = start("otto", "other", "shared-calc");

        // Then
        r.then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("not a repository of workspace 'other'"));
    }

    @Test
    void shouldRefuseSessionWhenRepositoryBelongsToAnotherWorkspacesFolder() throws Exception {
        // Given a mirror only in demo's folder of the mirror root
        if (!Files.exists(DroidTestServices.mirrorRoot.resolve("demo/demo-only.git"))) {
            DroidTestServices.sampleRepo(DroidTestServices.mirrorRoot.resolve("demo/demo-only.git"));
        }

        // When otto asks for it in his workspace
        Response r = start("otto", "other", "demo-only");

        // Then
        r.then().statusCode(400).contentType("application/problem+json");
    }
}
