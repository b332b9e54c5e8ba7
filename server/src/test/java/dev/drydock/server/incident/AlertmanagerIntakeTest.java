package dev.drydock.server.incident;

import static dev.drydock.server.session.DroidTestServices.args;
import static dev.drydock.server.session.DroidTestServices.calls;
import static dev.drydock.server.session.DroidTestServices.script;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.drydock.server.agent.EventLog;
import dev.drydock.server.session.DroidTestServices;
import dev.drydock.server.testing.Poll;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import dev.drydock.server.ticket.JiraDataCenterFake;
import dev.drydock.server.webhook.WebhookSignature;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Alertmanager's webhook, end to end: payloads from Alertmanager's documented version 4 format, the
 * real session runner with the scripted model in a real sandbox running the reliability droid, its RCA
 * delivered as a signed {@code incident.rca} webhook-out to a receiver on loopback and as a comment on
 * the Jira issue (Jira Data Center contract fake) named by the alert's label; replays, refusals and
 * bad payloads.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(DroidTestServices.class)
class AlertmanagerIntakeTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final long PID = ProcessHandle.current().pid();
    static final String TOKEN = "am-token-" + UUID.randomUUID();
    static final String TOKEN_SECRET = "am-token-" + PID;
    static final String SIGNING = "am-signing-" + PID;
    static final String SIGNING_KEY = "signing-key-" + UUID.randomUUID();
    static final String JIRA_SECRET = "am-jira-" + PID;
    static final String JIRA_TOKEN = "jira-pat-" + UUID.randomUUID();
    static JiraDataCenterFake jira;
    static HttpServer receiver;
    static final BlockingQueue<String[]> delivered = new LinkedBlockingQueue<>();
    final List<String> sessions = new ArrayList<>();

    @Inject
    DataSource ds;

    @Inject
    EventLog log;

    @BeforeAll
    static void services() throws IOException {
        jira = new JiraDataCenterFake(JIRA_TOKEN);
        jira.issue("OPS-7", "calc-api errors", "Tracking issue for calc-api errors.", List.of(), List.of());
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/rca", exchange -> {
            delivered.add(new String[] {
                exchange.getRequestHeaders().getFirst("X-Drydock-Event"),
                exchange.getRequestHeaders().getFirst("X-Drydock-Timestamp"),
                exchange.getRequestHeaders().getFirst("X-Drydock-Signature"),
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
            });
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        DroidTestServices.SCRIPTS.put(
                "incident-rca",
                script(
                        calls("read_file", args("path", "calc.py")),
                        calls(
                                "finish",
                                args(
                                        "title",
                                        "HighErrorRate on calc-api",
                                        "summary",
                                        "add() subtracts",
                                        "timeline",
                                        List.of(Map.of("time", "09:58", "event", "HighErrorRate fires")),
                                        "evidence",
                                        List.of(Map.of("file", "calc.py", "line", 2, "note", "returns a - b")),
                                        "suspected_cause",
                                        "add() subtracts its arguments",
                                        "fix",
                                        "return a + b"))));
        DroidTestServices.SCRIPTS.put(
                "incident-waits", script(calls("ask_user", args("question", "Which deploy went out at 09:55?"))));
    }

    @AfterAll
    static void stop() {
        jira.close();
        receiver.stop(0);
    }

    @BeforeEach
    void configured() throws Exception {
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "update workspace set autonomy = 'auto-edit', allowed_droids = 'code,knowledge,reliability', allowed_routes = '*', classification = 'internal' where slug = 'demo'")) {
            ps.executeUpdate();
        }
        secret(TOKEN_SECRET, TOKEN);
        secret(SIGNING, SIGNING_KEY);
        secret(JIRA_SECRET, JIRA_TOKEN);
        as("wanda")
                .body(Map.of("baseUrl", jira.base(), "secret", JIRA_SECRET))
                .put("/api/workspaces/demo/tickets/jira")
                .then()
                .statusCode(200);
        receiver(
                "ops",
                Map.of(
                        "auth", "bearer",
                        "secret", TOKEN_SECRET,
                        "repo", "droid-calc",
                        "instructions", "[script:incident-rca] Start with calc.py.",
                        "jiraKeyLabel", "jira"));
        receiver(
                "ops-slow",
                Map.of(
                        "auth", "bearer",
                        "secret", TOKEN_SECRET,
                        "repo", "droid-calc",
                        "instructions", "[script:incident-waits]",
                        "webhook", false));
        receiver(
                "ops-basic",
                Map.of("auth", "basic", "username", "alertmanager", "secret", TOKEN_SECRET, "repo", "droid-calc"));
    }

    @AfterEach
    void cleanUp() {
        for (String id : sessions) {
            as("mike").post("/api/sessions/" + id + "/cancel");
        }
        for (String name : List.of("ops", "ops-slow", "ops-basic", "ops-new")) {
            as("wanda").delete("/api/workspaces/demo/alert-receivers/" + name);
        }
        for (String id : given().auth()
                .oauth2(Tokens.of("alice"))
                .get("/api/workspaces/demo/webhooks")
                .then()
                .extract()
                .<List<String>>path("id")) {
            given().auth().oauth2(Tokens.of("alice")).delete("/api/workspaces/demo/webhooks/" + id);
        }
        as("wanda").delete("/api/workspaces/demo/tickets/jira");
        for (String s : List.of(TOKEN_SECRET, SIGNING, JIRA_SECRET)) {
            as("wanda").delete("/api/workspaces/demo/secrets/" + s);
        }
    }

    static RequestSpecification as(String user) {
        return given().auth().oauth2(Tokens.of(user)).contentType(ContentType.JSON);
    }

    static void secret(String name, String value) {
        as("wanda")
                .body(Map.of("value", value))
                .put("/api/workspaces/demo/secrets/" + name)
                .then()
                .statusCode(200);
    }

    static void receiver(String name, Map<String, Object> body) {
        as("wanda")
                .body(body)
                .put("/api/workspaces/demo/alert-receivers/" + name)
                .then()
                .statusCode(200);
    }

    static String fixture(String name, String group) throws IOException {
        try (InputStream in = Objects.requireNonNull(
                AlertmanagerIntakeTest.class.getResourceAsStream("/alertmanager/" + name + ".json"))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("GROUP", group);
        }
    }

    static Response notify(String receiverName, String authorization, String body) {
        RequestSpecification r = given().contentType(ContentType.JSON).body(body.getBytes(StandardCharsets.UTF_8));
        if (authorization != null) {
            r = r.header("Authorization", authorization);
        }
        return r.post("/api/hooks/alertmanager/demo/" + receiverName);
    }

    String started(Response r) {
        String id = r.then()
                .statusCode(202)
                .body("outcome", equalTo("started"))
                .extract()
                .path("session");
        sessions.add(id);
        return id;
    }

    long audited(String action) throws Exception {
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "select count(*) from audit_record where action = ? and target like 'demo/%'")) {
            ps.setString(1, action);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void shouldDeliverRcaToWebhookAndJiraWhenFiringAlertStartsReliabilitySession() throws Exception {
        // Given a webhook-out receiver of incident.rca
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "url",
                        "http://127.0.0.1:" + receiver.getAddress().getPort() + "/rca",
                        "events",
                        List.of("incident.rca"),
                        "secret",
                        SIGNING))
                .post("/api/workspaces/demo/webhooks")
                .then()
                .statusCode(201);
        delivered.clear();

        // When
        Response r = notify(
                "ops", "Bearer " + TOKEN, fixture("firing", UUID.randomUUID().toString()));

        // Then a reliability session runs, and its RCA reaches the webhook and the Jira issue of the alert's label
        String id = started(r);
        String[] rca = delivered.poll(120, TimeUnit.SECONDS);
        assertThat(rca).as("incident.rca delivered; session:\n" + story(id)).isNotNull();
        assertThat(rca[0]).isEqualTo("incident.rca");
        assertThat(WebhookSignature.verify(SIGNING_KEY, Long.parseLong(rca[1]), rca[3], rca[2]))
                .isTrue();
        JsonNode body = JSON.readTree(rca[3]);
        assertThat(body.path("incident").path("alert").asText()).isEqualTo("HighErrorRate");
        assertThat(body.path("incident").path("receiver").asText()).isEqualTo("ops");
        assertThat(body.path("session").path("id").asText()).isEqualTo(id);
        assertThat(body.path("session").path("droid").asText()).isEqualTo("reliability");
        assertThat(body.path("rca").path("content").asText())
                .contains("Root-cause analysis")
                .contains("add() subtracts its arguments");
        String comment = Poll.until(
                () -> jira.comments.stream()
                        .filter(c -> c.startsWith("OPS-7: "))
                        .findFirst()
                        .orElse(""),
                c -> !c.isEmpty(),
                Duration.ofSeconds(60),
                c -> "comments: " + jira.comments);
        assertThat(comment)
                .contains("HighErrorRate")
                .contains("add() subtracts its arguments")
                .contains(id);
        String task = String.join("\n", DroidTestServices.RECEIVED);
        assertThat(task)
                .contains("Investigate the firing alert HighErrorRate")
                .contains("clients report that add(2, 3) returns -1")
                .contains("https://wiki.elsewhere.example/runbooks/high-error-rate");
        as("wanda")
                .get("/api/workspaces/demo/incidents")
                .then()
                .statusCode(200)
                .body("find { it.sessionId == '" + id + "' }.report", containsString("webhook"));
    }

    @Test
    void shouldOpenJiraIssueWithTheRcaWhenReceiverNamesAProjectAndNoKeyLabel() throws Exception {
        // Given a receiver that files each RCA as a new issue of project OPS (no label names an issue)
        receiver(
                "ops-new",
                Map.of(
                        "auth", "bearer",
                        "secret", TOKEN_SECRET,
                        "repo", "droid-calc",
                        "instructions", "[script:incident-rca] Start with calc.py.",
                        "jiraProject", "OPS",
                        "webhook", false));

        // When
        Response r = notify(
                "ops-new",
                "Bearer " + TOKEN,
                fixture("firing", UUID.randomUUID().toString()));

        // Then a new OPS issue holds the RCA and the session's link, and the incident says which issue
        String id = started(r);
        JsonNode issue = Poll.until(
                () -> jira.created.values().stream()
                        .filter(f -> f.path("description").asText().contains(id))
                        .findFirst()
                        .orElse(null),
                f -> f != null,
                Duration.ofSeconds(120),
                f -> "created: " + jira.created + "\nsession:\n" + story(id));
        assertThat(issue.path("project").path("key").asText()).isEqualTo("OPS");
        assertThat(issue.path("summary").asText()).isEqualTo("RCA: HighErrorRate");
        assertThat(issue.path("description").asText()).contains("add() subtracts its arguments");
        String key = jira.created.entrySet().stream()
                .filter(e -> e.getValue() == issue)
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow();
        String report = Poll.until(
                () -> as("wanda")
                        .get("/api/workspaces/demo/incidents")
                        .then()
                        .statusCode(200)
                        .extract()
                        .<String>path("find { it.sessionId == '" + id + "' }.report"),
                rep -> rep != null && rep.contains("jira"),
                Duration.ofSeconds(30),
                rep -> "report: " + rep);
        assertThat(report).contains("jira issue " + key);
    }

    @Test
    void shouldAnswerRunningSessionWhenSameGroupAndAlertsArriveAgain() throws Exception {
        // Given a group whose session is running (it waits for an answer)
        String body = fixture("firing", UUID.randomUUID().toString());
        String id = started(notify("ops-slow", "Bearer " + TOKEN, body));

        // When Alertmanager sends the group again (repeat_interval, or a retry)
        Response again = notify("ops-slow", "Bearer " + TOKEN, body);

        // Then no second session starts
        again.then().statusCode(200).body("outcome", equalTo("ongoing")).body("session", equalTo(id));
    }

    @Test
    void shouldRecordResolvedOnIncidentWhenGroupResolves() throws Exception {
        // Given
        String group = UUID.randomUUID().toString();
        String id = started(notify("ops-slow", "Bearer " + TOKEN, fixture("firing", group)));
        long before = audited("incident.resolved");

        // When
        Response r = notify("ops-slow", "Bearer " + TOKEN, fixture("resolved", group));

        // Then
        r.then().statusCode(200).body("outcome", equalTo("resolved")).body("session", equalTo(id));
        as("vera")
                .get("/api/workspaces/demo/incidents")
                .then()
                .statusCode(200)
                .body("find { it.sessionId == '" + id + "' }.resolvedAt", notNullValue())
                .body("find { it.sessionId == '" + id + "' }.open", equalTo(false));
        assertThat(audited("incident.resolved")).isEqualTo(before + 1);
    }

    @Test
    void shouldAcceptBasicAuthWhenReceiverUsesBasic() throws Exception {
        // When a resolved group nobody saw firing arrives with the receiver's basic credentials
        Response r = notify(
                "ops-basic",
                "Basic "
                        + Base64.getEncoder()
                                .encodeToString(("alertmanager:" + TOKEN).getBytes(StandardCharsets.UTF_8)),
                fixture("resolved", UUID.randomUUID().toString()));

        // Then
        r.then().statusCode(200).body("outcome", equalTo("ignored"));
    }

    @Test
    void shouldRefuseAndAuditWhenBearerTokenIsWrong() throws Exception {
        // Given
        long before = audited("incident.refused");

        // When
        Response r = notify(
                "ops",
                "Bearer not-the-token",
                fixture("firing", UUID.randomUUID().toString()));

        // Then
        r.then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:drydock:problem:alert-unauthenticated"));
        assertThat(audited("incident.refused")).isEqualTo(before + 1);
    }

    @Test
    void shouldRefuseWhenBasicReceiverGetsItsSecretAsBearer() throws Exception {
        // When
        Response r = notify(
                "ops-basic",
                "Bearer " + TOKEN,
                fixture("firing", UUID.randomUUID().toString()));

        // Then
        r.then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void shouldRefuseKeycloakTokenWhenReceiverExpectsItsOwnCredential() throws Exception {
        // When a workspace admin's Keycloak token is all the request carries
        Response r = notify(
                "ops",
                "Bearer " + Tokens.of("wanda"),
                fixture("firing", UUID.randomUUID().toString()));

        // Then
        r.then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void shouldAnswer400ProblemWhenPayloadIsNotVersion4() throws Exception {
        // When
        Response r = notify(
                "ops", "Bearer " + TOKEN, fixture("firing", "x").replace("\"version\": \"4\"", "\"version\": \"3\""));

        // Then
        r.then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:drydock:problem:invalid-alert"))
                .body("detail", containsString("version 4"));
    }

    @Test
    void shouldAnswer400ProblemWhenBodyIsNotJson() {
        // When
        Response r = notify("ops", "Bearer " + TOKEN, "alert!");

        // Then
        r.then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void shouldAnswer404ProblemWhenReceiverIsUnknown() throws Exception {
        // When
        Response r = notify("no-such-receiver", "Bearer " + TOKEN, fixture("firing", "x"));

        // Then
        r.then().statusCode(404).contentType("application/problem+json");
    }

    String story(String id) {
        StringBuilder out = new StringBuilder();
        log.readAll(id)
                .forEach(e -> out.append(e.seq())
                        .append(' ')
                        .append(
                                String.valueOf(e.payload()),
                                0,
                                Math.min(String.valueOf(e.payload()).length(), 300))
                        .append('\n'));
        return out.toString();
    }
}
