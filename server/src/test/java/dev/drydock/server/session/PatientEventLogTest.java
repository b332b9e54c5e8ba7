package dev.drydock.server.session;

import static dev.drydock.server.agent.ScriptedModel.args;
import static dev.drydock.server.agent.ScriptedModel.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.server.agent.AgentLoop;
import dev.drydock.server.agent.CompletionRule;
import dev.drydock.server.agent.EventLog;
import dev.drydock.server.agent.InMemoryEventLog;
import dev.drydock.server.agent.InMemoryWorkspace;
import dev.drydock.server.agent.Limits;
import dev.drydock.server.agent.ScriptedModel;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Lifecycle;
import dev.drydock.server.agent.event.Payload;
import dev.drydock.server.agent.event.Progress;
import dev.drydock.server.agent.event.Source;
import dev.drydock.server.agent.event.Telemetry;
import dev.drydock.server.agent.tool.Autonomy;
import dev.drydock.server.agent.tool.FinishTool;
import dev.drydock.server.agent.tool.Memory;
import dev.drydock.server.agent.tool.TestCommand;
import dev.drydock.server.agent.tool.ToolBox;
import dev.drydock.server.agent.tool.ToolContext;
import dev.drydock.server.agent.tool.Workspace.CommandResult;
import dev.drydock.server.problem.OutageLog;
import jakarta.persistence.PersistenceException;
import java.net.ServerSocket;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A session's driver while PostgreSQL restarts, against a log double that fails appends with the
 * exception of a real refused connection: waits, retries, reads back an append of unknown outcome,
 * and gives up (parks, never fails the session) past the grace.
 */
class PatientEventLogTest {
    static final String S = "s1";
    static final Duration GRACE = Duration.ofMinutes(2);

    /** The failure of a real connection attempt to a port where no PostgreSQL listens, as Hibernate wraps it. */
    static PersistenceException refused;

    @BeforeAll
    static void refuseAConnection() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try {
            DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/drydock?connectTimeout=2", "x", "y")
                    .close();
            throw new IllegalStateException("a PostgreSQL answered on port " + port);
        } catch (SQLException e) {
            refused = new PersistenceException("could not open a connection", e);
        }
    }

    /** What the double does with the next append. */
    enum Fault {
        /** Refused before anything was written. */
        REFUSED,
        /** Written and committed, then the connection died before the answer came back. */
        LOST_AFTER_COMMIT
    }

    /** An in-memory log whose appends fail as scripted, and whose reads fail while it is down. */
    static final class FlakyLog implements EventLog {
        final InMemoryEventLog store;
        final Deque<Fault> faults = new ArrayDeque<>();
        boolean down;
        int appendAttempts;

        FlakyLog(Clock clock) {
            store = new InMemoryEventLog(clock);
        }

        @Override
        public Event append(String sessionId, Source source, @Nullable Long causedBy, Payload payload) {
            appendAttempts++;
            Fault fault = faults.poll();
            if (down || fault == Fault.REFUSED) {
                throw refused;
            }
            if (fault == Fault.LOST_AFTER_COMMIT) {
                store.append(sessionId, source, causedBy, payload);
                throw refused;
            }
            return store.append(sessionId, source, causedBy, payload);
        }

        @Override
        public List<Event> read(String sessionId, long afterSeq, int limit) {
            if (down) {
                throw refused;
            }
            return store.read(sessionId, afterSeq, limit);
        }
    }

    /** A clock the sleeper moves: the test waits for nothing. */
    static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        final List<Duration> waits = new ArrayList<>();

        void sleep(Duration d) {
            waits.add(d);
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final MovingClock clock = new MovingClock();
    final FlakyLog flaky = new FlakyLog(clock);
    final PatientEventLog log = new PatientEventLog(
            flaky, GRACE, new OutageLog(Logger.getLogger(PatientEventLogTest.class), "test"), clock, clock::sleep);

    void started() {
        log.append(S, Source.USER, new Lifecycle.SessionStarted("knowledge", "list the files", "demo", "", ""));
    }

    @Test
    void shouldRetryWithDoublingWaitsWhenPostgresRefusesTheAppend() {
        // Given a session whose next four appends are refused (PostgreSQL restarting)
        started();
        flaky.faults.addAll(List.of(Fault.REFUSED, Fault.REFUSED, Fault.REFUSED, Fault.REFUSED));

        // When the driver appends
        Event e = log.append(S, Source.SYSTEM, new Lifecycle.SessionResumed("after a restart"));

        // Then it waited 0.5, 1, 2 and 4 s and the event is in the log once, after the first
        assertThat(clock.waits)
                .containsExactly(
                        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(e.seq()).isEqualTo(2);
        assertThat(flaky.store.readAll(S))
                .extracting(Event::payload)
                .hasSize(2)
                .last()
                .isEqualTo(e.payload());
    }

    @Test
    void shouldNotWriteTwiceWhenTheCommitOutcomeIsUnknownButTheRowIsThere() {
        // Given an append that commits but whose connection dies before the answer
        started();
        log.append(S, Source.SYSTEM, new Lifecycle.SessionResumed("after a restart"));
        flaky.faults.add(Fault.LOST_AFTER_COMMIT);
        Payload usage = new Telemetry.ModelUsage("scripted", 100, 20, 30);

        // When the driver appends
        Event e = log.append(S, Source.SYSTEM, 2L, usage);

        // Then the read-back found it committed: returned with its seq, not written a second time
        assertThat(e.seq()).isEqualTo(3);
        assertThat(flaky.appendAttempts).isEqualTo(3);
        assertThat(flaky.store.readAll(S)).hasSize(3).extracting(Event::payload).containsOnlyOnce(usage);
    }

    @Test
    void shouldAppendAgainWhenTheReadBackShowsTheUnknownAppendDidNotCommit() {
        // Given an identical event already in the log, and an append refused before it was written
        started();
        Payload same = new Lifecycle.SessionResumed("after a restart");
        log.append(S, Source.SYSTEM, same);
        flaky.faults.add(Fault.REFUSED);

        // When the driver appends the same payload again (a second resume)
        Event e = log.append(S, Source.SYSTEM, same);

        // Then the earlier event is not mistaken for it: it is written after it
        assertThat(e.seq()).isEqualTo(3);
        assertThat(flaky.store.readAll(S)).hasSize(3);
    }

    @Test
    void shouldGiveUpAsAnOutageNotAFailureWhenTheGraceIsExceeded() {
        // Given PostgreSQL down for longer than the grace
        started();
        flaky.down = true;

        // When the driver appends
        assertThatThrownBy(() -> log.append(S, Source.SYSTEM, new Lifecycle.SessionResumed("after a restart")))
                // Then it stops with an outage, after waits of at most 5 s that add up to the grace
                .isInstanceOf(PatientEventLog.Outage.class)
                .hasMessageContaining("database-outage-grace");
        assertThat(clock.waits).allMatch(w -> w.compareTo(PatientEventLog.LONGEST_WAIT) <= 0);
        assertThat(clock.waits.stream().reduce(Duration.ZERO, Duration::plus)).isEqualTo(GRACE);
    }

    @Test
    void shouldRethrowOtherFailuresAtOnceWhenTheyAreNoOutage() {
        // Given an append the database refuses for another reason than being away
        EventLog broken = new EventLog() {
            @Override
            public Event append(String sessionId, Source source, @Nullable Long causedBy, Payload payload) {
                throw new PersistenceException(new SQLException("duplicate key value", "23505"));
            }

            @Override
            public List<Event> read(String sessionId, long afterSeq, int limit) {
                return List.of();
            }
        };
        PatientEventLog patient = new PatientEventLog(
                broken, GRACE, new OutageLog(Logger.getLogger("test"), "test"), clock, clock::sleep);

        // When / Then it fails at once, without waiting
        assertThatThrownBy(() -> patient.append(S, Source.SYSTEM, new Lifecycle.SessionResumed("x")))
                .isInstanceOf(PersistenceException.class);
        assertThat(clock.waits).isEmpty();
    }

    @Test
    void shouldLeaveTheSessionUnfinishedWhenTheLoopMeetsAnOutageLongerThanTheGrace() {
        // Given a running session whose loop loses PostgreSQL for good after the model's first reply
        started();
        log.append(S, Source.SYSTEM, new Progress.ContextPrepared("You are the knowledge droid.", List.of(), "", ""));
        ScriptedModel model = new ScriptedModel(
                r -> {
                    flaky.down = true;
                    return call("list_dir", args("path", ".")).apply(r);
                },
                call("finish", args("summary", "done")));
        AgentLoop loop = new AgentLoop(
                log,
                model,
                new AgentLoop.Droid(
                        "knowledge",
                        "default",
                        ToolBox.named(ToolBox.builtInNames(), new FinishTool()),
                        CompletionRule.acceptAll(),
                        new Limits(30, 1_000_000, Duration.ofHours(1))),
                Autonomy.AUTO_EDIT,
                new ToolContext(
                        S,
                        new InMemoryWorkspace(Map.of("a.txt", "a"), (cmd, f) -> new CommandResult(0, "", false)),
                        (q, n) -> List.of(),
                        Memory.none(),
                        TestCommand.NONE),
                100_000,
                new AgentLoop.Retry(1, Duration.ZERO),
                Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

        // When the loop runs
        assertThatThrownBy(() -> loop.run(S))
                // Then it stops with the outage, and nothing says the session failed
                .isInstanceOf(PatientEventLog.Outage.class);
        flaky.down = false;
        assertThat(flaky.store.readAll(S))
                .extracting(Event::payload)
                .noneMatch(p -> p instanceof Lifecycle.SessionFinished);
    }
}
