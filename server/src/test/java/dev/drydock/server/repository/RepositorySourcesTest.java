package dev.drydock.server.repository;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.egress.EgressGuard;
import dev.drydock.server.testing.Poll;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Local roots and allowed git hosts a drydock-admin adds at runtime: effective at once, audited, admins only. */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class RepositorySourcesTest {
    private static final String SOURCES = "/api/admin/repository-sources";

    @Inject
    AuditTrail audit;

    @Inject
    EgressGuard egress;

    @Test
    void shouldRegisterByPathUnderLocalRootAddedAtRuntimeWhenNoRestartHappened() throws Exception {
        // Given a git repository in a folder outside the configured roots, which alice adds as a local root
        Path root = Files.createDirectories(Path.of(
                        "target",
                        "runtime-roots",
                        "registered-" + ProcessHandle.current().pid()))
                .toRealPath();
        Path repo = gitRepository(root.resolve("app"));
        long before = audit.verify().checked();
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("path", root.toString()))
                .when()
                .post(SOURCES + "/local-roots")
                .then()
                .statusCode(200);

        // When
        var registered = given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("name", "app", "path", repo.toString(), "branch", "main"))
                .when()
                .post("/api/workspaces/sources-test/repositories");

        // Then
        registered.then().statusCode(201).body("path", equalTo(repo.toString()));
        given().auth()
                .oauth2(Tokens.of("alice"))
                .when()
                .get(SOURCES)
                .then()
                .statusCode(200)
                .body("localRoots.value", hasItem(root.toString()))
                .body("localRoots.find { it.value == '" + root + "' }.origin", equalTo("runtime"))
                .body("localRoots.find { it.value == '" + root + "' }.addedBy", equalTo("alice"))
                .body("localRoots.origin", hasItem("config"));
        assertThat(audit.page(before, 1000, null)).anySatisfy(r -> {
            assertThat(r.action()).isEqualTo("repository-source.added");
            assertThat(r.target()).isEqualTo("local-root " + root);
        });
        Poll.until(
                () -> given().auth()
                        .oauth2(Tokens.of("alice"))
                        .when()
                        .get("/api/workspaces/sources-test/repositories/app")
                        .path("status"),
                "ready"::equals,
                Duration.ofSeconds(120));
    }

    @Test
    void shouldRegisterByUrlOnHostAllowedAtRuntimeAndReportTheFetchFailure() throws Exception {
        // Given alice allows a git host that no resolver knows (the .invalid domain never resolves), so the fetch fails
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("host", "Git.Runtime.Invalid"))
                .when()
                .post(SOURCES + "/allowed-hosts")
                .then()
                .statusCode(200);

        // When
        var registered = given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("name", "remote", "url", "http://git.runtime.invalid/team/remote.git"))
                .when()
                .post("/api/workspaces/sources-test/repositories");

        // Then
        registered.then().statusCode(201).body("url", equalTo("http://git.runtime.invalid/team/remote.git"));
        assertThat(egress.isAllowed("git.runtime.invalid")).isTrue();
        String detail = Poll.until(
                        () -> given().auth()
                                .oauth2(Tokens.of("alice"))
                                .when()
                                .get("/api/workspaces/sources-test/repositories/remote"),
                        r -> "failed".equals(r.path("status")),
                        Duration.ofSeconds(60),
                        r -> r.asString())
                .path("statusDetail");
        assertThat(detail).isNotBlank();
        given().auth()
                .oauth2(Tokens.of("alice"))
                .when()
                .get(SOURCES)
                .then()
                .body("allowedHosts.value", hasItem("git.runtime.invalid"));
    }

    @Test
    void shouldRefuseRegistrationByUrlWhenItsRuntimeHostWasRemoved() {
        // Given a host alice allowed, then removed
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("host", "git.removed.example"))
                .when()
                .post(SOURCES + "/allowed-hosts")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(Tokens.of("alice"))
                .when()
                .delete(SOURCES + "/allowed-hosts/git.removed.example")
                .then()
                .statusCode(200)
                .body("allowedHosts.value", not(hasItem("git.removed.example")));

        // When
        var refused = given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("name", "gone", "url", "https://git.removed.example/team/gone.git"))
                .when()
                .post("/api/workspaces/sources-test/repositories");

        // Then
        refused.then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:drydock:problem:host-not-allowed"));
        assertThat(egress.isAllowed("git.removed.example")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"wanda", "mike", "vera"})
    void shouldRefuseChangesWhenCallerIsNotDrydockAdmin(String user) throws Exception {
        // Given a folder that would be a valid local root
        Path root = Files.createDirectories(Path.of("target", "runtime-roots", "refused-" + user))
                .toRealPath();

        // When
        var refused = given().auth()
                .oauth2(Tokens.of(user))
                .contentType(ContentType.JSON)
                .body(Map.of("path", root.toString()))
                .when()
                .post(SOURCES + "/local-roots");

        // Then
        refused.then().statusCode(403).contentType("application/problem+json");
        given().auth()
                .oauth2(Tokens.of(user))
                .contentType(ContentType.JSON)
                .body(Map.of("host", "git.refused.example"))
                .when()
                .post(SOURCES + "/allowed-hosts")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().auth().oauth2(Tokens.of(user)).when().get(SOURCES).then().statusCode(403);
        given().auth()
                .oauth2(Tokens.of("alice"))
                .when()
                .get(SOURCES)
                .then()
                .statusCode(200)
                .body("localRoots.value", not(hasItem(root.toString())))
                .body("allowedHosts.value", not(hasItem("git.refused.example")));
    }

    @Test
    void shouldAnswerFieldErrorWhenLocalRootIsRelative() {
        // When
        var refused = given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("path", "srv/git"))
                .when()
                .post(SOURCES + "/local-roots");

        // Then
        refused.then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("path"))
                .body("detail", containsString("absolute"));
    }

    @Test
    void shouldRefuseFileSystemRootAsLocalRoot() {
        // When
        var refused = given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("path", "/"))
                .when()
                .post(SOURCES + "/local-roots");

        // Then
        refused.then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("root of the file system"));
    }

    @Test
    void shouldAnswerFieldErrorWhenHostHasSchemeOrPort() {
        // When
        var refused = given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("host", "https://git.example:443"))
                .when()
                .post(SOURCES + "/allowed-hosts");

        // Then
        refused.then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("host"));
    }

    @Test
    void shouldRefuseRemovingConfiguredHost() {
        // When
        var refused = given().auth()
                .oauth2(Tokens.of("alice"))
                .when()
                .delete(SOURCES + "/allowed-hosts/git.internal.example");

        // Then
        refused.then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("configuration"));
        assertThat(egress.isAllowed("git.internal.example")).isTrue();
    }

    static Path gitRepository(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(
                dir.resolve("src/Greeter.java"),
                "/** Greets people. */\npublic class Greeter {\n    String greet(String name) { return \"Hello \" + name; }\n}\n");
        Files.writeString(dir.resolve("README.md"), "# Greeter\n");
        try (Git git =
                Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit()
                    .setMessage("Greeter")
                    .setAuthor("t", "t@example.test")
                    .setCommitter("t", "t@example.test")
                    .call();
        }
        return dir;
    }
}
