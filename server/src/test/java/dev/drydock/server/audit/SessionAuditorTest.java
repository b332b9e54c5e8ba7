package dev.drydock.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.server.agent.EventLog;
import dev.drydock.server.agent.event.Action;
import dev.drydock.server.agent.event.Lifecycle;
import dev.drydock.server.agent.event.Observation;
import dev.drydock.server.agent.event.Oversight;
import dev.drydock.server.agent.event.Source;
import dev.drydock.server.agent.tool.Args;
import dev.drydock.server.testing.RealServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(RealServices.class)
class SessionAuditorTest {
    @Inject
    EventLog log;

    @Inject
    AuditTrail trail;

    @Inject
    DataSource ds;

    @Test
    void shouldSealLifecycleToolExecutionsAndFileReadsIntoTheChain() throws Exception {
        // Given
        String session = newSession();
        long before = trail.verify().checked();
        String content = "1: package demo;\n2: class Calculator {}\n";

        // When a session starts, reads a file and finishes
        publish(session, new Lifecycle.SessionStarted("code", "fix it", "demo", "calc", "abc123"));
        publish(
                session,
                new Action.InvokeTool(
                        "c1",
                        "read_file",
                        "{\"path\": \"src/Calculator.java\", \"start_line\": 1, \"end_line\": 2}",
                        Action.Risk.READ_ONLY));
        publish(session, new Observation.ToolSucceeded("c1", content));
        publish(session, new Lifecycle.SessionFinished(Lifecycle.Outcome.values()[0], "done"));

        // Then
        List<AuditRecord> records = trail.page(before, 1000, "demo").stream()
                .filter(r -> session.equals(r.sessionId()))
                .toList();
        assertThat(records)
                .extracting(AuditRecord::action)
                .containsExactly("session.started", "tool.executed", "file.read", "session.finished");
        assertThat(records.get(2).target()).isEqualTo("calc@abc123:src/Calculator.java:1-2");
        assertThat(records.get(2).details()).contains(AuditRecord.sha256(content));
        assertThat(trail.sessionRootHash(session)).contains(records.getLast().hash());
        assertThat(trail.verify().intact()).isTrue();
    }

    @Test
    void shouldRecordApprovalsDenialsAndCancellationsWithWhoDecided() throws Exception {
        // Given a session with two actions waiting for a person
        String session = newSession();
        long before = trail.verify().checked();
        publish(session, new Lifecycle.SessionStarted("code", "fix it", "demo", "calc", "abc123"));
        publish(
                session,
                new Action.InvokeTool("c1", "run_command", "{\"command\": \"git push\"}", Action.Risk.NETWORK));
        publish(
                session,
                new Action.InvokeTool("c2", "run_command", "{\"command\": \"rm -rf build\"}", Action.Risk.DESTRUCTIVE));

        // When
        publish(session, new Oversight.ActionApproved("c1", "wanda"));
        publish(session, new Oversight.ActionDenied("c2", "mike", "not today"));
        publish(session, new Oversight.CancelRequested("mike"));

        // Then
        List<AuditRecord> records = trail.page(before, 1000, "demo").stream()
                .filter(r -> session.equals(r.sessionId()))
                .toList();
        assertThat(records)
                .extracting(r -> r.actor() + " " + r.action() + " " + r.target())
                .containsExactly(
                        "droid:code session.started session " + session,
                        "wanda approval.granted run_command",
                        "mike approval.denied run_command",
                        "mike session.cancel-requested session " + session);
        assertThat(records.get(2).details())
                .contains("\"reason\":\"not today\"")
                .contains("\"callId\":\"c2\"");
    }

    @Test
    void shouldRecordThePathTheToolReadsWhatEverTheArgumentsHide() {
        // Given arguments that a naive reader of the JSON text gets wrong
        String escapedKey = "{\"pa\\u0074h\": \"secrets/prod.env\"}";
        String nestedDecoy = "{\"note\": {\"path\": \"README.md\"}, \"path\": \"secrets/prod.env\", \"start_line\": 3}";
        String escapedValue = "{\"path\": \"secrets\\/prod.env\"}";
        String duplicate = "{\"path\": \"README.md\", \"path\": \"secrets/prod.env\"}";

        // When
        List<String> recorded = List.of(escapedKey, nestedDecoy, escapedValue, duplicate).stream()
                .map(SessionAuditor::fileAndLines)
                .toList();

        // Then
        assertThat(recorded.subList(0, 3))
                .containsExactly("secrets/prod.env", "secrets/prod.env:3-", "secrets/prod.env");
        assertThat(recorded.get(3)).contains("could not parse").contains("duplicate field 'path'");
        assertThatThrownBy(() -> Args.parse(duplicate)).hasMessageContaining("duplicate field 'path'");
    }

    /** A session row for the log to append to (the events below make up its story). */
    private String newSession() throws Exception {
        return newSession(ds);
    }

    static String newSession(DataSource ds) throws Exception {
        String session = UUID.randomUUID().toString();
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "insert into droid_session(id, workspace, droid, repo, title, created_by, created_at, updated_at) values (?, 'demo', 'code', 'calc', 'audit', 'mike', now(), now())")) {
            ps.setObject(1, UUID.fromString(session));
            ps.executeUpdate();
        }
        return session;
    }

    /** Appends through the real log, in whose transaction the auditor writes. */
    private void publish(String session, dev.drydock.server.agent.event.Payload payload) {
        log.append(session, Source.AGENT, payload);
    }
}
