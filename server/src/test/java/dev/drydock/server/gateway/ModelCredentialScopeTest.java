package dev.drydock.server.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.egress.EgressGuard;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15, hole 9, through the real admin API: an endpoint's secretRef reads only variables with
 * the configured prefix and files in the configured secrets folder, and an endpoint's host joins the
 * egress allow-list only through the audited model-hosts action.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class ModelCredentialScopeTest {
    @Inject
    EgressGuard egress;

    @Inject
    AuditTrail audit;

    private static Response saveEndpoint(String name, String baseUrl, String secretRef) {
        return given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("baseUrl", baseUrl, "protocol", "openai-chat", "modelId", "m", "secretRef", secretRef))
                .when()
                .put("/api/admin/model-endpoints/" + name);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "env:DRYDOCK_DB_PASSWORD",
                "env:DRYDOCK_PORTAL_SECRET",
                "env:PATH",
                "file:/etc/passwd",
                "file:/proc/self/environ"
            })
    void shouldRefuseSecretRefOutsideSecretsScopeWhenAdminSavesEndpoint(String secretRef) {
        // When
        Response r = saveEndpoint("exfil", "http://127.0.0.1:9/v1", secretRef);

        // Then
        r.then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("secretRef"))
                .body(
                        "detail",
                        containsString(
                                secretRef.startsWith("env:")
                                        ? "DRYDOCK_MODEL_SECRET_"
                                        : "drydock.gateway.secrets-dir"));
        given().auth()
                .oauth2(Tokens.of("alice"))
                .when()
                .get("/api/admin/model-endpoints/exfil")
                .then()
                .statusCode(404);
    }

    @Test
    void shouldAcceptSecretRefWhenVariableHasTheModelSecretPrefix() {
        // When
        Response r = saveEndpoint("scoped-secret", "http://127.0.0.1:9/v1", "env:DRYDOCK_MODEL_SECRET_SCOPED");

        // Then
        r.then()
                .statusCode(200)
                .body("secretRef", equalTo("env:DRYDOCK_MODEL_SECRET_SCOPED"))
                .body("secretConfigured", equalTo(false));
    }

    @Test
    void shouldNotAllowEndpointHostWhenEndpointIsSaved() {
        // When
        Response r = saveEndpoint("far-away", "https://models.far-away.example/v1", "env:DRYDOCK_MODEL_SECRET_FAR");

        // Then
        r.then().statusCode(200);
        assertThat(egress.isAllowed("models.far-away.example")).isFalse();
    }

    @Test
    void shouldAllowModelHostAndAuditItWhenAdminAllowsItExplicitly() {
        // Given
        long before = audit.verify().checked();

        // When
        Response r = given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("host", "Models.Allowed.Example", "reason", "team model server, ticket OPS-1"))
                .when()
                .post("/api/admin/model-hosts");

        // Then
        r.then().statusCode(200).body("host", hasItem("models.allowed.example"));
        assertThat(egress.isAllowed("models.allowed.example")).isTrue();
        assertThat(audit.page(before, 1000, null)).anySatisfy(rec -> {
            assertThat(rec.action()).isEqualTo("egress.host-allowed");
            assertThat(rec.target()).isEqualTo("models.allowed.example");
            assertThat(rec.details()).contains("OPS-1");
        });
    }

    @Test
    void shouldForbidAllowingModelHostWhenCallerIsNotDrydockAdmin() {
        // When
        Response r = given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of("host", "evil.example", "reason", "x"))
                .when()
                .post("/api/admin/model-hosts");

        // Then
        r.then().statusCode(403).contentType("application/problem+json");
        assertThat(egress.isAllowed("evil.example")).isFalse();
    }
}
