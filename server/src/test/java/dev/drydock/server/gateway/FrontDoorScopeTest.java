package dev.drydock.server.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.drydock.server.audit.AuditJson;
import dev.drydock.server.audit.AuditRecord;
import dev.drydock.server.testing.KeycloakAdmin;
import dev.drydock.server.testing.Poll;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The /v1 front door's {@code X-Drydock-*} headers, sent by real callers with real Keycloak tokens as
 * an attacker would: a call outside every workspace, another workspace's session, a droid's reserved
 * routes, and a classification lower than the workspace's. Each is refused (or raised) and recorded.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class FrontDoorScopeTest {
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
    void shouldRefuseCallOutsideEveryWorkspaceWhenCallerIsViewer() {
        // Given
        endpoint("fd-open", "confidential");
        int before = model.chatCount();

        // When
        Response r = v1(Tokens.of("vera"), Map.of("X-Drydock-Workspace", "-"))
                .body(chat("fd-open"))
                .post("/v1/chat/completions");

        // Then
        r.then()
                .statusCode(403)
                .contentType(ContentType.JSON)
                .body("error.code", equalTo("forbidden"))
                .body("error.message", containsString("Only a drydock admin may call outside every workspace"));
        assertThat(model.chatCount()).isEqualTo(before);
    }

    @Test
    void shouldRefuseViewerWhenSheNamesHerWorkspace() {
        // Given
        endpoint("fd-open", "confidential");
        int before = model.chatCount();

        // When
        Response r = v1(Tokens.of("vera"), Map.of("X-Drydock-Workspace", "demo"))
                .body(chat("fd-open"))
                .post("/v1/chat/completions");

        // Then
        r.then()
                .statusCode(403)
                .body("error.code", equalTo("forbidden"))
                .body("error.message", containsString("you are viewer"));
        assertThat(model.chatCount()).isEqualTo(before);
    }

    @Test
    void shouldRefuseEmbeddingsOutsideEveryWorkspaceWhenCallerIsMember() {
        // When
        Response r = v1(Tokens.of("mike"), Map.of("X-Drydock-Workspace", "-"))
                .body(Map.of("model", "local-embedding", "input", "hello"))
                .post("/v1/embeddings");

        // Then
        r.then().statusCode(403).body("error.type", equalTo("permission_denied_error"));
    }

    @Test
    void shouldRefuseCallOutsideEveryWorkspaceWhenCallerIsInNoWorkspace() throws Exception {
        // Given kira, taken out of her only workspace
        endpoint("fd-open", "confidential");
        int before = model.chatCount();
        KeycloakAdmin.removeFromGroup("kira", "/workspaces/demo/members");
        try {
            String token = Tokens.fresh("kira", RealServices.TEST_CLIENT);

            // When
            Response r = v1(token, Map.of("X-Drydock-Workspace", "-"))
                    .body(chat("fd-open"))
                    .post("/v1/chat/completions");

            // Then
            r.then().statusCode(403).body("error.code", equalTo("forbidden"));
            assertThat(model.chatCount()).isEqualTo(before);
        } finally {
            KeycloakAdmin.addToGroup("kira", "/workspaces/demo/members");
        }
    }

    @Test
    void shouldServeAndAuditCallOutsideEveryWorkspaceWhenDrydockAdminAsksForIt() {
        // Given
        endpoint("fd-admin", "confidential");
        long after = lastAuditSeq();

        // When
        Response r = v1(Tokens.of("alice"), Map.of("X-Drydock-Workspace", "-"))
                .body(chat("fd-admin"))
                .post("/v1/chat/completions");

        // Then the call is served, and the audit trail holds the explicit no-workspace call and the model request
        r.then().statusCode(200).body("drydock.endpoint", equalTo("fd-admin"));
        List<AuditRecord> records = auditAfter(after);
        assertThat(records)
                .filteredOn(a -> a.action().equals("model.no-workspace-call"))
                .singleElement()
                .satisfies(a -> {
                    assertThat(a.target()).isEqualTo("/v1/chat/completions");
                    assertThat(a.workspace()).isNull();
                    assertThat(a.details())
                            .contains("\"username\":\"alice\"")
                            .contains("\"classification\":\"internal\"");
                });
        assertThat(records)
                .filteredOn(
                        a -> a.action().equals("model.request") && a.target().equals("fd-admin"))
                .singleElement()
                .satisfies(a -> assertThat(a.workspace()).isEqualTo("-"));
    }

    @Test
    void shouldRefuseEndpointWhenOnlyAnotherWorkspacesRouteSendsToIt() {
        // Given an endpoint that only workspace other's route sends to
        endpoint("fd-other", "confidential");
        route("fd-other", Map.of("workspace", "other", "purpose", "fd-other-review", "endpoints", List.of("fd-other")));
        int before = model.chatCount();

        // When mike, member of demo, names it
        Response r = v1(Tokens.of("mike"), Map.of("X-Drydock-Workspace", "demo"))
                .body(chat("fd-other"))
                .post("/v1/chat/completions");

        // Then it is as unknown to him as a model that does not exist, and nothing reaches the model
        r.then()
                .statusCode(404)
                .body("error.code", equalTo("model_not_found"))
                .body("error.message", containsString("GET /v1/models"));
        assertThat(model.chatCount()).isEqualTo(before);
    }

    @Test
    void shouldListOnlyWhatTheWorkspacesRoutesServeWhenMemberListsModels() {
        // Given
        endpoint("fd-other", "confidential");
        route("fd-other", Map.of("workspace", "other", "purpose", "fd-other-review", "endpoints", List.of("fd-other")));

        // When
        List<String> mikes = v1(Tokens.of("mike"), Map.of("X-Drydock-Workspace", "demo"))
                .get("/v1/models")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("data.id", String.class);

        // Then demo's member sees neither the endpoint nor the purpose of other's route; other's admin sees both
        assertThat(mikes).contains("auto").doesNotContain("fd-other", "fd-other-review");
        assertThat(v1(Tokens.of("otto"), Map.of("X-Drydock-Workspace", "other"))
                        .get("/v1/models")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("data.id", String.class))
                .contains("fd-other", "fd-other-review");
    }

    @Test
    void shouldRefuseModelListWhenViewerAsksForHerWorkspace() {
        // When
        Response r =
                v1(Tokens.of("vera"), Map.of("X-Drydock-Workspace", "demo")).get("/v1/models");

        // Then
        r.then().statusCode(403).body("error.code", equalTo("forbidden"));
    }

    @Test
    void shouldAskDrydockAdminToNameWorkspaceWhenNoneIsSent() {
        // When
        Response r = v1(Tokens.of("alice"), Map.of()).body(chat("fd-admin")).post("/v1/chat/completions");

        // Then
        r.then().statusCode(400).body("error.message", containsString("X-Drydock-Workspace"));
    }

    @Test
    void shouldAnswerOtherWorkspacesSessionLikeMissingOneAndRecordTheProbe() throws Exception {
        // Given a session of demo
        endpoint("fd-open", "confidential");
        String demoSession = session("mike", "knowledge");
        String missing = UUID.randomUUID().toString();
        int before = model.chatCount();

        // When otto, admin of workspace other, sends both ids
        Response probed = v1(Tokens.of("otto"), Map.of("X-Drydock-Session", demoSession))
                .body(chat("fd-open"))
                .post("/v1/chat/completions");
        Response absent = v1(Tokens.of("otto"), Map.of("X-Drydock-Session", missing))
                .body(chat("fd-open"))
                .post("/v1/chat/completions");

        // Then both are the same 404, nothing reaches a model or the session's accounting, and the probe is on record
        probed.then().statusCode(404).body("error.code", equalTo("not_found"));
        assertThat(probed.asString().replace(demoSession, "ID"))
                .isEqualTo(absent.asString().replace(missing, "ID"));
        assertThat(model.chatCount()).isEqualTo(before);
        assertThat(requests("otto")).noneMatch(row -> demoSession.equals(row.get("sessionId")));
        List<String> recorded = Poll.until(
                () -> refusals("otto"),
                rows -> rows.stream().anyMatch(d -> d.contains(demoSession)),
                Duration.ofSeconds(30));
        assertThat(recorded)
                .filteredOn(d -> d.contains(demoSession))
                .allSatisfy(d -> assertThat(d).contains("\"status\":\"404\"").contains("not in workspace"));
        assertThat(recorded).noneMatch(d -> d.contains(missing));
    }

    @Test
    void shouldRefuseSessionWhenCallerIsViewerOfItsWorkspace() {
        // Given
        endpoint("fd-open", "confidential");
        String demoSession = session("mike", "knowledge");

        // When
        Response r = v1(Tokens.of("vera"), Map.of("X-Drydock-Session", demoSession))
                .body(chat("fd-open"))
                .post("/v1/chat/completions");

        // Then
        r.then()
                .statusCode(403)
                .body("error.code", equalTo("forbidden"))
                .body("error.message", containsString("viewer"));
    }

    @Test
    void shouldRefuseDroidHeaderWhenNoSessionOfThatDroidIsNamed() {
        // Given a route reserved for the reliability droid
        endpoint("fd-droid", "confidential");
        route("fd-droid", Map.of("droid", "reliability", "purpose", "fd-droid", "endpoints", List.of("fd-droid")));
        int before = model.chatCount();

        // When mike picks it without a session
        Response r = v1(Tokens.of("mike"), Map.of("X-Drydock-Droid", "reliability"))
                .body(chat("fd-droid"))
                .post("/v1/chat/completions");

        // Then
        r.then()
                .statusCode(403)
                .body("error.code", equalTo("forbidden"))
                .body("error.message", containsString("X-Drydock-Session"));
        assertThat(model.chatCount()).isEqualTo(before);
    }

    @Test
    void shouldRefuseDroidHeaderWhenSessionIsRunByAnotherDroid() {
        // Given
        endpoint("fd-droid", "confidential");
        route("fd-droid", Map.of("droid", "reliability", "purpose", "fd-droid", "endpoints", List.of("fd-droid")));
        String knowledgeSession = session("mike", "knowledge");

        // When
        Response r = v1(
                        Tokens.of("mike"),
                        Map.of("X-Drydock-Droid", "reliability", "X-Drydock-Session", knowledgeSession))
                .body(chat("fd-droid"))
                .post("/v1/chat/completions");

        // Then
        r.then().statusCode(403).body("error.message", containsString("knowledge droid"));
    }

    @Test
    void shouldRouteToDroidsRouteWhenCallIsMadeForSessionOfThatDroid() {
        // Given
        endpoint("fd-droid", "confidential");
        route("fd-droid", Map.of("droid", "reliability", "purpose", "fd-droid", "endpoints", List.of("fd-droid")));
        String reliabilitySession = session("mike", "reliability");

        // When
        Response r = v1(
                        Tokens.of("mike"),
                        Map.of("X-Drydock-Droid", "reliability", "X-Drydock-Session", reliabilitySession))
                .body(chat("fd-droid"))
                .post("/v1/chat/completions");

        // Then
        r.then().statusCode(200).body("drydock.endpoint", equalTo("fd-droid"));
        assertThat(requests("mike"))
                .anySatisfy(row -> assertThat(row)
                        .containsEntry("sessionId", reliabilitySession)
                        .containsEntry("endpoint", "fd-droid")
                        .containsEntry("workspace", "demo"));
    }

    @Test
    void shouldSendSecretWorkspacesCallOnlyToEndpointClearedForSecretWhenHeaderSaysPublic() {
        // Given workspace other classified secret, and a route of other whose first endpoint is cleared for internal
        // only
        endpoint("fd-internal", "internal");
        endpoint("fd-secret", "secret");
        route(
                "fd-secret-route",
                Map.of(
                        "workspace",
                        "other",
                        "purpose",
                        "fd-classified",
                        "endpoints",
                        List.of("fd-internal", "fd-secret")));
        Map<String, Object> policy = classify("other", "secret");
        try {
            // When
            Response r = v1(Tokens.of("otto"), Map.of("X-Drydock-Classification", "public"))
                    .body(chat("fd-classified"))
                    .post("/v1/chat/completions");

            // Then
            r.then().statusCode(200).body("drydock.endpoint", equalTo("fd-secret"));
            String id = r.jsonPath().getString("drydock.request_id");
            assertThat(requests("otto"))
                    .filteredOn(row -> id.equals(row.get("id")))
                    .singleElement()
                    .satisfies(row -> assertThat(row)
                            .containsEntry("classification", "secret")
                            .containsEntry("workspace", "other"));
        } finally {
            restore("other", policy);
        }
    }

    @Test
    void shouldRefuseSecretWorkspacesCallWhenNoEndpointOfItsRouteIsClearedForSecret() {
        // Given
        endpoint("fd-internal", "internal");
        route(
                "fd-internal-route",
                Map.of("workspace", "other", "purpose", "fd-internal-only", "endpoints", List.of("fd-internal")));
        Map<String, Object> policy = classify("other", "secret");
        int before = model.chatCount();
        try {
            // When
            Response r = v1(Tokens.of("otto"), Map.of("X-Drydock-Classification", "public"))
                    .body(chat("fd-internal-only"))
                    .post("/v1/chat/completions");

            // Then
            r.then()
                    .statusCode(403)
                    .body("error.code", equalTo("classification_refused"))
                    .body("error.message", containsString("classified secret"));
            assertThat(model.chatCount()).isEqualTo(before);
        } finally {
            restore("other", policy);
        }
    }

    private static RequestSpecification v1(String token, Map<String, String> headers) {
        RequestSpecification spec =
                given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
        headers.forEach(spec::header);
        return spec;
    }

    private static Map<String, Object> chat(String model) {
        return Map.of("model", model, "messages", List.of(Map.of("role", "user", "content", "hello")));
    }

    private static void endpoint(String name, String clearance) {
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
                        "clearance",
                        clearance))
                .put("/api/admin/model-endpoints/" + name)
                .then()
                .statusCode(200);
    }

    private static void route(String name, Map<String, Object> route) {
        Map<String, Object> overridden = new java.util.HashMap<>(route);
        overridden.put("override", Map.of("reason", "front door scope test: the endpoint is a test double"));
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(overridden)
                .put("/api/admin/model-routes/" + name)
                .then()
                .statusCode(200);
    }

    /** A real session of demo, started through the sessions API (no route serves its droid here, so it ends on its own). */
    private static String session(String user, String droid) {
        return given().auth()
                .oauth2(Tokens.of(user))
                .contentType(ContentType.JSON)
                .body(Map.of("workspace", "demo", "droid", droid, "task", "front door scope test"))
                .post("/api/sessions")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /** Sets the workspace's classification as its admin would; returns the policy it had. */
    private static Map<String, Object> classify(String workspace, String classification) {
        Map<String, Object> policy = given().auth()
                .oauth2(Tokens.of("alice"))
                .get("/api/workspaces/" + workspace)
                .then()
                .statusCode(200)
                .extract()
                .path("policy");
        Map<String, Object> changed = new HashMap<>(policy);
        changed.put("classification", classification);
        restore(workspace, changed);
        return policy;
    }

    private static void restore(String workspace, Map<String, Object> policy) {
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(policy)
                .put("/api/workspaces/" + workspace + "/policy")
                .then()
                .statusCode(200);
    }

    /** The accounting rows of a user's model requests, newest first. */
    private static List<Map<String, Object>> requests(String user) {
        return given().auth()
                .oauth2(Tokens.of("alice"))
                .get("/api/admin/model-requests?user=" + user + "&limit=200")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
    }

    private static long lastAuditSeq() {
        List<AuditRecord> all = auditAfter(0);
        return all.isEmpty() ? 0 : all.getLast().seq();
    }

    private static List<AuditRecord> auditAfter(long seq) {
        String export = given().auth()
                .oauth2(Tokens.of("alice"))
                .get("/api/admin/audit/export?afterSeq=" + seq)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        return export.lines().filter(l -> !l.isBlank()).map(AuditJson::parse).toList();
    }

    /** Details of the {@code access.refused} audit records that name {@code username}. */
    private List<String> refusals(String username) {
        List<String> out = new ArrayList<>();
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "select details from audit_record where action = 'access.refused' and details like ? order by seq")) {
            ps.setString(1, "%\"" + username + "\"%");
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
