package dev.drydock.server.session;

import dev.drydock.server.persistence.Columns;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One replica's side of the session leases in PostgreSQL (the {@code lease_*} columns of {@code
 * droid_session}, migration V49). A replica drives a session only while it holds the session's
 * lease; every takeover and every release raises the session's fencing token, and the driver's
 * appends carry the token it got ({@code PostgresEventLog.append} with a fence), so a replica that
 * paused past its lease cannot write once another took over. Times come from {@code clock}, so a
 * test can pause one replica by stopping its clock; replicas' clocks must agree to well within the
 * lease duration (NTP does that). Each operation joins the caller's transaction or runs in its own.
 */
public final class SessionLeases {
    private final EntityManager em;
    private final String replica;
    private final Clock clock;
    private final Duration duration;

    /** A lease held: the session, who holds it, the fencing token its appends carry, when it lapses. */
    public record Lease(String session, String owner, long token, Instant expiresAt) {}

    public SessionLeases(EntityManager em, String replica, Clock clock, Duration duration) {
        this.em = em;
        this.replica = replica;
        this.clock = clock;
        this.duration = duration;
    }

    /** This replica's name in the lease rows. */
    public String replica() {
        return replica;
    }

    /**
     * Takes the session's lease when nobody holds it, its holder let it lapse, or this replica holds
     * it already (after a restart); the token rises either way, fencing out any earlier holder.
     */
    public Optional<Lease> acquire(String session) {
        Instant now = now();
        Instant until = now.plus(duration);
        return QuarkusTransaction.joiningExisting().call(() -> {
            @SuppressWarnings("unchecked")
            List<Number> tokens = em.createNativeQuery(
                            "update droid_session set lease_owner = ?1, lease_token = lease_token + 1, lease_expires_at = ?2"
                                    + " where id = ?3 and (lease_owner is null or lease_owner = ?1 or lease_expires_at <= ?4)"
                                    + " returning lease_token")
                    .setParameter(1, replica)
                    .setParameter(2, until)
                    .setParameter(3, UUID.fromString(session))
                    .setParameter(4, now)
                    .getResultList();
            return tokens.stream().findFirst().map(t -> new Lease(session, replica, t.longValue(), until));
        });
    }

    /** Extends a lease this replica still holds; empty when it was lost (taken over or released). */
    public Optional<Lease> renew(Lease lease) {
        Instant until = now().plus(duration);
        int updated = QuarkusTransaction.joiningExisting()
                .call(() -> em.createNativeQuery(
                                "update droid_session set lease_expires_at = ?1 where id = ?2 and lease_owner = ?3 and lease_token = ?4")
                        .setParameter(1, until)
                        .setParameter(2, UUID.fromString(lease.session()))
                        .setParameter(3, replica)
                        .setParameter(4, lease.token())
                        .executeUpdate());
        return updated == 1 ? Optional.of(new Lease(lease.session(), replica, lease.token(), until)) : Optional.empty();
    }

    /**
     * Gives a lease up: the token rises (appends still under way with the old one are refused) and the
     * lease lapses now, so another replica may take a still-running session over at once. Returns
     * whether this replica still held it.
     */
    public boolean release(Lease lease) {
        Instant now = now();
        int updated = QuarkusTransaction.joiningExisting()
                .call(() -> em.createNativeQuery(
                                "update droid_session set lease_owner = null, lease_token = lease_token + 1, lease_expires_at = ?1"
                                        + " where id = ?2 and lease_owner = ?3 and lease_token = ?4")
                        .setParameter(1, now)
                        .setParameter(2, UUID.fromString(lease.session()))
                        .setParameter(3, replica)
                        .setParameter(4, lease.token())
                        .executeUpdate());
        return updated == 1;
    }

    /** Running sessions whose lease lapsed (a replica died, paused or handed them over), oldest first. */
    public List<String> lapsed(int limit) {
        Instant now = now();
        return QuarkusTransaction.joiningExisting().call(() -> {
            @SuppressWarnings("unchecked")
            List<String> ids = em.createNativeQuery(
                            "select id::text from droid_session where status = 'running' and lease_expires_at <= ?1"
                                    + " order by lease_expires_at limit ?2")
                    .setParameter(1, now)
                    .setParameter(2, limit)
                    .getResultList();
            return ids;
        });
    }

    /**
     * Running sessions a replica starting up may pick: never leased (left by a version without
     * leases, or by a replica that died between creating a session and taking its lease), lapsed, or
     * held by this replica's name before it restarted.
     */
    public List<String> recoverable() {
        Instant now = now();
        return QuarkusTransaction.joiningExisting().call(() -> {
            @SuppressWarnings("unchecked")
            List<String> ids = em.createNativeQuery("select id::text from droid_session where status = 'running'"
                            + " and (lease_owner is null or lease_owner = ?1 or lease_expires_at <= ?2)"
                            + " order by created_at")
                    .setParameter(1, replica)
                    .setParameter(2, now)
                    .getResultList();
            return ids;
        });
    }

    /** The session's current fencing token and holder (for the operator view and tests). */
    public Optional<Lease> current(String session) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery(
                            "select lease_owner, lease_token, lease_expires_at from droid_session where id = ?1 and lease_owner is not null")
                    .setParameter(1, UUID.fromString(session))
                    .getResultList();
            return rows.stream()
                    .findFirst()
                    .map(r -> new Lease(session, (String) r[0], Columns.longValue(r[1]), Columns.instant(r[2])));
        });
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
