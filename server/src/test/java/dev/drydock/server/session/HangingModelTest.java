package dev.drydock.server.session;

import static dev.drydock.server.session.DroidTestServices.script;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Lifecycle;
import dev.drydock.server.agent.event.Telemetry;
import dev.drydock.server.eventlog.PostgresEventLog;
import dev.drydock.server.testing.Poll;
import dev.drydock.server.testing.QueueProfile;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 21: a model endpoint that accepts a request and never answers ends the session with a clear outcome, never hangs it. */
@QuarkusTest
@TestProfile(QueueProfile.class)
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(DroidTestServices.class)
class HangingModelTest {
    @Inject
    PostgresEventLog log;

    @Inject
    DataSource ds;

    @BeforeAll
    static void scripts() {
        DroidTestServices.SCRIPTS.put("hang", script("HANG", "HANG", "HANG"));
    }

    @BeforeEach
    void demoRunsKnowledgeDroids() throws Exception {
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "insert into workspace(slug, display_name, created_at, autonomy) values ('demo', 'demo', now(), 'auto-edit') "
                                + "on conflict (slug) do update set autonomy = 'auto-edit', allowed_droids = 'code,knowledge,reliability', allowed_routes = '*', classification = 'internal'")) {
            ps.executeUpdate();
        }
    }

    @Test
    void shouldEndSessionModelUnavailableWithTimeoutEventsWhenTheModelNeverAnswers() throws Exception {
        // Given a model endpoint that accepts every request and never answers

        // When a session asks it
        String id = given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(Map.of("workspace", "demo", "droid", "knowledge", "task", "[script:hang] what is here?"))
                .when()
                .post("/api/sessions")
                .then()
                .statusCode(201)
                .extract()
                .path("id");

        // Then each attempt is recorded as failed with the timeout, and the session ends model_unavailable
        List<Event> events = Poll.until(
                () -> log.readAll(id),
                // a finished session's log ends with its egress proof
                es -> !es.isEmpty() && es.getLast().payload() instanceof Telemetry.EgressProofRecorded,
                Duration.ofSeconds(90));
        List<Telemetry.ModelCallFailed> failed = events.stream()
                .map(Event::payload)
                .filter(Telemetry.ModelCallFailed.class::isInstance)
                .map(Telemetry.ModelCallFailed.class::cast)
                .toList();
        assertThat(failed).hasSize(QueueProfile.ATTEMPTS);
        assertThat(failed).allSatisfy(f -> assertThat(f.reason()).containsIgnoringCase("time"));
        assertThat(events.get(events.size() - 2).payload())
                .isInstanceOfSatisfying(
                        Lifecycle.SessionFinished.class,
                        f -> assertThat(f.outcome()).isEqualTo(Lifecycle.Outcome.MODEL_UNAVAILABLE));
    }
}
