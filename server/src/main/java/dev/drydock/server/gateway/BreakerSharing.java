package dev.drydock.server.gateway;

import dev.drydock.server.persistence.Columns;
import dev.drydock.server.persistence.NativeSql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The circuit breakers of replicas that share one PostgreSQL agree (issue 21): when a breaker opens on
 * one replica, the opening and until when it holds go into {@code endpoint_breaker}, and the other
 * replicas keep their own breaker of that endpoint open as long (read by {@link GatewayService} every
 * two seconds), instead of each learning from failures of its own.
 */
@ApplicationScoped
public class BreakerSharing {
    /** This process among the replicas: its own openings are not read back. */
    private final String replica = UUID.randomUUID().toString();

    @Inject
    NativeSql sql;

    /** An opening of another replica's breaker, still in force. */
    public record Opening(String endpoint, Instant until) {}

    /** Records that this replica's breaker of {@code endpoint} opened, holding until {@code until}. */
    public void opened(String endpoint, Instant until, Instant now) {
        sql.update(
                "insert into endpoint_breaker(endpoint, open_until, opened_by, opened_at) values (?1, ?2, ?3, ?4) "
                        + "on conflict (endpoint) do update set open_until = greatest(endpoint_breaker.open_until, excluded.open_until), "
                        + "opened_by = excluded.opened_by, opened_at = excluded.opened_at",
                endpoint,
                until,
                replica,
                now);
    }

    /** The openings of other replicas that still hold at {@code now}. */
    public List<Opening> elsewhere(Instant now) {
        return sql
                .rows(
                        "select endpoint, open_until from endpoint_breaker where open_until > ?1 and opened_by <> ?2",
                        now,
                        replica)
                .stream()
                .map(r -> new Opening((String) r[0], Columns.instant(r[1])))
                .toList();
    }
}
