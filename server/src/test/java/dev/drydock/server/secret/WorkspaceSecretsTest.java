package dev.drydock.server.secret;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Workspace secrets: stored by workspace admins, encrypted at rest, listed by name only, audited. */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class WorkspaceSecretsTest {
    private static final String VALUE = "glpat-never-shown-4711";

    @Inject
    DataSource dataSource;

    @Inject
    AuditTrail audit;

    @Inject
    WorkspaceSecrets secrets;

    @Inject
    SecretConfig config;

    @Test
    void shouldStoreEncryptedAndNeverReturnValueWhenWorkspaceAdminPutsSecret() throws Exception {
        // Given
        long before = audit.verify().checked();

        // When
        Response stored = given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of("value", VALUE))
                .when()
                .put("/api/workspaces/demo/secrets/git-token");

        // Then
        stored.then().statusCode(200).body("name", equalTo("git-token")).body("createdBy", equalTo("wanda"));
        assertThat(stored.asString()).doesNotContain(VALUE);
        String listed = given().auth()
                .oauth2(Tokens.of("wanda"))
                .when()
                .get("/api/workspaces/demo/secrets")
                .then()
                .statusCode(200)
                .body("name", hasItem("git-token"))
                .extract()
                .asString();
        assertThat(listed).doesNotContain(VALUE);
        try (var c = dataSource.getConnection();
                var ps = c.prepareStatement(
                        "select ciphertext from workspace_secret where workspace = 'demo' and name = 'git-token'");
                var rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(new String(rs.getBytes(1), StandardCharsets.ISO_8859_1)).doesNotContain(VALUE);
        }
        assertThat(secrets.reveal("demo", "git-token")).contains(VALUE);
        assertThat(secrets.reveal("other", "git-token")).isEmpty();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(config.keyFile()))))
                .isEqualTo("rw-------");
        assertThat(audit.page(before, 1000, "demo")).anySatisfy(r -> {
            assertThat(r.action()).isIn("workspace-secret.stored", "workspace-secret.replaced");
            assertThat(r.target()).isEqualTo("demo/git-token");
            assertThat(r.details()).doesNotContain(VALUE);
        });
    }

    @ParameterizedTest
    @CsvSource({"mike, 403", "vera, 403", "otto, 404"})
    void shouldRefuseSecretChangesWhenCallerIsNotWorkspaceAdmin(String user, int status) {
        // When
        Response r = given().auth()
                .oauth2(Tokens.of(user))
                .contentType(ContentType.JSON)
                .body(Map.of("value", "x"))
                .when()
                .put("/api/workspaces/demo/secrets/sneaky");

        // Then
        r.then().statusCode(status).contentType("application/problem+json");
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .when()
                .get("/api/workspaces/demo/secrets")
                .then()
                .statusCode(200)
                .body("name", not(hasItem("sneaky")));
    }

    @Test
    void shouldRemoveSecretAndAnswer404WhenDeletedTwice() {
        // Given
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of("value", "short-lived"))
                .when()
                .put("/api/workspaces/demo/secrets/temporary")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .when()
                .delete("/api/workspaces/demo/secrets/temporary")
                .then()
                .statusCode(204);

        // When
        Response again =
                given().auth().oauth2(Tokens.of("wanda")).when().delete("/api/workspaces/demo/secrets/temporary");

        // Then
        again.then().statusCode(404).contentType("application/problem+json");
        assertThat(secrets.reveal("demo", "temporary")).isEmpty();
    }

    @Test
    void shouldAnswer400WhenValueIsMissing() {
        // When
        Response r = given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of())
                .when()
                .put("/api/workspaces/demo/secrets/empty");

        // Then
        r.then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("value"));
    }
}
