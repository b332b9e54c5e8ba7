package dev.drydock.server.session;

import dev.drydock.server.persistence.Columns;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The sessions waiting for a sandbox (issue 21, backpressure), in PostgreSQL ({@code session_queue},
 * migration V59), so that every replica sees one queue and it survives restarts. A waiting session's
 * listing status is {@code queued}. The order: priority (high first), then fairly across workspaces
 * (the n-th waiting session of every workspace goes before the (n+1)-th of any), then first come,
 * first served. Each operation joins the caller's transaction or runs in one of its own.
 */
public final class SessionQueue {
    /** Advisory lock key serialising claims across replicas ("drydock-queue"). */
    private static final long CLAIM_LOCK = 0x647164717565L;

    /** The queue in claim order, with each row's place (1 = next). */
    private static final String ORDERED = "select session_id, workspace, priority, enqueued_at, not_before, reason,"
            + " row_number() over (order by priority desc, turn, enqueued_at, session_id) as place"
            + " from (select q.*, row_number() over (partition by priority, workspace order by enqueued_at, session_id) as turn"
            + " from session_queue q) t";

    private final EntityManager em;

    /** How urgent a session is; higher priorities leave the queue first. */
    public enum Priority {
        LOW(-1),
        NORMAL(0),
        HIGH(1);

        private final int value;

        Priority(int value) {
            this.value = value;
        }

        /** The stored value. */
        public int value() {
            return value;
        }

        /** The priority named {@code low}, {@code normal} or {@code high} (any case). */
        public static Optional<Priority> parse(String name) {
            for (Priority p : values()) {
                if (p.name().equalsIgnoreCase(name.strip())) {
                    return Optional.of(p);
                }
            }
            return Optional.empty();
        }

        static Priority of(int value) {
            return value > 0 ? HIGH : value < 0 ? LOW : NORMAL;
        }

        /** Lower case, as the API shows it. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A waiting session: its place (1 = next), why it waits, since when and at which priority. */
    public record Waiting(int position, String reason, Instant since, Priority priority) {}

    public SessionQueue(EntityManager em) {
        this.em = em;
    }

    /**
     * Puts a session that should run (listing status {@code running} or {@code queued}) into the queue,
     * at its stored priority, not to be claimed before {@code notBefore}; its listing status becomes
     * {@code queued}. Returns whether it waits now (false when it is not a running session); {@code
     * inserted[0]} tells whether this call put it there (false when it was waiting already).
     */
    public boolean enqueue(String session, String reason, Instant notBefore, Instant now, boolean[] inserted) {
        UUID id = UUID.fromString(session);
        return QuarkusTransaction.joiningExisting().call(() -> {
            int added = em.createNativeQuery(
                            "insert into session_queue(session_id, workspace, priority, enqueued_at, not_before, reason)"
                                    + " select id, workspace, priority, ?2, ?3, ?4 from droid_session"
                                    + " where id = ?1 and status in ('running', 'queued') on conflict (session_id) do nothing")
                    .setParameter(1, id)
                    .setParameter(2, micros(now))
                    .setParameter(3, micros(notBefore))
                    .setParameter(4, reason)
                    .executeUpdate();
            inserted[0] = added == 1;
            int queued = em.createNativeQuery(
                            "update droid_session set status = 'queued' where id = ?1 and status in ('running', 'queued')"
                                    + " and exists (select 1 from session_queue where session_id = ?1)")
                    .setParameter(1, id)
                    .executeUpdate();
            return queued == 1;
        });
    }

    /**
     * Takes up to {@code n} sessions off the head of the queue (those whose {@code not_before} has
     * come) and sets their listing status back to {@code running}; the caller takes their leases in
     * the same transaction. Only sessions whose lease {@code replica} can take are claimed (a session
     * still leased to another live replica waits for it). One replica claims at a time (an advisory
     * lock), so no session is claimed twice.
     */
    public List<String> claim(int n, String replica, Instant now) {
        if (n <= 0) {
            return List.of();
        }
        return QuarkusTransaction.joiningExisting().call(() -> {
            em.createNativeQuery("select pg_advisory_xact_lock(?1)")
                    .setParameter(1, CLAIM_LOCK)
                    .getSingleResult();
            @SuppressWarnings("unchecked")
            List<String> ids = em.createNativeQuery("select o.session_id::text from (" + ORDERED
                            + ") o join droid_session d on d.id = o.session_id where o.not_before <= ?1"
                            + " and (d.lease_owner is null or d.lease_owner = ?3 or d.lease_expires_at <= ?1)"
                            + " order by o.place limit ?2")
                    .setParameter(1, micros(now))
                    .setParameter(2, n)
                    .setParameter(3, replica)
                    .getResultList();
            for (String id : ids) {
                UUID uuid = UUID.fromString(id);
                em.createNativeQuery("delete from session_queue where session_id = ?1")
                        .setParameter(1, uuid)
                        .executeUpdate();
                em.createNativeQuery("update droid_session set status = 'running' where id = ?1 and status = 'queued'")
                        .setParameter(1, uuid)
                        .executeUpdate();
            }
            return ids;
        });
    }

    /** The session's listing status, its row locked until the caller's transaction ends. */
    public Optional<String> lockStatus(String session) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            @SuppressWarnings("unchecked")
            List<String> rows = em.createNativeQuery("select status from droid_session where id = ?1 for update")
                    .setParameter(1, UUID.fromString(session))
                    .getResultList();
            return rows.stream().findFirst();
        });
    }

    /** Takes a session out of the queue (a cancellation); returns whether it was waiting. */
    public boolean remove(String session) {
        return QuarkusTransaction.joiningExisting()
                        .call(() -> em.createNativeQuery("delete from session_queue where session_id = ?1")
                                .setParameter(1, UUID.fromString(session))
                                .executeUpdate())
                == 1;
    }

    /** Where a session waits, if it does. */
    public Optional<Waiting> waiting(String session) {
        return waiting(List.of(session)).values().stream().findFirst();
    }

    /** Where each of {@code sessions} that waits is. */
    public Map<String, Waiting> waiting(Collection<String> sessions) {
        if (sessions.isEmpty()) {
            return Map.of();
        }
        List<UUID> ids = sessions.stream().map(UUID::fromString).toList();
        return QuarkusTransaction.joiningExisting().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery(
                            "select session_id::text, place, reason, enqueued_at, priority from (" + ORDERED
                                    + ") o where session_id in (:ids)")
                    .setParameter("ids", ids)
                    .getResultList();
            Map<String, Waiting> found = new HashMap<>();
            for (Object[] r : rows) {
                found.put(
                        (String) r[0],
                        new Waiting(
                                (int) Columns.longValue(r[1]), (String) r[2], Columns.instant(r[3]), Priority.of((int)
                                        Columns.longValue(r[4]))));
            }
            return found;
        });
    }

    /** How many sessions wait. */
    public long size() {
        return QuarkusTransaction.joiningExisting()
                .call(() -> ((Number) em.createNativeQuery("select count(*) from session_queue")
                                .getSingleResult())
                        .longValue());
    }

    private static Instant micros(Instant t) {
        return t.truncatedTo(ChronoUnit.MICROS);
    }
}
