package dev.drydock.server.webhook;

import static dev.drydock.server.session.DroidTestServices.args;
import static dev.drydock.server.session.DroidTestServices.calls;
import static dev.drydock.server.session.DroidTestServices.script;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.drydock.server.session.DroidTestServices;
import dev.drydock.server.testing.Poll;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks out against a real HTTP receiver on this machine: signed deliveries of session events,
 * retries and the delivery log, and the refusals (members, loopback for workspace admins, hosts off
 * the allow-list, bad bodies, another workspace's admin). Annotated like {@code SessionsApiTest} so
 * that both share one Quarkus.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(DroidTestServices.class)
class WebhooksTest {
    private static final String SECRET_NAME = "hooks-signing";
    private static final String SECRET = "s3cret-signing-key-for-webhooks";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request the receiver got. */
    record Received(String event, String delivery, long timestamp, String signature, String body) {}

    @Inject
    DataSource ds;

    private HttpServer receiver;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<Integer> answers = new LinkedBlockingQueue<>();

    @BeforeAll
    static void scripts() {
        DroidTestServices.SCRIPTS.put(
                "hook-done",
                script(
                        calls("read_file", args("path", "calc.py")),
                        calls(
                                "finish",
                                args(
                                        "title",
                                        "How add works",
                                        "document",
                                        "# add\n\n`add` is defined at calc.py:1."))));
    }

    @BeforeEach
    void receiverAndSecret() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(
                    exchange.getRequestHeaders().getFirst("X-Drydock-Event"),
                    exchange.getRequestHeaders().getFirst("X-Drydock-Delivery"),
                    Long.parseLong(exchange.getRequestHeaders().getFirst("X-Drydock-Timestamp")),
                    exchange.getRequestHeaders().getFirst("X-Drydock-Signature"),
                    body));
            Integer status = answers.poll();
            exchange.sendResponseHeaders(status == null ? 204 : status, -1);
            exchange.close();
        });
        receiver.start();
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of("value", SECRET))
                .when()
                .put("/api/workspaces/demo/secrets/" + SECRET_NAME)
                .then()
                .statusCode(200);
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "update workspace set autonomy = 'auto-edit', allowed_droids = 'code,knowledge,reliability', allowed_routes = '*', classification = 'internal' where slug = 'demo'")) {
            ps.executeUpdate();
        }
    }

    @AfterEach
    void removeHooks() {
        for (String id : given().auth()
                .oauth2(Tokens.of("alice"))
                .when()
                .get("/api/workspaces/demo/webhooks")
                .then()
                .statusCode(200)
                .extract()
                .<List<String>>path("id")) {
            given().auth()
                    .oauth2(Tokens.of("alice"))
                    .when()
                    .delete("/api/workspaces/demo/webhooks/" + id)
                    .then()
                    .statusCode(204);
        }
        receiver.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";
    }

    private String register(List<String> events) {
        return given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("url", url(), "events", events, "secret", SECRET_NAME))
                .when()
                .post("/api/workspaces/demo/webhooks")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private JsonPath deliveries(String hook) {
        return given().auth()
                .oauth2(Tokens.of("wanda"))
                .when()
                .get("/api/workspaces/demo/webhooks/" + hook + "/deliveries")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private Received next() throws InterruptedException {
        Received r = received.poll(60, TimeUnit.SECONDS);
        assertThat(r).as("a delivery reached the receiver").isNotNull();
        return r;
    }

    @Test
    void shouldDeliverSignedSessionFinishedWhenSessionEnds() throws Exception {
        // Given
        String hook = register(List.of("session.finished"));

        // When
        String session = given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "workspace",
                        "demo",
                        "droid",
                        "knowledge",
                        "task",
                        "[script:hook-done] What is calc?",
                        "repo",
                        "droid-calc"))
                .when()
                .post("/api/sessions")
                .then()
                .statusCode(201)
                .extract()
                .path("id");

        // Then
        Received r = next();
        assertThat(r.event()).isEqualTo("session.finished");
        assertThat(WebhookSignature.verify(SECRET, r.timestamp(), r.body(), r.signature()))
                .as("signature " + r.signature())
                .isTrue();
        assertThat(WebhookSignature.verify("another-key", r.timestamp(), r.body(), r.signature()))
                .isFalse();
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("event").asText()).isEqualTo("session.finished");
        assertThat(body.path("workspace").asText()).isEqualTo("demo");
        assertThat(body.path("session").path("id").asText()).isEqualTo(session);
        assertThat(body.path("session").path("outcome").asText()).as(r.body()).isEqualTo("completed");
        assertThat(body.path("session").path("delegatedBy").asText()).isEqualTo("mike");
        assertThat(r.body()).doesNotContain(SECRET);
        JsonPath log = Poll.until(
                () -> deliveries(hook),
                d -> "delivered".equals(d.getString("[0].state")),
                Duration.ofSeconds(30),
                JsonPath::prettify);
        assertThat(log.getString("[0].id")).isEqualTo(r.delivery());
        assertThat(log.getInt("[0].lastStatus")).isEqualTo(204);
        assertThat(log.getInt("[0].attempts")).isEqualTo(1);
    }

    @Test
    void shouldRetryAndKeepTheSameSignedBodyWhenReceiverFailsFirst() throws Exception {
        // Given
        String hook = register(List.of("session.finished"));
        answers.add(500);

        // When
        String delivery = given().auth()
                .oauth2(Tokens.of("wanda"))
                .when()
                .post("/api/workspaces/demo/webhooks/" + hook + "/ping")
                .then()
                .statusCode(202)
                .extract()
                .path("id");

        // Then
        Received first = next();
        Received second = next();
        assertThat(first.event()).isEqualTo("ping");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(second.delivery()).isEqualTo(delivery);
        assertThat(WebhookSignature.verify(SECRET, second.timestamp(), second.body(), second.signature()))
                .isTrue();
        JsonPath log = Poll.until(
                () -> deliveries(hook),
                d -> "delivered".equals(d.getString("[0].state")),
                Duration.ofSeconds(30),
                JsonPath::prettify);
        assertThat(log.getInt("[0].attempts")).isEqualTo(2);
    }

    @Test
    void shouldFailForGoodAfterLastRetryWhenReceiverAlwaysFails() throws Exception {
        // Given
        String hook = register(List.of("approval.needed"));
        answers.addAll(List.of(503, 503, 503));

        // When
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .when()
                .post("/api/workspaces/demo/webhooks/" + hook + "/ping")
                .then()
                .statusCode(202);

        // Then
        next();
        next();
        next();
        JsonPath log = Poll.until(
                () -> deliveries(hook),
                d -> "failed".equals(d.getString("[0].state")),
                Duration.ofSeconds(30),
                JsonPath::prettify);
        assertThat(log.getInt("[0].attempts")).isEqualTo(3);
        assertThat(log.getInt("[0].lastStatus")).isEqualTo(503);
        assertThat(log.getString("[0].lastError")).isEqualTo("receiver answered HTTP 503");
        assertThat(received).isEmpty();
    }

    @Test
    void shouldRefuseLoopbackReceiverWhenWorkspaceAdminIsNoDrydockAdmin() {
        // When
        var response = given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of("url", url(), "events", List.of("session.finished"), "secret", SECRET_NAME))
                .when()
                .post("/api/workspaces/demo/webhooks");

        // Then
        response.then().statusCode(403).contentType("application/problem+json");
        assertThat(response.jsonPath().getString("detail")).contains("only a drydock-admin");
    }

    @Test
    void shouldRefuseReceiverWhenHostIsNotOnTheAllowList() {
        // When
        var response = given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "url",
                        "https://hooks.outside.example/x",
                        "events",
                        List.of("session.finished"),
                        "secret",
                        SECRET_NAME))
                .when()
                .post("/api/workspaces/demo/webhooks");

        // Then
        response.then().statusCode(422);
        assertThat(response.jsonPath().getString("detail"))
                .contains("hooks.outside.example")
                .contains("allow-list");
    }

    @Test
    void shouldRefuseMemberWhenRegistering() {
        // When
        var response = given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(Map.of("url", url(), "events", List.of("session.finished"), "secret", SECRET_NAME))
                .when()
                .post("/api/workspaces/demo/webhooks");

        // Then
        response.then().statusCode(403);
    }

    @Test
    void shouldNameEachBadFieldWhenBodyIsWrong() {
        // When
        var response = given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("url", url(), "events", List.of("session.exploded"), "secret", SECRET_NAME))
                .when()
                .post("/api/workspaces/demo/webhooks");

        // Then
        response.then().statusCode(400).contentType("application/problem+json");
        assertThat(response.jsonPath().getString("errors[0].field")).isEqualTo("events");
        assertThat(response.jsonPath().getString("detail"))
                .contains("session.exploded")
                .contains("session.finished");
    }

    @Test
    void shouldRefuseUnknownSecretWhenRegistering() {
        // When
        var response = given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("url", url(), "events", List.of("session.finished"), "secret", "no-such-secret"))
                .when()
                .post("/api/workspaces/demo/webhooks");

        // Then
        response.then().statusCode(400);
        assertThat(response.jsonPath().getString("errors[0].field")).isEqualTo("secret");
    }

    @Test
    void shouldHideDeliveryLogWhenAdminOfAnotherWorkspaceAsks() {
        // Given
        String hook = register(List.of("session.finished"));

        // When
        var response = given().auth()
                .oauth2(Tokens.of("otto"))
                .when()
                .get("/api/workspaces/demo/webhooks/" + hook + "/deliveries");

        // Then
        response.then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void shouldNotFindWebhookWhenAdminOfAnotherWorkspaceNamesItInTheirs() {
        // Given
        String hook = register(List.of("session.finished"));

        // When
        var response = given().auth().oauth2(Tokens.of("otto")).when().delete("/api/workspaces/other/webhooks/" + hook);

        // Then
        response.then().statusCode(404);
        assertThat(given().auth()
                        .oauth2(Tokens.of("alice"))
                        .when()
                        .get("/api/workspaces/demo/webhooks")
                        .then()
                        .extract()
                        .<List<String>>path("id"))
                .contains(hook);
    }
}
