package dev.drydock.server.repository;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15, hole 5, through the real API: repository credentials name a secret of the workspace
 * (never a server environment variable, never another workspace's secret), travel only over
 * https/ssh; local repositories may not borrow git data from outside their folder, and a local root
 * limited to workspaces serves only those.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class RepositoryCredentialsTest {
    private static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "drydock-test-repos");

    private static Response register(String user, String workspace, Map<String, Object> body) {
        return given().auth()
                .oauth2(Tokens.of(user))
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/workspaces/" + workspace + "/repositories");
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PATH", "HOME", "DRYDOCK_DB_PASSWORD", "DRYDOCK_PORTAL_SECRET"})
    void shouldRefuseServerEnvironmentVariableWhenNamedAsCredentialsSecret(String variable) {
        // When
        Response r = register(
                "wanda",
                "demo",
                Map.of(
                        "name",
                        unique("env"),
                        "url",
                        "https://git.internal.example/team/app.git",
                        "credentialsSecret",
                        variable));

        // Then
        r.then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("credentialsSecret"))
                .body("detail", containsString("has no secret '" + variable + "'"));
    }

    @Test
    void shouldRefuseAnotherWorkspacesSecretWhenNamedAsCredentialsSecret() {
        // Given otto stores a token in his workspace "other"
        given().auth()
                .oauth2(Tokens.of("otto"))
                .contentType(ContentType.JSON)
                .body(Map.of("value", "other-team-token"))
                .when()
                .put("/api/workspaces/other/secrets/other-team-token")
                .then()
                .statusCode(200);

        // When wanda names it in demo
        Response r = register(
                "wanda",
                "demo",
                Map.of(
                        "name",
                        unique("steal"),
                        "url",
                        "https://git.internal.example/other/app.git",
                        "credentialsSecret",
                        "other-team-token"));

        // Then
        r.then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("credentialsSecret"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://git.internal.example/team/app.git", "git://git.internal.example/team/app.git"})
    void shouldRefuseCleartextUrlWhenCredentialIsSet(String url) {
        // Given
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of("value", "demo-token"))
                .when()
                .put("/api/workspaces/demo/secrets/demo-git")
                .then()
                .statusCode(200);

        // When
        Response r =
                register("wanda", "demo", Map.of("name", unique("clear"), "url", url, "credentialsSecret", "demo-git"));

        // Then
        r.then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("only sent over https:// or ssh://"));
    }

    @Test
    void shouldRegisterHttpsUrlWhenCredentialsSecretIsStoredInTheWorkspace() {
        // Given
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of("value", "demo-token"))
                .when()
                .put("/api/workspaces/demo/secrets/demo-https")
                .then()
                .statusCode(200);

        // When
        Response r = register(
                "wanda",
                "demo",
                Map.of(
                        "name",
                        unique("https"),
                        "url",
                        "https://git.internal.example/team/app.git",
                        "credentialsSecret",
                        "demo-https"));

        // Then
        r.then().statusCode(201);
        assertThat(r.asString()).doesNotContain("demo-token");
    }

    /** The ways a crafted repository under a local root can lead git to data outside it. */
    @ParameterizedTest
    @ValueSource(strings = {"alternates", "gitdir", "commondir", "objects-link", "refs-link"})
    void shouldRefuseLocalRepositoryWhenItsGitDataLeadsOutOfItsFolder(String craft) throws Exception {
        // Given a repository outside every local root, and one under the root crafted to borrow from it
        Path outside = Files.createTempDirectory("drydock-outside-");
        Path victim = RepositorySourcesTest.gitRepository(outside.resolve("victim"));
        Path crafted = ROOT.resolve(unique("crafted-" + craft));
        Files.createDirectories(ROOT);
        RepositorySourcesTest.gitRepository(crafted);
        Path gitDir = crafted.resolve(".git");
        switch (craft) {
            case "alternates" ->
                Files.writeString(gitDir.resolve("objects/info/alternates"), victim.resolve(".git/objects") + "\n");
            case "gitdir" -> {
                deleteTree(gitDir);
                Files.writeString(gitDir, "gitdir: " + victim.resolve(".git") + "\n");
            }
            case "commondir" ->
                Files.writeString(
                        gitDir.resolve("commondir"), victim.resolve(".git").toString() + "\n");
            case "objects-link" -> {
                deleteTree(gitDir.resolve("objects"));
                Files.createSymbolicLink(gitDir.resolve("objects"), victim.resolve(".git/objects"));
            }
            case "refs-link" ->
                Files.createSymbolicLink(gitDir.resolve("refs/heads/stolen"), victim.resolve(".git/refs/heads/main"));
            default -> throw new IllegalArgumentException(craft);
        }

        // When
        Response r = register("wanda", "demo", Map.of("name", unique("crafted"), "path", crafted.toString()));

        // Then
        r.then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("detail", anyOf(containsString("outside"), containsString("out of")));
    }

    @Test
    void shouldRefuseLocalRootWhenItIsLimitedToAnotherWorkspace() throws Exception {
        // Given alice adds a local root for workspace "other" only
        Path root = Files.createDirectories(Path.of("target", "limited-roots", unique("other-only")))
                .toRealPath();
        Path repo = RepositorySourcesTest.gitRepository(root.resolve("app"));
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("path", root.toString(), "workspaces", List.of("other")))
                .when()
                .post("/api/admin/repository-sources/local-roots")
                .then()
                .statusCode(200);

        // When wanda registers from it in demo
        Response r = register("wanda", "demo", Map.of("name", unique("limited"), "path", repo.toString()));

        // Then
        r.then().statusCode(422).contentType("application/problem+json");
        register("otto", "other", Map.of("name", unique("limited"), "path", repo.toString()))
                .then()
                .statusCode(201);
    }

    private static void deleteTree(Path dir) throws Exception {
        RepositoryMirror.deleteTree(dir);
    }
}
