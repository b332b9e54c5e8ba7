package dev.drydock.server.eventlog;

import dev.drydock.server.agent.EventLog;
import dev.drydock.server.agent.event.Conversation;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Lifecycle;
import dev.drydock.server.agent.event.Action;
import dev.drydock.server.agent.event.Observation;
import dev.drydock.server.agent.event.Oversight;
import dev.drydock.server.agent.event.Progress;
import dev.drydock.server.agent.event.Unknown;
import dev.drydock.server.agent.event.Payload;
import dev.drydock.server.agent.event.Source;
import dev.drydock.server.agent.event.Telemetry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The event log in PostgreSQL. Each append is one transaction (the caller's, when it has one): bump
 * the session's seq counter (the row lock serialises concurrent appends to a session), insert the
 * event, update the listing projection, and let the observers of {@link EventRecorded} (the audit
 * trail) write in the same transaction; once it has committed, publish the event to live subscribers.
 */
@ApplicationScoped
public class PostgresEventLog implements EventLog {
    @Inject DataSource dataSource;
    @Inject EventBus bus;
    @Inject jakarta.enterprise.event.Event<EventRecorded> recorded;
    @Inject TransactionSynchronizationRegistry transactions;

    private final EventCodec codec = new EventCodec();
    private final Clock clock = Clock.systemUTC();

    @Override
    public Event append(String sessionId, Source source, @Nullable Long causedBy, Payload payload) {
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        UUID id = UUID.fromString(sessionId);
        // Joins the caller's transaction, or is one of its own: the event, its projection and what the
        // observers of EventRecorded write (the audit records) commit together or not at all.
        return QuarkusTransaction.joiningExisting().call(() -> {
            Event event = insert(id, sessionId, at, source, causedBy, payload);
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
    }

    private Event insert(UUID id, String sessionId, Instant at, Source source, @Nullable Long causedBy, Payload payload) {
        try (Connection c = dataSource.getConnection()) {
            long seq;
            try (PreparedStatement ps = c.prepareStatement("update droid_session set last_seq = last_seq + 1, updated_at = ? where id = ? returning last_seq")) {
                ps.setTimestamp(1, Timestamp.from(at));
                ps.setObject(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException("no session " + sessionId);
                    }
                    seq = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into session_event(session_id, seq, at, source, caused_by, type, payload) values (?, ?, ?, ?, ?, ?, ?::jsonb)")) {
                ps.setObject(1, id);
                ps.setLong(2, seq);
                ps.setTimestamp(3, Timestamp.from(at));
                ps.setString(4, source.name());
                if (causedBy == null) {
                    ps.setNull(5, java.sql.Types.BIGINT);
                } else {
                    ps.setLong(5, causedBy);
                }
                ps.setString(6, codec.typeName(payload));
                ps.setString(7, codec.encode(payload));
                ps.executeUpdate();
            }
            project(c, id, payload);
            return new Event(sessionId, seq, at, source, causedBy, payload);
        } catch (SQLException e) {
            throw new EventLogException("cannot append to session " + sessionId + ": " + e.getMessage(), e);
        }
    }

    /** Keeps the listing columns in step with the log (a projection; the fold is the truth). */
    private static void project(Connection c, UUID id, Payload payload) throws SQLException {
        @Nullable String status = status(payload);
        if (status != null) {
            try (PreparedStatement ps = c.prepareStatement("update droid_session set status = ?, outcome = ? where id = ?")) {
                ps.setString(1, status);
                ps.setString(2, payload instanceof Lifecycle.SessionFinished f ? f.outcome().name().toLowerCase(Locale.ROOT) : null);
                ps.setObject(3, id);
                ps.executeUpdate();
            }
        }
        if (payload instanceof Telemetry.ModelUsage u) {
            try (PreparedStatement ps = c.prepareStatement(
                    "update droid_session set prompt_tokens = prompt_tokens + ?, completion_tokens = completion_tokens + ?, cost_micros = cost_micros + ? where id = ?")) {
                ps.setLong(1, u.promptTokens());
                ps.setLong(2, u.completionTokens());
                ps.setLong(3, u.costMicros());
                ps.setObject(4, id);
                ps.executeUpdate();
            }
        }
    }

    /** The listing status an event moves the session to, if it moves it. */
    private static @Nullable String status(Payload payload) {
        return switch (payload) {
            case Lifecycle l -> switch (l) {
                case Lifecycle.SessionStarted s -> "running";
                case Lifecycle.SessionResumed r -> "running";
                case Lifecycle.SessionInterrupted i -> "interrupted";
                case Lifecycle.SessionFinished f -> "finished";
            };
            case Conversation c -> switch (c) {
                case Conversation.QuestionAsked q -> "waiting_for_answer";
                case Conversation.QuestionAnswered a -> "running";
                case Conversation.UserMessage m -> null;
                case Conversation.ModelReplied r -> null;
            };
            case Oversight o -> switch (o) {
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
        List<Event> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "select seq, at, source, caused_by, type, payload::text from session_event where session_id = ? and seq > ? order by seq limit ?")) {
            ps.setObject(1, UUID.fromString(sessionId));
            ps.setLong(2, afterSeq);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long caused = rs.getLong(4);
                    Long causedBy = rs.wasNull() ? null : caused;
                    out.add(new Event(sessionId, rs.getLong(1), rs.getTimestamp(2).toInstant(), Source.valueOf(rs.getString(3)), causedBy,
                            codec.decode(rs.getString(5), rs.getString(6))));
                }
            }
        } catch (SQLException e) {
            throw new EventLogException("cannot read session " + sessionId + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** The database could not append or read. */
    public static final class EventLogException extends RuntimeException {
        EventLogException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
