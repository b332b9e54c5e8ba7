package dev.drydock.server.eventlog;

import dev.drydock.server.agent.EventLog;
import dev.drydock.server.agent.event.Action;
import dev.drydock.server.agent.event.Conversation;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Lifecycle;
import dev.drydock.server.agent.event.Observation;
import dev.drydock.server.agent.event.Oversight;
import dev.drydock.server.agent.event.Payload;
import dev.drydock.server.agent.event.Progress;
import dev.drydock.server.agent.event.Source;
import dev.drydock.server.agent.event.Telemetry;
import dev.drydock.server.agent.event.Unknown;
import dev.drydock.server.persistence.Columns;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.hibernate.query.NativeQuery;
import org.jspecify.annotations.Nullable;

/**
 * The event log in PostgreSQL. Each append is one transaction (the caller's, when it has one): bump
 * the session's seq counter (the row lock serialises concurrent appends to a session), insert the
 * event, update the listing projection, and let the observers of {@link EventRecorded} (the audit
 * trail) write in the same transaction; once it has committed, publish the event to live subscribers.
 */
@ApplicationScoped
public class PostgresEventLog implements EventLog {
    @Inject
    EntityManager em;

    @Inject
    EventBus bus;

    @Inject
    jakarta.enterprise.event.Event<EventRecorded> recorded;

    @Inject
    TransactionSynchronizationRegistry transactions;

    private final EventCodec codec = new EventCodec();
    private final Clock clock = Clock.systemUTC();

    /** The channel of {@code NOTIFY drydock_events, '<session id> <seq>'}, sent as each append commits. */
    public static final String CHANNEL = "drydock_events";

    @Override
    public Event append(String sessionId, Source source, @Nullable Long causedBy, Payload payload) {
        return append(sessionId, source, causedBy, payload, null);
    }

    /**
     * Appends as the driver holding the session's lease with fencing token {@code fence}: refused with
     * {@link FencedOut} when the session's token moved on (another replica took the session over, or
     * this one released it). The check is part of the update that takes the next seq, under the row
     * lock that serialises appends, so no append with a stale token can commit after a takeover. A
     * null fence appends unconditionally (people's answers, approvals and cancellations, from any
     * replica).
     */
    public Event append(
            String sessionId, Source source, @Nullable Long causedBy, Payload payload, @Nullable Long fence) {
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        UUID id = UUID.fromString(sessionId);
        // Joins the caller's transaction, or is one of its own: the event, its projection and what the
        // observers of EventRecorded write (the audit records) commit together or not at all; live
        // subscribers hear of it after the commit, so they may read it at once.
        try {
            return QuarkusTransaction.joiningExisting().call(() -> {
                Event event = insert(id, sessionId, at, source, causedBy, payload, fence);
                recorded.fire(new EventRecorded(event));
                transactions.registerInterposedSynchronization(new Synchronization() {
                    @Override
                    public void beforeCompletion() {
                        // nothing to do before the commit
                    }

                    @Override
                    public void afterCompletion(int status) {
                        if (status == Status.STATUS_COMMITTED) {
                            bus.publish(event);
                        }
                    }
                });
                return event;
            });
        } catch (PersistenceException e) {
            throw new EventLogException("cannot append to session " + sessionId + ": " + e.getMessage(), e);
        }
    }

    /**
     * The whole append in one statement, one round trip: take the next seq under the session row's lock
     * (only with the current fencing token, when there is one), keep the listing projection in step
     * (status, outcome, token and cost totals), insert the event, and queue the {@code NOTIFY} that every
     * replica's listener receives on commit. Four statements before; one costs the database a third
     * less CPU per event ({@code ./drydock bench sessions}).
     */
    public static final String APPEND = """
            with s as (
              update droid_session set last_seq = last_seq + 1, updated_at = ?1,
                status = coalesce(cast(?4 as text), status),
                outcome = case when cast(?4 as text) is null then outcome else cast(?5 as text) end,
                prompt_tokens = prompt_tokens + ?6, completion_tokens = completion_tokens + ?7,
                cost_micros = cost_micros + ?8
              where id = ?2 and (cast(?3 as bigint) is null or lease_token = ?3)
              returning id, last_seq),
            e as (
              insert into session_event(session_id, seq, at, source, caused_by, type, payload)
              select s.id, s.last_seq, ?1, ?9, ?10, ?11, cast(?12 as jsonb) from s
              returning seq)
            select e.seq, (select count(*) from (select pg_notify(?13, ?14 || ' ' || e.seq)) n) from e""";

    private Event insert(
            UUID id,
            String sessionId,
            Instant at,
            Source source,
            @Nullable Long causedBy,
            Payload payload,
            @Nullable Long fence) {
        @Nullable String status = status(payload);
        Telemetry.@Nullable ModelUsage usage = payload instanceof Telemetry.ModelUsage u ? u : null;
        @SuppressWarnings("unchecked")
        List<Object[]> next = em.createNativeQuery(APPEND)
                .unwrap(NativeQuery.class)
                .setParameter(1, at)
                .setParameter(2, id)
                .setParameter(3, fence, Long.class)
                .setParameter(4, status, String.class)
                .setParameter(
                        5,
                        payload instanceof Lifecycle.SessionFinished f
                                ? f.outcome().name().toLowerCase(Locale.ROOT)
                                : null,
                        String.class)
                .setParameter(6, usage == null ? 0L : usage.promptTokens())
                .setParameter(7, usage == null ? 0L : usage.completionTokens())
                .setParameter(8, usage == null ? 0L : usage.costMicros())
                .setParameter(9, source.name())
                .setParameter(10, causedBy, Long.class)
                .setParameter(11, codec.typeName(payload))
                .setParameter(12, codec.encode(payload))
                .setParameter(13, CHANNEL)
                .setParameter(14, sessionId)
                .getResultList();
        if (next.isEmpty()) {
            if (fence != null
                    && !em.createNativeQuery("select 1 from droid_session where id = ?1")
                            .setParameter(1, id)
                            .getResultList()
                            .isEmpty()) {
                throw new FencedOut("session " + sessionId + " is no longer leased with token " + fence
                        + ": another replica took it over, or this one released it");
            }
            throw new IllegalArgumentException("no session " + sessionId);
        }
        long seq = Columns.longValue(next.getFirst()[0]);
        return new Event(sessionId, seq, at, source, causedBy, payload);
    }

    /** The listing status an event moves the session to, if it moves it. */
    private static @Nullable String status(Payload payload) {
        return switch (payload) {
            case Lifecycle l ->
                switch (l) {
                    case Lifecycle.SessionStarted s -> "running";
                    case Lifecycle.SessionResumed r -> "running";
                    case Lifecycle.SessionInterrupted i -> "interrupted";
                    case Lifecycle.SessionFinished f -> "finished";
                };
            case Conversation c ->
                switch (c) {
                    case Conversation.QuestionAsked q -> "waiting_for_answer";
                    case Conversation.QuestionAnswered a -> "running";
                    case Conversation.UserMessage m -> null;
                    case Conversation.Attached a -> null;
                    case Conversation.ModelReplied r -> null;
                };
            case Oversight o ->
                switch (o) {
                    case Oversight.ApprovalRequested r -> "waiting_for_approval";
                    case Oversight.ActionApproved a -> "running";
                    case Oversight.ActionDenied d -> "running";
                    case Oversight.CancelRequested c -> null;
                };
            case Action a -> null;
            case Observation o -> null;
            case Progress p -> null;
            case Telemetry t -> null;
            case Unknown u -> null;
        };
    }

    @Override
    public List<Event> read(String sessionId, long afterSeq, int limit) {
        UUID id = UUID.fromString(sessionId);
        try {
            return QuarkusTransaction.joiningExisting().call(() -> {
                @SuppressWarnings("unchecked")
                List<Object[]> rows = em.createNativeQuery(
                                "select seq, at, source, caused_by, type, payload::text from session_event where session_id = ?1 and seq > ?2 order by seq limit ?3")
                        .setParameter(1, id)
                        .setParameter(2, afterSeq)
                        .setParameter(3, limit)
                        .getResultList();
                return rows.stream()
                        .map(r -> new Event(
                                sessionId,
                                Columns.longValue(r[0]),
                                Columns.instant(r[1]),
                                Source.valueOf((String) r[2]),
                                r[3] == null ? null : Columns.longValue(r[3]),
                                codec.decode((String) r[4], (String) r[5])))
                        .toList();
            });
        } catch (PersistenceException e) {
            throw new EventLogException("cannot read session " + sessionId + ": " + e.getMessage(), e);
        }
    }

    /** A driver's append carried a fencing token that is no longer the session's: it lost the lease. */
    public static final class FencedOut extends RuntimeException {
        FencedOut(String message) {
            super(message);
        }
    }

    /** The database could not append or read. */
    public static final class EventLogException extends RuntimeException {
        EventLogException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
