package dev.drydock.server.session;

import static dev.drydock.server.session.DroidTestServices.args;
import static dev.drydock.server.session.DroidTestServices.calls;
import static dev.drydock.server.session.DroidTestServices.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.server.agent.event.Action;
import dev.drydock.server.agent.event.Conversation;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Lifecycle;
import dev.drydock.server.agent.event.Progress;
import dev.drydock.server.agent.event.Source;
import dev.drydock.server.agent.event.Telemetry;
import dev.drydock.server.eventlog.EventCodec;
import dev.drydock.server.eventlog.PostgresEventLog;
import dev.drydock.server.testing.MutableClock;
import dev.drydock.server.testing.Poll;
import dev.drydock.server.testing.RealServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas on one database, as far as one JVM allows: replica A is a {@link SessionLeases} of its
 * own (its own name and clock, so a test pauses it by not moving its clock), replica B the running
 * server's {@link SessionRunner}; a replica whose appends this JVM's bus never hears of writes through
 * a JDBC connection of its own. All go through the real PostgreSQL.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(DroidTestServices.class)
class ReplicaFaultTest {
    private static final Duration LEASE = Duration.ofSeconds(15);

    @Inject
    PostgresEventLog log;

    @Inject
    SessionRunner runner;

    @Inject
    EntityManager em;

    @Inject
    DataSource ds;

    @Inject
    dev.drydock.server.eventlog.EventBus bus;

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URI base;

    private final EventCodec codec = new EventCodec();
    private final List<String> sessions = new java.util.ArrayList<>();

    @BeforeAll
    static void scripts() {
        DroidTestServices.SCRIPTS.put(
                "takeover",
                script(
                        calls("read_file", args("path", "calc.py")),
                        calls("finish", args("title", "t", "document", "finished on the replica that took over"))));
    }

    @BeforeEach
    void demoWorkspaceRunsKnowledgeDroids() throws Exception {
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "insert into workspace(slug, display_name, created_at, autonomy) values ('demo', 'demo', now(), 'auto-edit') "
                                + "on conflict (slug) do update set autonomy = 'auto-edit', allowed_droids = 'code,knowledge,reliability', allowed_routes = '*', classification = 'internal'")) {
            ps.executeUpdate();
        }
    }

    /** No session of these tests is left running for the server's lease scan to pick up later. */
    @org.junit.jupiter.api.AfterEach
    void finishSessions() throws Exception {
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "update droid_session set status = 'finished', lease_owner = null, lease_expires_at = null where id = ?::uuid and status <> 'finished'")) {
            for (String id : sessions) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
        }
        sessions.clear();
    }

    @Test
    void shouldRefuseStaleReplicasAppendWhenAnotherReplicaTookTheSessionOver() throws Exception {
        // Given replica A holds the lease of a session and appended under it, then paused past its lease
        String id = session("[script:none] a session two replicas want");
        MutableClock clockA = new MutableClock(Instant.now());
        MutableClock clockB = new MutableClock(clockA.instant().plusSeconds(1));
        SessionLeases a = new SessionLeases(em, "replica-a", clockA, LEASE);
        SessionLeases b = new SessionLeases(em, "replica-b", clockB, LEASE);
        SessionLeases.Lease leaseA = a.acquire(id).orElseThrow();
        log.append(id, Source.SYSTEM, null, new Progress.ContextPrepared("prompt", List.of(), "", ""), leaseA.token());
        Optional<SessionLeases.Lease> whileAHoldsIt = b.acquire(id);
        clockB.advance(LEASE.plusSeconds(1));

        // When replica B takes the lapsed lease over
        Optional<SessionLeases.Lease> leaseB = b.acquire(id);

        // Then A can neither renew nor append, B can, and the log has no gap
        assertThat(whileAHoldsIt).isEmpty();
        assertThat(leaseB).isPresent();
        assertThat(leaseB.get().token()).isGreaterThan(leaseA.token());
        assertThat(a.renew(leaseA)).isEmpty();
        assertThatThrownBy(() -> log.append(
                        id,
                        Source.AGENT,
                        null,
                        new Conversation.ModelReplied("from a paused replica", List.of()),
                        leaseA.token()))
                .isInstanceOf(PostgresEventLog.FencedOut.class);
        log.append(
                id,
                Source.AGENT,
                null,
                new Conversation.ModelReplied("from the replica holding the lease", List.of()),
                leaseB.get().token());
        List<Event> events = log.readAll(id);
        assertThat(events).extracting(Event::seq).containsExactly(1L, 2L, 3L);
        assertThat(events.get(2).payload())
                .isEqualTo(new Conversation.ModelReplied("from the replica holding the lease", List.of()));
        assertThat(b.current(id).orElseThrow().owner()).isEqualTo("replica-b");
    }

    @Test
    void shouldLetAnotherReplicaTakeOverAtOnceWhenTheHolderReleasesItsLease() {
        // Given replica A holds a running session's lease, far from lapsing
        String id = session("[script:none] a session handed over at shutdown");
        MutableClock clock = new MutableClock(Instant.now());
        SessionLeases a = new SessionLeases(em, "replica-a", clock, Duration.ofHours(1));
        SessionLeases b = new SessionLeases(em, "replica-b", clock, Duration.ofHours(1));
        SessionLeases.Lease leaseA = a.acquire(id).orElseThrow();

        // When A releases it (as it does on shutdown)
        boolean released = a.release(leaseA);

        // Then B finds it lapsed and takes it at once, with a newer token than A's
        assertThat(released).isTrue();
        assertThat(b.lapsed(10_000)).contains(id);
        SessionLeases.Lease leaseB = b.acquire(id).orElseThrow();
        assertThat(leaseB.token()).isGreaterThan(leaseA.token());
        assertThatThrownBy(() ->
                        log.append(id, Source.SYSTEM, null, new Lifecycle.SessionInterrupted("late"), leaseA.token()))
                .isInstanceOf(PostgresEventLog.FencedOut.class);
    }

    @Test
    void shouldResumeSessionOnSurvivingReplicaWhenItsReplicaStoppedRenewing() throws Exception {
        // Given replica A drove a session up to a tool call and then paused: its clock stands an hour
        // behind, so its last renewal let the lease lapse long ago
        String commit;
        try (Git g = Git.open(
                DroidTestServices.mirrorRoot.resolve("demo/droid-calc.git").toFile())) {
            commit = g.getRepository().resolve("HEAD").name();
        }
        String id = session("[script:takeover] What is in calc.py?", commit);
        MutableClock clockA = new MutableClock(Instant.now());
        SessionLeases a = new SessionLeases(em, "replica-a", clockA, LEASE);
        SessionLeases.Lease leaseA = a.acquire(id).orElseThrow();
        log.append(
                id,
                Source.SYSTEM,
                null,
                new Progress.ContextPrepared("You are the knowledge droid.", List.of(), "", ""),
                leaseA.token());
        Event reply = log.append(
                id,
                Source.AGENT,
                null,
                new Conversation.ModelReplied(
                        "reading", List.of(new Conversation.ToolCall("c1", "read_file", "{\"path\":\"calc.py\"}"))),
                leaseA.token());
        log.append(
                id,
                Source.AGENT,
                reply.seq(),
                new Action.InvokeTool("c1", "read_file", "{\"path\":\"calc.py\"}", Action.Risk.READ_ONLY),
                leaseA.token());
        clockA.advance(Duration.ofHours(-1));
        a.renew(leaseA);

        // When the surviving replica (the server) looks for lapsed leases
        runner.takeOverLapsed();

        // Then it resumes the session to the end from the log; A's late append is refused; no event is
        // missing or doubled
        List<Event> events = Poll.until(
                () -> log.readAll(id),
                // a finished session's log ends with its egress proof
                es -> !es.isEmpty() && es.getLast().payload() instanceof Telemetry.EgressProofRecorded,
                Duration.ofSeconds(90),
                es -> es.stream().map(e -> codec.typeName(e.payload())).toList().toString());
        assertThatThrownBy(() -> log.append(
                        id,
                        Source.ENVIRONMENT,
                        reply.seq(),
                        new dev.drydock.server.agent.event.Observation.ToolFailed("c1", "late"),
                        leaseA.token()))
                .isInstanceOf(PostgresEventLog.FencedOut.class);
        assertThat(events)
                .extracting(Event::seq)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, events.size())
                        .boxed()
                        .toList());
        assertThat(events.get(events.size() - 2).payload())
                .isInstanceOfSatisfying(
                        Lifecycle.SessionFinished.class,
                        f -> assertThat(f.outcome()).isEqualTo(Lifecycle.Outcome.COMPLETED));
        assertThat(events.stream()
                        .filter(e -> e.payload() instanceof Action.InvokeTool t
                                && t.callId().equals("c1"))
                        .count())
                .isEqualTo(1);
        assertThat(events.stream()
                        .filter(e -> e.payload() instanceof Lifecycle.SessionResumed)
                        .count())
                .isEqualTo(1);
        assertThat(events.stream().map(e -> codec.typeName(e.payload())).toList())
                .containsSubsequence("tool.invoke.v1", "session.resumed.v1", "model.replied.v1", "session.finished.v1");
    }

    @Test
    void shouldStreamEveryEventOnceWhenAnotherReplicaAppendsThem() throws Exception {
        // Given a person follows a session live on this replica
        String id = session("[script:none] a session driven elsewhere");
        int before = bus.subscriptions();
        java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<java.util.stream.Stream<String>>> stream =
                java.net.http.HttpClient.newHttpClient()
                        .sendAsync(
                                java.net.http.HttpRequest.newBuilder(base.resolve("/api/sessions/" + id + "/events"))
                                        .header(
                                                "Authorization",
                                                "Bearer " + dev.drydock.server.testing.Tokens.of("mike"))
                                        .header("Accept", "text/event-stream")
                                        .timeout(Duration.ofSeconds(60))
                                        .build(),
                                java.net.http.HttpResponse.BodyHandlers.ofLines());
        Poll.until(() -> bus.subscriptions(), n -> n > before, Duration.ofSeconds(30));

        // When another replica appends to it (its own connection; nothing reaches this JVM's bus directly),
        // and the notifications of its last two appends are lost
        appendElsewhere(id, 2, new Progress.ContextPrepared("prompt", List.of(), "", ""), true);
        appendElsewhere(id, 3, new Conversation.ModelReplied("working on it", List.of()), false);
        appendElsewhere(id, 4, new Lifecycle.SessionFinished(Lifecycle.Outcome.COMPLETED, "done elsewhere"), false);

        // Then the stream carries each event once, in order (the last two from its poll of the log), and
        // ends with the session
        List<String> lines =
                stream.get(60, java.util.concurrent.TimeUnit.SECONDS).body().toList();
        assertThat(lines.stream()
                        .filter(l -> l.startsWith("id:"))
                        .map(l -> Long.parseLong(l.substring(3).strip()))
                        .toList())
                .containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void shouldPublishAnotherReplicasEventOnThisReplicasBusWhenItIsNotified() throws Exception {
        // Given someone on this replica follows a session
        String id = session("[script:none] a session followed here, driven elsewhere");
        java.util.concurrent.BlockingQueue<Event> heard = new java.util.concurrent.LinkedBlockingQueue<>();
        try (AutoCloseable subscription = bus.subscribe(id, heard::add)) {
            // When another replica appends to it and notifies
            appendElsewhere(id, 2, new Conversation.ModelReplied("from elsewhere", List.of()), true);

            // Then the event reaches this replica's bus (only the notification listener publishes events
            // appended elsewhere)
            Event e = heard.poll(60, java.util.concurrent.TimeUnit.SECONDS);
            while (e != null && e.seq() < 2) {
                // the notification of the session's first event may arrive after the subscription: it is
                // published too, and streams drop what they already sent by seq
                e = heard.poll(60, java.util.concurrent.TimeUnit.SECONDS);
            }
            assertThat(e).isNotNull();
            assertThat(e.seq()).isEqualTo(2L);
            assertThat(e.payload()).isEqualTo(new Conversation.ModelReplied("from elsewhere", List.of()));
        }
    }

    /**
     * What {@code PostgresEventLog.append} writes, written by "another replica": the seq, the event and
     * the notification, in one transaction of a connection this JVM's event bus knows nothing about.
     */
    private void appendElsewhere(String id, long seq, dev.drydock.server.agent.event.Payload payload, boolean notify)
            throws java.sql.SQLException {
        try (var c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (var bump = c.prepareStatement(
                            "update droid_session set last_seq = ? where id = ?::uuid and last_seq = ?");
                    var insert = c.prepareStatement(
                            "insert into session_event(session_id, seq, at, source, type, payload) values (?::uuid, ?, now(), 'SYSTEM', ?, cast(? as jsonb))");
                    var notification = c.prepareStatement("select pg_notify(?, ?)")) {
                bump.setLong(1, seq);
                bump.setString(2, id);
                bump.setLong(3, seq - 1);
                assertThat(bump.executeUpdate()).isEqualTo(1);
                insert.setString(1, id);
                insert.setLong(2, seq);
                insert.setString(3, codec.typeName(payload));
                insert.setString(4, codec.encode(payload));
                insert.executeUpdate();
                if (notify) {
                    notification.setString(1, PostgresEventLog.CHANNEL);
                    notification.setString(2, id + " " + seq);
                    notification.execute();
                }
            }
            c.commit();
        }
    }

    /** A running session of the demo workspace, started by a person (no replica drives it yet). */
    private String session(String task) {
        return session(task, "");
    }

    private String session(String task, String commit) {
        String id = UUID.randomUUID().toString();
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "insert into droid_session(id, workspace, droid, repo, title, created_by, created_at, updated_at) values (?::uuid, 'demo', 'knowledge', 'droid-calc', 't', 'mike', now(), now())")) {
            ps.setString(1, id);
            ps.executeUpdate();
            sessions.add(id);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        log.append(id, Source.USER, new Lifecycle.SessionStarted("knowledge", task, "demo", "droid-calc", commit));
        return id;
    }
}
