package dev.drydock.server.audit;

import static dev.drydock.server.testing.Poll.until;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** What the audit trail records about administrative actions and refused tokens, and in which transaction. */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class AuditedActionsTest {
    @Inject
    AuditTrail trail;

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "quarkus.oidc.auth-server-url")
    String issuer;

    /** Rows of {@code audit_record} as "actor|action|target|details", matching a LIKE pattern on details or target. */
    private List<String> records(String like) {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "select actor, action, target, details from audit_record where details like ? or target like ? order by seq")) {
            ps.setString(1, like);
            ps.setString(2, like);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    @Test
    void shouldNeverNameTheSubjectOfAnUnsignedTokenAsTheActor() throws Exception {
        // Given a token nobody signed that claims to be someone
        String subject = "forged-" + UUID.randomUUID();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String token = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"sub\":\"" + subject + "\",\"preferred_username\":\"alice\",\"iss\":\""
                                + issuer + "\",\"aud\":\"drydock-api\",\"exp\":4102444800}")
                        .getBytes(StandardCharsets.UTF_8))
                + ".";

        // When
        int status = given().auth().oauth2(token).when().get("/api/me").statusCode();

        // Then
        assertThat(status).isEqualTo(401);
        List<String> rows = until(() -> records("%" + subject + "%"), r -> !r.isEmpty(), Duration.ofSeconds(20));
        assertThat(rows)
                .singleElement()
                .satisfies(row -> assertThat(row)
                        .startsWith("anonymous|access.refused|")
                        .contains("\"claimedSubject\":\"" + subject + "\"")
                        .contains("\"claimedUsername\":\"alice\""));
    }

    @Test
    void shouldRecordApiKeyCreationAndRevocationWhenAUserManagesHerKeys() {
        // Given
        String name = "audited-" + UUID.randomUUID();

        // When
        long id = ((Number) given().auth()
                        .oauth2(Tokens.of("kira"))
                        .contentType(ContentType.JSON)
                        .body(Map.of("name", name))
                        .post("/api/me/api-keys")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"))
                .longValue();
        given().auth()
                .oauth2(Tokens.of("kira"))
                .delete("/api/me/api-keys/" + id)
                .then()
                .statusCode(204);

        // Then
        List<String> rows = records("api-key:" + id);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0))
                .contains("|api-key.created|api-key:" + id + "|")
                .contains("\"name\":\"" + name + "\"")
                .contains("\"username\":\"kira\"");
        assertThat(rows.get(1)).contains("|api-key.revoked|api-key:" + id + "|").contains("\"username\":\"kira\"");
        assertThat(rows)
                .allSatisfy(row -> assertThat(row).doesNotStartWith("anonymous").doesNotStartWith("system"));
    }

    @Test
    void shouldRecordGatewayEndpointAndRouteChangesWhenAnAdministratorMakesThem() {
        // Given
        String endpoint = "audited-" + UUID.randomUUID().toString().substring(0, 8);
        String route = endpoint + "-route";

        // When
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "baseUrl",
                        "http://127.0.0.1:9/v1",
                        "protocol",
                        "openai-chat",
                        "modelId",
                        "audited-model",
                        "clearance",
                        "internal"))
                .put("/api/admin/model-endpoints/" + endpoint)
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "workspace",
                        "audited-ws",
                        "droid",
                        "*",
                        "purpose",
                        "*",
                        "endpoints",
                        List.of(endpoint),
                        "override",
                        Map.of("reason", "audited actions test")))
                .put("/api/admin/model-routes/" + route)
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(Tokens.of("alice"))
                .delete("/api/admin/model-routes/" + route)
                .then()
                .statusCode(204);
        given().auth()
                .oauth2(Tokens.of("alice"))
                .delete("/api/admin/model-endpoints/" + endpoint)
                .then()
                .statusCode(204);

        // Then
        List<String> rows = records("model-%" + endpoint + "%").stream()
                .filter(r -> !r.contains("|model-endpoint.probed|"))
                .toList();
        assertThat(rows)
                .extracting(
                        row -> row.split("\\|")[0].isBlank() + " " + row.split("\\|")[1] + " " + row.split("\\|")[2])
                .containsExactly(
                        "false model-endpoint.saved model-endpoint " + endpoint,
                        "false model.gate-overridden model-endpoint " + endpoint,
                        "false model-route.saved model-route " + route,
                        "false model-route.deleted model-route " + route,
                        "false model-endpoint.deleted model-endpoint " + endpoint);
        assertThat(rows.getFirst())
                .contains("\"baseUrl\":\"http://127.0.0.1:9/v1\"")
                .contains("\"clearance\":\"internal\"");
    }

    @Test
    void shouldLeaveNoRecordWhenTheActionsTransactionRollsBack() {
        // Given
        String marker = "rolled-back-" + UUID.randomUUID();

        // When the action fails after its record was written in its transaction
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                trail.appendInTransaction(AuditEntry.of("tester", "test.action", marker));
                throw new IllegalStateException("the action failed");
            });
        } catch (RuntimeException expected) {
            // the action's failure
        }

        // Then
        assertThat(records(marker)).isEmpty();
        assertThat(trail.verify().intact()).isTrue();
    }
}
