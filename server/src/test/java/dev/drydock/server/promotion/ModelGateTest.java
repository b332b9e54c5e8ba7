package dev.drydock.server.promotion;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Page;
import dev.drydock.cli.login.Credentials;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.gateway.ScriptedModelServer;
import dev.drydock.server.session.DroidTestServices;
import dev.drydock.server.testing.CliRun;
import dev.drydock.server.testing.Poll;
import dev.drydock.server.testing.PortalBrowser;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model promotion gate end to end: candidates behind scripted OpenAI-compatible model servers run
 * the configured fixtures (two, {@code %test.drydock.promotion.fixtures}) as real code-droid sessions in
 * bwrap sandboxes on real git mirrors; a candidate that fixes them passes, one that does not fails with
 * the difference from the routed model; routes to the failing one are refused until a drydock-admin
 * overrides, which lands in the verified audit chain; the portal shows the report.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(DroidTestServices.class)
class ModelGateTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GOOD = "gate-good";
    private static final String BAD = "gate-bad";
    private static final String BASELINE_ROUTE = "gate-baseline";

    static ScriptedModelServer good;
    static ScriptedModelServer bad;
    static JsonPath goodReport;
    static JsonPath badReport;

    @TestHTTPResource("/")
    URI base;

    @Inject
    AuditTrail audit;

    @Inject
    DataSource ds;

    @Inject
    GateStore store;

    @TempDir
    Path home;

    @Inject
    ModelGate gate;

    /** A stateless candidate that fixes each fixture: its known edit first, then finish once its history holds an answer. */
    static ScriptedModelServer.Reply fixing(String body) {
        JsonNode request = read(body);
        String all = request.path("messages").toString();
        long answers = 0;
        for (JsonNode m : request.path("messages")) {
            if (m.path("role").asText().equals("assistant")) {
                answers++;
            }
        }
        if (answers > 0) {
            return text(
                    "<tool_call>{\"name\": \"finish\", \"arguments\": {\"summary\": \"Fixed the bug the test found.\"}}</tool_call>",
                    300);
        }
        for (GateFixtures.Fixture f : GateFixtures.all()) {
            if (all.contains(f.fixPath())) {
                ObjectMapper m = new ObjectMapper();
                var args = m.createObjectNode()
                        .put("path", f.fixPath())
                        .put("old_text", f.fixOld())
                        .put("new_text", f.fixNew());
                return text(
                        "I fix it.\n<tool_call>{\"name\": \"edit_file\", \"arguments\": " + args + "}</tool_call>",
                        300);
            }
        }
        return text("<tool_call>{\"name\": \"finish\", \"arguments\": {\"summary\": \"?\"}}</tool_call>", 300);
    }

    /** A candidate that claims to be done without changing anything, at great length: the token limit ends its sessions. */
    static ScriptedModelServer.Reply notFixing(String body) {
        return text(
                "<tool_call>{\"name\": \"finish\", \"arguments\": {\"summary\": \"Looks fine to me.\"}}</tool_call>",
                1_600_000);
    }

    private static ScriptedModelServer.Reply text(String content, long promptTokens) {
        return new ScriptedModelServer.Stream(List.of(content), new long[] {promptTokens, 40}, false, 0);
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void models() {
        good = new ScriptedModelServer().respond(ModelGateTest::fixing);
        bad = new ScriptedModelServer().respond(ModelGateTest::notFixing);
    }

    @AfterAll
    static void cleanUp() {
        // after the last test RestAssured no longer points at the application: name its port
        int port = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.http.test-port", Integer.class);
        for (String path : List.of(
                "/api/admin/model-routes/" + BASELINE_ROUTE,
                "/api/admin/model-routes/gate-bad-route",
                "/api/admin/model-routes/gate-good-route",
                "/api/admin/model-routes/gate-bad-refused",
                "/api/admin/model-routes/gate-swap-route",
                "/api/admin/model-endpoints/gate-swap",
                "/api/admin/model-endpoints/" + GOOD,
                "/api/admin/model-endpoints/" + BAD)) {
            given().port(port).auth().oauth2(Tokens.of("alice")).delete(path);
        }
        good.close();
        bad.close();
    }

    private static void endpoint(String name, String url) {
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "baseUrl",
                        url,
                        "protocol",
                        "openai-chat",
                        "modelId",
                        "scripted-model",
                        "clearance",
                        "internal"))
                .put("/api/admin/model-endpoints/" + name)
                .then()
                .statusCode(200);
    }

    /** Runs the gate of an endpoint and waits for its report. */
    private static JsonPath gate(String endpoint) throws InterruptedException {
        given().auth()
                .oauth2(Tokens.of("alice"))
                .post("/api/admin/models/" + endpoint + "/gate")
                .then()
                .statusCode(202)
                .body("state", org.hamcrest.Matchers.equalTo("running"))
                .body("total", org.hamcrest.Matchers.equalTo(2));
        return Poll.until(
                () -> given().auth()
                        .oauth2(Tokens.of("alice"))
                        .get("/api/admin/models/" + endpoint + "/gate")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath(),
                r -> !r.getString("state").equals("running"),
                Duration.ofMinutes(6),
                JsonPath::prettify);
    }

    /** The good candidate's report, run once for the class. */
    private static synchronized JsonPath goodReport() throws InterruptedException {
        if (goodReport == null) {
            endpoint(GOOD, good.baseUrl());
            goodReport = gate(GOOD);
        }
        return goodReport;
    }

    /** The bad candidate's report, run once while the good one is the code droid's routed model. */
    private static synchronized JsonPath badReport() throws InterruptedException {
        if (badReport == null) {
            goodReport();
            given().auth()
                    .oauth2(Tokens.of("alice"))
                    .contentType(ContentType.JSON)
                    .body(Map.of("droid", "code", "endpoints", List.of(GOOD)))
                    .put("/api/admin/model-routes/" + BASELINE_ROUTE)
                    .then()
                    .statusCode(200);
            endpoint(BAD, bad.baseUrl());
            badReport = gate(BAD);
        }
        return badReport;
    }

    @Test
    void shouldPassAndReportEveryFixtureWhenCandidateFixesThem() throws Exception {
        // When
        JsonPath report = goodReport();

        // Then both fixtures were fixed by real sessions, counted, and kept out of people's session lists
        assertThat(report.getString("state")).as(report.prettify()).isEqualTo("passed");
        assertThat(report.getDouble("passRate")).isEqualTo(1.0);
        assertThat(report.getInt("done")).isEqualTo(2);
        assertThat(report.getBoolean("current")).isTrue();
        assertThat(report.getList("fixtures.name")).containsExactly("python-calc", "node-max");
        assertThat(report.getList("fixtures.state")).containsExactly("passed", "passed");
        assertThat(report.getLong("promptTokens")).isGreaterThanOrEqualTo(4 * 300);
        assertThat(report.getLong("wallMs")).isPositive();
        List<String> sessions = report.getList("fixtures.session");
        List<String> listed = given().auth()
                .oauth2(Tokens.of("alice"))
                .get("/api/sessions?limit=500")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("id");
        assertThat(listed).doesNotContainAnyElementsOf(sessions);
    }

    @Test
    void shouldAdmitRouteWithoutOverrideWhenEndpointPassedItsGate() throws Exception {
        // Given
        goodReport();

        // When
        Response r = given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("workspace", "gate-ws", "endpoints", List.of(GOOD)))
                .put("/api/admin/model-routes/gate-good-route");

        // Then
        r.then().statusCode(200).body("gate." + GOOD, org.hamcrest.Matchers.equalTo("passed"));
    }

    @Test
    void shouldFailWithDifferenceFromRoutedModelWhenCandidateDoesNotFixFixtures() throws Exception {
        // When
        JsonPath report = badReport();

        // Then
        assertThat(report.getString("state")).as(report.prettify()).isEqualTo("failed");
        assertThat(report.getDouble("passRate")).isEqualTo(0.0);
        assertThat(report.getList("fixtures.state")).containsExactly("failed", "failed");
        assertThat(report.getString("fixtures[0].detail")).contains("limit_reached");
        assertThat(report.getString("diff.baselineEndpoint")).isEqualTo(GOOD);
        assertThat(report.getString("diff.baselineRun")).isEqualTo(goodReport().getString("run"));
        assertThat(report.getList("diff.newlyFailing")).containsExactly("python-calc", "node-max");
        assertThat(report.getList("diff.newlyPassing")).isEmpty();
        assertThat(report.getDouble("diff.tokenRatio")).isGreaterThan(100.0);
    }

    @Test
    void shouldRefuseRouteWithWhatToDoWhenEndpointFailedItsGate() throws Exception {
        // Given
        badReport();

        // When
        Response r = given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("workspace", "gate-ws-refused", "endpoints", List.of(BAD)))
                .put("/api/admin/model-routes/gate-bad-refused");

        // Then
        r.then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", containsString("model-not-gated"))
                .body("detail", containsString("'gate-bad' failed its latest gate (pass rate 0%, needs 80%)"))
                .body("detail", containsString("POST /api/admin/models/gate-bad/gate"))
                .body("detail", containsString("\"override\""));
    }

    @Test
    void shouldRefuseAnotherModelBehindARoutedEndpointUnlessAdminOverridesWhenItsUrlOrModelChanges() throws Exception {
        // Given an endpoint that passed its gate and a route that sends traffic to it
        goodReport();
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("workspace", "gate-ws-swap", "endpoints", List.of(GOOD)))
                .put("/api/admin/model-routes/gate-swap-route")
                .then()
                .statusCode(200);
        Map<String, Object> swapped = new java.util.HashMap<>(Map.of(
                "baseUrl",
                bad.baseUrl(),
                "protocol",
                "openai-chat",
                "modelId",
                "other-model",
                "clearance",
                "internal"));

        // When an admin points the routed endpoint at another, ungated model
        Response refused = given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(swapped)
                .put("/api/admin/model-endpoints/" + GOOD);

        // Then it is refused and nothing changed, until an override with a reason is sent, which is audited
        refused.then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", containsString("model-not-gated"))
                .body("detail", containsString("model id other-model"))
                .body("detail", containsString("register the new model as an endpoint of its own"));
        given().auth()
                .oauth2(Tokens.of("alice"))
                .get("/api/admin/model-endpoints")
                .then()
                .statusCode(200)
                .body("find { it.name == '" + GOOD + "' }.modelId", org.hamcrest.Matchers.equalTo("scripted-model"));
        swapped.put("override", Map.of("reason", "change 7: vendor moved the model"));
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(swapped)
                .put("/api/admin/model-endpoints/" + GOOD)
                .then()
                .statusCode(200)
                .body("modelId", org.hamcrest.Matchers.equalTo("other-model"));
        assertThat(records("model.gate-overridden", "model-endpoint " + GOOD))
                .anySatisfy(d -> assertThat(d)
                        .contains("change 7: vendor moved the model")
                        .contains("gate-swap-route")
                        .contains("other-model"));
        endpoint(GOOD, good.baseUrl());
    }

    @Test
    void shouldAllowAndAuditOverrideWhenAdminGivesReason() throws Exception {
        // Given
        badReport();
        long before = audit.verify().checked();

        // When
        Response r = given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "workspace",
                        "gate-ws-bad",
                        "endpoints",
                        List.of(BAD),
                        "override",
                        Map.of("reason", "incident 42: the old model is down")))
                .put("/api/admin/model-routes/gate-bad-route");

        // Then the route is saved, and the override is a record of the intact audit chain
        r.then().statusCode(200).body("gate." + BAD, org.hamcrest.Matchers.equalTo("failed"));
        var verified = audit.verify();
        assertThat(verified.intact()).isTrue();
        assertThat(verified.checked()).isGreaterThan(before);
        assertThat(records("model.gate-overridden", "model-endpoint " + BAD))
                .singleElement()
                .satisfies(d -> assertThat(d)
                        .contains("incident 42: the old model is down")
                        .contains("gate-bad-route"));
    }

    @Test
    void shouldShowReportAndDifferenceWhenAdminOpensGatePage() throws Exception {
        // Given
        badReport();

        try (PortalBrowser browser = PortalBrowser.launch()) {
            // When
            Page page =
                    browser.signIn("alice", base.resolve("/portal/admin/models").toString());
            page.click("#gate-report-" + BAD);
            page.waitForSelector("#report");
            PortalBrowser.screenshot(page, "gate-report");

            // Then
            assertThat(page.getAttribute("#report", "data-state")).isEqualTo("failed");
            assertThat(page.textContent("#gate-status")).isEqualTo("failed");
            assertThat(page.getAttribute("#fixtures tr[data-fixture=python-calc]", "data-state"))
                    .isEqualTo("failed");
            assertThat(page.textContent("#newly-failing"))
                    .contains("python-calc")
                    .contains("node-max");
            assertThat(page.textContent("#diff-title")).contains(GOOD);
            assertThat(page.textContent("#run-gate")).isEqualTo("Run gate");
        }
    }

    @Test
    void shouldPrintProgressAndReportAndExitOneWhenGateFailsFromCommandLine() throws Exception {
        // Given the bad candidate, compared with the routed good one, and alice signed in as ./drydock login leaves it
        badReport();
        signIn("alice");

        // When
        CliRun run = CliRun.of("model", "gate", BAD, "--wait", "--interval", "1");

        // Then
        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.out())
                .contains("gate run ")
                .contains("2 fixtures")
                .contains("progress: 0 of 2 fixtures done")
                .contains("gate failed: 0 of 2 fixtures fixed")
                .containsPattern("python-calc\\s+failed")
                .containsPattern("node-max\\s+failed")
                .contains("compared with " + GOOD)
                .contains("newly failing [\"python-calc\",\"node-max\"]");
    }

    @AfterEach
    void forgetCredentials() {
        System.clearProperty("drydock.credentials");
    }

    /** Signs {@code user} in as {@code ./drydock login} would leave it: their tokens in an owner-only credentials file. */
    void signIn(String user) {
        System.setProperty("drydock.credentials", home.resolve(user + ".json").toString());
        String tokenUrl = RealServices.get().keycloak().realmUrl() + "/protocol/openid-connect/token";
        JsonPath t = given().formParam("grant_type", "password")
                .formParam("client_id", RealServices.TEST_CLIENT)
                .formParam("username", user)
                .formParam("password", RealServices.password(user))
                .formParam("scope", "openid")
                .post(tokenUrl)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        String access = t.getString("access_token");
        Matcher exp = Pattern.compile("\"exp\"\\s*:\\s*(\\d+)")
                .matcher(new String(Base64.getUrlDecoder().decode(access.split("\\.")[1]), StandardCharsets.UTF_8));
        assertThat(exp.find()).isTrue();
        new Credentials(
                        base.toString().replaceAll("/$", ""),
                        RealServices.get().keycloak().realmUrl(),
                        RealServices.TEST_CLIENT,
                        tokenUrl,
                        tokenUrl.replace("/token", "/revoke"),
                        user,
                        access,
                        Instant.ofEpochSecond(Long.parseLong(exp.group(1))),
                        t.getString("refresh_token"))
                .save();
    }

    @Test
    void shouldFailUnfinishedRunWithReasonWhenServerStarts() {
        // Given a run the server was driving when it stopped
        java.util.UUID id = java.util.UUID.randomUUID();
        store.insertRun(
                id,
                "gate-restarted",
                "http://127.0.0.1:9/v1",
                "m",
                0.8,
                "alice",
                java.time.Instant.now(),
                List.of("python-calc", "node-max"));

        // When
        gate.recover();

        // Then
        GateStore.RunRow run = store.run(id.toString()).orElseThrow();
        assertThat(run.state()).isEqualTo("failed");
        assertThat(run.reason()).isEqualTo(ModelGate.RESTARTED);
        assertThat(store.fixtures(id.toString()))
                .extracting(GateStore.FixtureRow::state)
                .containsExactly("failed", "failed");
    }

    private List<String> records(String action, String target) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "select details from audit_record where action = ? and target = ? order by seq")) {
            ps.setString(1, action);
            ps.setString(2, target);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
