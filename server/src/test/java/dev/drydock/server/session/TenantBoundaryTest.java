package dev.drydock.server.session;

import static dev.drydock.server.session.DroidTestServices.args;
import static dev.drydock.server.session.DroidTestServices.calls;
import static dev.drydock.server.session.DroidTestServices.script;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.server.testing.KeycloakAdmin;
import dev.drydock.server.testing.Poll;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad credentials and tenant probing against the real Keycloak: expired tokens, a member removed from
 * the workspace group while a session runs, and another tenant's ids guessed in URLs. Each is refused
 * with the right status, recorded in the audit trail, and tells the prober nothing.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(DroidTestServices.class)
class TenantBoundaryTest {
    @TestHTTPResource("/")
    URI base;

    @Inject
    DataSource ds;

    @BeforeAll
    static void scripts() {
        DroidTestServices.SCRIPTS.put(
                "hold",
                script(
                        calls("ask_user", args("question", "Which module do you mean?")),
                        calls("finish", args("title", "t", "document", "answered"))));
    }

    @Test
    void shouldRefuseAndRecordTokenWhenItHasExpired() throws Exception {
        // Given a token of a client whose tokens live a few seconds, accepted while fresh
        String token = Tokens.fresh("vera", RealServices.SHORT_CLIENT);
        given().auth().oauth2(token).when().get("/api/me").then().statusCode(200);

        // When it has run out
        Response refused = until(() -> given().auth().oauth2(token).when().get("/api/me"), r -> r.statusCode() != 200);

        // Then
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.jsonPath().getString("detail")).contains("expired");
        assertThat(refused.header("WWW-Authenticate")).startsWith("Bearer");
        List<String> recorded = until(
                () -> refusals("vera"), rows -> rows.stream().anyMatch(r -> r.contains("\"reason\":\"expired\"")));
        assertThat(recorded)
                .filteredOn(r -> r.contains("\"reason\":\"expired\""))
                .allSatisfy(details -> assertThat(details)
                        .contains("\"status\":\"401\"")
                        .contains("\"claimedUsername\":\"vera\"")
                        .contains("\"client\":"));
    }

    @Test
    void shouldEndStreamAndRefuseEverythingWhenMemberIsRemovedFromWorkspaceGroup() throws Exception {
        // Given remy, a member of demo, with a session waiting for his answer and its event stream open
        String before = Tokens.fresh("remy", RealServices.TEST_CLIENT);
        String id = given().auth()
                .oauth2(before)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "workspace",
                        "demo",
                        "droid",
                        "knowledge",
                        "task",
                        "[script:hold] Explain the module",
                        "repo",
                        "droid-calc"))
                .when()
                .post("/api/sessions")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        until(
                () -> given().auth()
                        .oauth2(before)
                        .when()
                        .get("/api/sessions/" + id)
                        .then()
                        .extract()
                        .jsonPath()
                        .getString("status"),
                "waiting_for_answer"::equals);
        HttpResponse<Stream<String>> stream = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(base.resolve("/api/sessions/" + id + "/events"))
                                .header("Authorization", "Bearer " + Tokens.fresh("remy", RealServices.SHORT_CLIENT))
                                .header("Accept", "text/event-stream")
                                .timeout(Duration.ofSeconds(60))
                                .build(),
                        HttpResponse.BodyHandlers.ofLines());

        // When an administrator removes him from the workspace's group in Keycloak
        KeycloakAdmin.removeFromGroup("remy", "/workspaces/demo/members");
        String after = Tokens.fresh("remy", RealServices.TEST_CLIENT);

        // Then the open stream ends when its token runs out, and every request with a new token is refused
        List<String> lines = stream.body().toList();
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(lines)
                .anyMatch(l -> l.matches("event: ?question\\.asked\\.v1"))
                .anyMatch(l -> l.startsWith(":") && l.contains("credential expired"));
        given().auth()
                .oauth2(after)
                .when()
                .get("/api/sessions/" + id)
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(after)
                .contentType(ContentType.JSON)
                .body(Map.of("answer", "calc"))
                .when()
                .post("/api/sessions/" + id + "/answer")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(after)
                .header("Accept", "text/event-stream")
                .when()
                .get("/api/sessions/" + id + "/events")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(after)
                .when()
                .get("/api/sessions/" + id + "/artifacts")
                .then()
                .statusCode(404);
        assertThat(given().auth()
                        .oauth2(after)
                        .when()
                        .get("/api/sessions")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("id"))
                .doesNotContain(id);
        List<String> recorded = until(() -> refusals("remy"), rows -> rows.size() >= 4);
        assertThat(recorded)
                .allSatisfy(details -> assertThat(details)
                        .contains("\"status\":\"404\"")
                        .contains("\"reason\":\"not in workspace\"")
                        .contains("Session " + id));
        given().auth()
                .oauth2(Tokens.of("mike"))
                .when()
                .post("/api/sessions/" + id + "/cancel")
                .then()
                .statusCode(200);
    }

    @Test
    void shouldAnswerOtherTenantsSessionExactlyLikeMissingOneAndRecordTheProbe() throws Exception {
        // Given a session of demo, and an id that names nothing
        String mine = given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "workspace",
                        "demo",
                        "droid",
                        "knowledge",
                        "task",
                        "[script:hold] private work",
                        "repo",
                        "droid-calc"))
                .when()
                .post("/api/sessions")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String missing = UUID.randomUUID().toString();

        // When otto, admin of another workspace, probes both
        List<String> probed = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        for (String path : List.of("", "/artifacts", "/events")) {
            probed.add(probe("/api/sessions/" + mine + path, mine));
            absent.add(probe("/api/sessions/" + missing + path, missing));
        }
        String workspaceProbe = given().auth()
                .oauth2(Tokens.of("otto"))
                .when()
                .get("/api/workspaces/demo/repositories")
                .then()
                .statusCode(404)
                .extract()
                .body()
                .asString();
        String workspaceAbsent = given().auth()
                .oauth2(Tokens.of("otto"))
                .when()
                .get("/api/workspaces/nowhere/repositories")
                .then()
                .statusCode(404)
                .extract()
                .body()
                .asString();

        // Then the answers are the same, byte for byte once the id is masked, and the probe is on record
        assertThat(probed).isEqualTo(absent);
        assertThat(workspaceProbe.replace("demo", "X")).isEqualTo(workspaceAbsent.replace("nowhere", "X"));
        List<String> recorded = until(
                () -> refusals("otto"),
                rows -> rows.stream().filter(r -> r.contains(mine)).count() >= 3);
        assertThat(recorded).filteredOn(r -> r.contains(missing)).isEmpty();
        given().auth()
                .oauth2(Tokens.of("mike"))
                .when()
                .post("/api/sessions/" + mine + "/cancel")
                .then()
                .statusCode(200);
    }

    private String probe(String path, String id) {
        Response r = given().auth()
                .oauth2(Tokens.of("otto"))
                .header("Accept", path.endsWith("/events") ? "text/event-stream" : "application/json")
                .when()
                .get(path);
        assertThat(r.statusCode()).as(path).isEqualTo(404);
        return r.contentType() + " " + r.body().asString().replace(id, "ID");
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

    private static <T> T until(Supplier<T> what, java.util.function.Predicate<T> done) throws InterruptedException {
        return Poll.until(what, done, Duration.ofSeconds(30));
    }
}
