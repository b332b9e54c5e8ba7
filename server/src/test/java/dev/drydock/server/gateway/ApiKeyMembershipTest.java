package dev.drydock.server.gateway;

import static dev.drydock.server.testing.Poll.until;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.drydock.server.testing.KeycloakAdmin;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** API keys act with their owner's current memberships and account state in Keycloak. */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class ApiKeyMembershipTest {
    private static final String OWNER = "kira";
    private static final String GROUP = "/workspaces/demo/members";
    private static ScriptedModelServer model;

    @Inject
    DataSource ds;

    @BeforeAll
    static void startModel() {
        model = new ScriptedModelServer();
    }

    @AfterAll
    static void stopModel() {
        model.close();
    }

    @Test
    void shouldRefuseApiKeyInWorkspaceOnceOwnerIsRemovedFromItsGroup() throws Exception {
        // Given kira's key, with which she completes a chat in demo
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "baseUrl",
                        model.baseUrl(),
                        "protocol",
                        "openai-chat",
                        "modelId",
                        "scripted-model",
                        "capabilities",
                        List.of("streaming"),
                        "costPer1kPromptTokens",
                        1,
                        "costPer1kCompletionTokens",
                        1,
                        "clearance",
                        "confidential"))
                .put("/api/admin/model-endpoints/key-membership")
                .then()
                .statusCode(200);
        String key = apiKey(OWNER);
        model.then(ScriptedModelServer.stream("still", " here"));
        chat(key, "key-membership").then().statusCode(200).body("choices[0].message.content", equalTo("still here"));
        try {
            // When an administrator removes her from demo's members group in Keycloak
            KeycloakAdmin.removeFromGroup(OWNER, GROUP);

            // Then the key no longer reaches demo, which is hidden from her as from any outsider (probed with a model
            // that
            // does not exist, so nothing is sent upstream)
            Response refused = until(
                    () -> chat(key, "no-such-model"),
                    r -> !"model_not_found".equals(r.jsonPath().getString("error.code")),
                    Duration.ofSeconds(30),
                    Response::asString);
            refused.then()
                    .statusCode(404)
                    .body("error.code", equalTo("not_found"))
                    .body("error.message", containsString("Workspace 'demo'"));
        } finally {
            KeycloakAdmin.addToGroup(OWNER, GROUP);
        }
        // and follows her back in once she is added again
        until(
                        () -> chat(key, "no-such-model"),
                        r -> "model_not_found".equals(r.jsonPath().getString("error.code")),
                        Duration.ofSeconds(30),
                        Response::asString)
                .then()
                .statusCode(404);
    }

    @Test
    void shouldRefuseApiKeyAndRecordItWhenOwnerIsDisabled() throws Exception {
        // Given kira's key, which works
        String key = apiKey(OWNER);
        chat(key, "no-such-model").then().statusCode(404);
        try {
            // When an administrator disables her account
            KeycloakAdmin.setEnabled(OWNER, false);

            // Then the key is refused with 401, and the refusal is on record
            Response refused = until(
                    () -> chat(key, "no-such-model"),
                    r -> r.statusCode() != 404,
                    Duration.ofSeconds(30),
                    Response::asString);
            refused.then()
                    .statusCode(401)
                    .body("error.type", equalTo("authentication_error"))
                    .body("error.message", containsString("no longer an active user"));
            // (refusals are recorded at most 60 a minute per client address, and every test calls from loopback: retry
            // into the next minute)
            String subject = KeycloakAdmin.userId(OWNER);
            List<String> recorded = until(
                    () -> {
                        chat(key, "no-such-model");
                        return refusals(subject);
                    },
                    rows -> !rows.isEmpty(),
                    Duration.ofSeconds(90));
            assertThat(recorded)
                    .anySatisfy(r -> assertThat(r)
                            .contains("\"reason\":\"key owner disabled\"")
                            .contains("\"status\":\"401\"")
                            .contains("\"credential\":\"api-key\"")
                            .contains("\"username\":\"kira\""));
        } finally {
            KeycloakAdmin.setEnabled(OWNER, true);
        }
        until(() -> chat(key, "no-such-model"), r -> r.statusCode() == 404, Duration.ofSeconds(30), Response::asString);
    }

    private static String apiKey(String user) {
        return given().auth()
                .oauth2(Tokens.of(user))
                .contentType(ContentType.JSON)
                .body(Map.of("name", "membership " + UUID.randomUUID()))
                .post("/api/me/api-keys")
                .then()
                .statusCode(201)
                .extract()
                .path("key");
    }

    private static Response chat(String key, String modelName) {
        return given().header("Authorization", "Bearer " + key)
                .header("X-Drydock-Workspace", "demo")
                .contentType(ContentType.JSON)
                .body(Map.of("model", modelName, "messages", List.of(Map.of("role", "user", "content", "hello"))))
                .post("/v1/chat/completions");
    }

    private List<String> refusals(String subject) {
        List<String> out = new ArrayList<>();
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "select details from audit_record where action = 'access.refused' and actor = ? and details like '%api-key%' order by seq")) {
            ps.setString(1, subject);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
