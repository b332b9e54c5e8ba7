package dev.drydock.server.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.server.agent.EventLog;
import dev.drydock.server.agent.event.Action;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Observation;
import dev.drydock.server.agent.event.Source;
import dev.drydock.server.testing.RealServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * NUL characters in what a session records (a command's output, the command a droid sent) reach
 * PostgreSQL, whose jsonb and text refuse them: the log stores U+FFFD instead and says how many it replaced.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class NulInEventsTest {
    @Inject
    EventLog log;

    @Inject
    DataSource ds;

    @Test
    void shouldStoreReplacementCharactersWhenACommandPrintsNulBytes() throws Exception {
        // Given a running session whose droid ran a command with a NUL in it
        String session = newSession();
        log.append(
                session,
                Source.AGENT,
                new Action.InvokeTool(
                        "c1", "run_command", "{\"command\":\"printf 'a\\u0000b'\"}", Action.Risk.READ_ONLY));

        // When the command's output, which holds NUL bytes, is appended
        log.append(
                session,
                Source.ENVIRONMENT,
                new Observation.CommandFinished("c1", "printf 'a\0b'", 0, "a\0b\0", false));

        // Then both events are stored, with U+FFFD for each NUL and the count beside them
        List<Event> stored = log.read(session, 0, 10);
        assertThat(stored).hasSize(2);
        Observation.CommandFinished finished =
                (Observation.CommandFinished) stored.get(1).payload();
        assertThat(finished.output()).isEqualTo("a\uFFFDb\uFFFD");
        assertThat(finished.command()).isEqualTo("printf 'a\uFFFDb'");
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "select payload->>'nulReplaced' from session_event where session_id = ? and seq = 2")) {
            ps.setObject(1, UUID.fromString(session));
            try (var rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("3");
            }
        }
    }

    private String newSession() throws Exception {
        String session = UUID.randomUUID().toString();
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "insert into droid_session(id, workspace, droid, repo, title, created_by, created_at, updated_at) values (?, 'demo', 'code', 'calc', 'nul', 'mike', now(), now())")) {
            ps.setObject(1, UUID.fromString(session));
            ps.executeUpdate();
        }
        return session;
    }
}
