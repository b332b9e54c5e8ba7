package dev.drydock.server.incident;

import dev.drydock.server.persistence.Columns;
import dev.drydock.server.persistence.NativeSql;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Table {@code alert_incident}: each alert group that started a session. A group is one incident
 * while its session may run: a notification whose firing alerts are all among an open incident's is
 * that incident again (Alertmanager resends groups every {@code repeat_interval}, and retries).
 */
@ApplicationScoped
public class IncidentStore {
    @Inject
    NativeSql sql;

    /** An incident as the API lists it. */
    public record Incident(
            String id,
            String receiver,
            String groupKey,
            String alert,
            @Nullable String sessionId,
            boolean open,
            Instant receivedAt,
            @Nullable Instant resolvedAt,
            @Nullable Instant reportedAt,
            @Nullable String report) {}

    /** An incident whose session finished, claimed for its report. */
    record Claimed(
            String id,
            String workspace,
            String receiver,
            String alert,
            String labels,
            @Nullable String link) {}

    /** What claiming a firing group found: a new incident to start a session for, or the open one. */
    sealed interface Claim {
        record Started(String id) implements Claim {}

        record Ongoing(String id, @Nullable String sessionId) implements Claim {}
    }

    /** Claims the group's incident in one transaction serialised per group (an advisory lock). */
    Claim claim(
            String workspace,
            String receiver,
            String groupKey,
            String digest,
            List<String> firingIds,
            String alert,
            String labels,
            Instant at) {
        return QuarkusTransaction.requiringNew().call(() -> {
            sql.rows(
                    "select 1 from (select pg_advisory_xact_lock(hashtext(?1))) l",
                    workspace + "\n" + receiver + "\n" + groupKey);
            // an incident whose session finished is over: a later notification is a new one
            sql.update(
                    "update alert_incident i set open = false where workspace = ?1 and receiver = ?2 and group_key = ?3 and open "
                            + "and exists (select 1 from droid_session s where s.id = i.session_id and s.status = 'finished')",
                    workspace,
                    receiver,
                    groupKey);
            for (Object[] r : sql.rows(
                    "select id::text, session_id::text, firing_ids from alert_incident where workspace = ?1 and receiver = ?2 and group_key = ?3 and open",
                    workspace,
                    receiver,
                    groupKey)) {
                if (new HashSet<>(Arrays.asList(((String) r[2]).split("\n"))).containsAll(firingIds)) {
                    return new Claim.Ongoing((String) r[0], Columns.string(r[1]));
                }
            }
            String id = UUID.randomUUID().toString();
            sql.update(
                    "insert into alert_incident(id, workspace, receiver, group_key, firing_digest, firing_ids, alert_name, labels, received_at) "
                            + "values (cast(?1 as uuid), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    id,
                    workspace,
                    receiver,
                    groupKey,
                    digest,
                    String.join("\n", firingIds),
                    alert,
                    labels,
                    at);
            return new Claim.Started(id);
        });
    }

    void sessionStarted(String id, String sessionId, String link) {
        sql.update(
                "update alert_incident set session_id = cast(?2 as uuid), session_link = ?3 where id = cast(?1 as uuid)",
                id,
                sessionId,
                link);
    }

    /** Forgets a claim whose session could not start, so Alertmanager's retry may start one. */
    void forget(String id) {
        sql.update("delete from alert_incident where id = cast(?1 as uuid) and session_id is null", id);
    }

    /** Records a resolved notification on the group's incidents not yet resolved; their sessions. */
    List<String[]> resolved(String workspace, String receiver, String groupKey, Instant at) {
        return sql
                .rows(
                        "update alert_incident set resolved_at = ?4, open = false where workspace = ?1 and receiver = ?2 and group_key = ?3 "
                                + "and resolved_at is null returning id::text, coalesce(session_id::text, '')",
                        workspace,
                        receiver,
                        groupKey,
                        at)
                .stream()
                .map(r -> new String[] {(String) r[0], (String) r[1]})
                .toList();
    }

    /** Claims the report of the incident whose session finished: once. */
    Optional<Claimed> claimReport(String sessionId, Instant at) {
        return sql
                .rows(
                        "update alert_incident set reported_at = ?2 where session_id = cast(?1 as uuid) and reported_at is null "
                                + "returning id::text, workspace, receiver, alert_name, labels, session_link",
                        sessionId,
                        at)
                .stream()
                .findFirst()
                .map(r -> new Claimed(
                        (String) r[0],
                        (String) r[1],
                        (String) r[2],
                        (String) r[3],
                        (String) r[4],
                        Columns.string(r[5])));
    }

    void reported(String id, String report) {
        sql.update("update alert_incident set report = ?2 where id = cast(?1 as uuid)", id, report);
    }

    List<Incident> list(String workspace, int limit) {
        return sql
                .rows(
                        "select id::text, receiver, group_key, alert_name, session_id::text, open, received_at, resolved_at, reported_at, report "
                                + "from alert_incident where workspace = ?1 order by received_at desc limit ?2",
                        workspace,
                        limit)
                .stream()
                .map(r -> new Incident(
                        (String) r[0],
                        (String) r[1],
                        (String) r[2],
                        (String) r[3],
                        Columns.string(r[4]),
                        (Boolean) r[5],
                        Columns.instant(r[6]),
                        Columns.instantOrNull(r[7]),
                        Columns.instantOrNull(r[8]),
                        Columns.string(r[9])))
                .toList();
    }
}
