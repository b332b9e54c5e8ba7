package dev.drydock.server.session;

import static dev.drydock.server.session.DroidTestServices.args;
import static dev.drydock.server.session.DroidTestServices.calls;
import static dev.drydock.server.session.DroidTestServices.script;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Lifecycle;
import dev.drydock.server.agent.event.Telemetry;
import dev.drydock.server.eventlog.PostgresEventLog;
import dev.drydock.server.testing.Poll;
import dev.drydock.server.testing.PortalBrowser;
import dev.drydock.server.testing.QueueProfile;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Backpressure (issue 21): this replica keeps at most {@link QueueProfile#SANDBOXES} real bubblewrap
 * sandboxes; further sessions wait in the queue in PostgreSQL, show their position in the API and the
 * portal, can be cancelled there, and start as sandboxes free up. Sessions that "hold" a sandbox ask a
 * question and wait for the answer (a session waiting for a person keeps its sandbox).
 */
@QuarkusTest
@TestProfile(QueueProfile.class)
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(DroidTestServices.class)
class SessionQueueTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TestHTTPResource("/")
    URI base;

    @Inject
    SessionRunner runner;

    @Inject
    PostgresEventLog log;

    @Inject
    DataSource ds;

    private final List<String> started = new ArrayList<>();

    @BeforeAll
    static void scripts() {
        DroidTestServices.SCRIPTS.put(
                "queue-hold",
                script(
                        calls("ask_user", args("question", "Go on?", "options", List.of("yes", "no"))),
                        calls("finish", args("title", "t", "document", "held a sandbox, then finished"))));
        DroidTestServices.SCRIPTS.put(
                "queue-quick", script(calls("finish", args("title", "t", "document", "ran once a sandbox was free"))));
    }

    @BeforeEach
    void workspacesRunKnowledgeDroids() throws Exception {
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "insert into workspace(slug, display_name, created_at, autonomy) values (?, ?, now(), 'auto-edit') "
                                + "on conflict (slug) do update set autonomy = 'auto-edit', allowed_droids = 'code,knowledge,reliability', allowed_routes = '*', classification = 'internal'")) {
            for (String ws : List.of("demo", "other")) {
                ps.setString(1, ws);
                ps.setString(2, ws);
                ps.executeUpdate();
            }
        }
    }

    /** Cancels what a test left going (queued ones first, so that none of them gets a sandbox) and waits for the sandboxes to go. */
    @AfterEach
    void cancelSessions() throws Exception {
        for (String id : started.reversed()) {
            if (!finished(id)) {
                runner.cancel(id, "test cleanup");
            }
        }
        Poll.until(
                () -> runner.sandboxes() + runner.queue().size(),
                n -> n == 0 && started.stream().allMatch(this::finished),
                WAIT);
        started.clear();
    }

    private boolean finished(String id) {
        List<Event> events = log.readAll(id);
        // a finished session's log ends with its egress proof (also one cancelled while queued)
        return !events.isEmpty() && events.getLast().payload() instanceof Telemetry.EgressProofRecorded;
    }

    private Response start(String user, String workspace, String script, String priority) {
        Response r = given().auth()
                .oauth2(Tokens.of(user))
                .contentType(ContentType.JSON)
                .queryParam("priority", priority)
                .body(Map.of("workspace", workspace, "droid", "knowledge", "task", "[script:" + script + "] " + script))
                .when()
                .post("/api/sessions");
        if (r.statusCode() == 201) {
            started.add(r.path("id"));
        }
        return r;
    }

    private String started(String user, String workspace, String script) {
        return start(user, workspace, script, "normal")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private static Response view(String user, String id) {
        return given().auth().oauth2(Tokens.of(user)).when().get("/api/sessions/" + id);
    }

    /** Fills every sandbox of the replica with a session waiting for an answer. */
    private List<String> holdEverySandbox() throws Exception {
        List<String> holding = new ArrayList<>();
        for (int i = 0; i < QueueProfile.SANDBOXES; i++) {
            String id = started("mike", "demo", "queue-hold");
            Poll.until(() -> view("mike", id).path("status"), "waiting_for_answer"::equals, WAIT);
            holding.add(id);
        }
        return holding;
    }

    @Test
    void shouldQueueSessionsWithTheirPositionsWhenEverySandboxIsTaken() throws Exception {
        // Given
        holdEverySandbox();

        // When
        Response first = start("mike", "demo", "queue-quick", "normal");
        Response second = start("mike", "demo", "queue-quick", "normal");

        // Then both are accepted and wait, in order; the replica keeps no more sandboxes than its cap
        first.then().statusCode(201).body("status", org.hamcrest.Matchers.equalTo("queued"));
        assertThat(view("mike", first.path("id")).jsonPath().getInt("queue.position"))
                .isEqualTo(1);
        Response secondView = view("mike", second.path("id"));
        assertThat(secondView.jsonPath().getString("status")).isEqualTo("queued");
        assertThat(secondView.jsonPath().getInt("queue.position")).isEqualTo(2);
        assertThat(secondView.jsonPath().getString("queue.reason")).isEqualTo("waiting for a sandbox");
        assertThat(secondView.jsonPath().getString("queue.priority")).isEqualTo("normal");
        List<Map<String, Object>> listed = given().auth()
                .oauth2(Tokens.of("mike"))
                .queryParam("workspace", "demo")
                .when()
                .get("/api/sessions")
                .then()
                .statusCode(200)
                .extract()
                .path("findAll { it.id == '" + second.path("id") + "' }");
        assertThat(listed).singleElement().satisfies(s -> {
            assertThat(s).containsEntry("status", "queued").containsEntry("queuePosition", 2);
        });
        assertThat(runner.sandboxes()).isEqualTo(QueueProfile.SANDBOXES);
        assertThat(runner.sandbox(first.path("id"))).isEmpty();
    }

    @Test
    void shouldRunQueuedSessionToCompletionWhenASandboxFreesUp() throws Exception {
        // Given every sandbox is held and one session waits
        List<String> holding = holdEverySandbox();
        String waiting = started("mike", "demo", "queue-quick");
        assertThat(view("mike", waiting).jsonPath().getString("status")).isEqualTo("queued");

        // When one holding session gets its answer and finishes, freeing its sandbox
        given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(Map.of("answer", "yes"))
                .when()
                .post("/api/sessions/" + holding.getFirst() + "/answer")
                .then()
                .statusCode(200);

        // Then the queued session gets the sandbox and completes; its log has one start and one finish
        Response done = Poll.until(() -> view("mike", waiting), r -> "finished".equals(r.path("status")), WAIT);
        assertThat(done.jsonPath().getString("outcome")).isEqualTo("completed");
        assertThat(done.jsonPath().getMap("queue")).isNull();
        List<Event> events = log.readAll(waiting);
        assertThat(events)
                .extracting(Event::seq)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, events.size())
                        .boxed()
                        .toList());
        assertThat(events.stream().filter(e -> e.payload() instanceof Lifecycle.SessionFinished))
                .hasSize(1);
        assertThat(view("mike", holding.getFirst()).jsonPath().getString("outcome"))
                .isEqualTo("completed");
    }

    @Test
    void shouldFinishQueuedSessionCancelledWithoutASandboxWhenItIsCancelled() throws Exception {
        // Given
        holdEverySandbox();
        String waiting = started("mike", "demo", "queue-quick");

        // When
        Response cancelled =
                given().auth().oauth2(Tokens.of("mike")).when().post("/api/sessions/" + waiting + "/cancel");

        // Then it leaves the queue, finishes cancelled, and never had a sandbox
        cancelled.then().statusCode(200);
        Response after = view("mike", waiting);
        assertThat(after.jsonPath().getString("status")).isEqualTo("finished");
        assertThat(after.jsonPath().getString("outcome")).isEqualTo("cancelled");
        assertThat(after.jsonPath().getString("summary")).contains("while queued for a sandbox");
        assertThat(runner.queue().size()).isZero();
        assertThat(runner.sandbox(waiting)).isEmpty();
        assertThat(runner.sandboxes()).isEqualTo(QueueProfile.SANDBOXES);
    }

    @Test
    void shouldOrderQueueByPriorityThenWorkspacesInTurnWhenSeveralWait() throws Exception {
        // Given demo queued two sessions, then workspace other one
        holdEverySandbox();
        String demo1 = started("mike", "demo", "queue-quick");
        String demo2 = started("mike", "demo", "queue-quick");
        String other1 = started("bruno", "other", "queue-quick");

        // When a workspace admin of demo starts one at high priority
        String urgent = start("wanda", "demo", "queue-quick", "high")
                .then()
                .statusCode(201)
                .extract()
                .path("id");

        // Then high goes first; at one priority, each workspace's first before any workspace's second
        assertThat(view("wanda", urgent).jsonPath().getInt("queue.position")).isEqualTo(1);
        assertThat(view("wanda", urgent).jsonPath().getString("queue.priority")).isEqualTo("high");
        assertThat(view("mike", demo1).jsonPath().getInt("queue.position")).isEqualTo(2);
        assertThat(view("bruno", other1).jsonPath().getInt("queue.position")).isEqualTo(3);
        assertThat(view("mike", demo2).jsonPath().getInt("queue.position")).isEqualTo(4);
    }

    @Test
    void shouldRefuseHighPriorityWithForbiddenWhenCallerIsNotWorkspaceAdmin() {
        // Given mike is a member of demo, not an admin

        // When
        Response r = start("mike", "demo", "queue-quick", "high");

        // Then
        r.then().statusCode(403).contentType("application/problem+json");
        assertThat(r.jsonPath().getString("detail")).contains("high priority needs workspace-admin");
    }

    @Test
    void shouldRefuseUnknownPriorityWithBadRequestWhenItIsNoneOfLowNormalHigh() {
        // Given a priority that does not exist

        // When
        Response r = start("mike", "demo", "queue-quick", "urgent!!");

        // Then
        r.then().statusCode(400).contentType("application/problem+json");
        assertThat(r.jsonPath().getString("detail")).contains("priority must be low, normal or high");
    }

    @Test
    void shouldShowQueuePositionOnSessionPageAndHomeWhenSessionWaits() throws Exception {
        // Given
        holdEverySandbox();
        String waiting = started("mike", "demo", "queue-quick");

        try (PortalBrowser browser = PortalBrowser.launch()) {
            // When
            Page session = browser.signIn(
                    "mike", base.resolve("/portal/sessions/" + waiting).toString());

            // Then the session page and the home page say it is queued and where
            PlaywrightAssertions.assertThat(session.locator("#stream-state")).hasText("live");
            assertThat(session.textContent("#status")).isEqualTo("queued, position 1");
            session.navigate(base.resolve("/portal").toString());
            assertThat(session.textContent("#recent-sessions tr[data-session='" + waiting + "']"))
                    .contains("queued, position 1");
        }
    }
}
