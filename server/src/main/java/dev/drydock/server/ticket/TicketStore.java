package dev.drydock.server.ticket;

import dev.drydock.server.persistence.Columns;
import dev.drydock.server.persistence.NativeSql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Tables {@code ticket_jira} (a workspace's Jira connection) and {@code ticket_session} (sessions started from a ticket). */
@ApplicationScoped
public class TicketStore {
    @Inject
    NativeSql sql;

    /** A workspace's Jira Data Center connection; the token by the name of its workspace secret only. */
    public record Jira(
            String workspace,
            String baseUrl,
            String secret,
            List<String> projects,
            String updatedBy,
            Instant updatedAt) {
        /** Whether sessions may start from (and RCAs go to) issues of {@code project}. */
        public boolean allows(String project) {
            return projects.isEmpty() || projects.contains(project);
        }
    }

    /** A session started from a ticket, and what was written back. */
    record TicketSession(
            String sessionId,
            String workspace,
            String source,
            String ticket,
            String repo,
            String ticketUrl,
            String link,
            String createdBy) {}

    public Optional<Jira> jira(String workspace) {
        return sql
                .rows(
                        "select workspace, base_url, secret_name, projects, updated_by, updated_at from ticket_jira where workspace = ?1",
                        workspace)
                .stream()
                .findFirst()
                .map(r -> new Jira(
                        (String) r[0],
                        (String) r[1],
                        (String) r[2],
                        ((String) r[3]).isEmpty() ? List.of() : Arrays.asList(((String) r[3]).split(",")),
                        (String) r[4],
                        Columns.instant(r[5])));
    }

    void saveJira(Jira j) {
        sql.update(
                "insert into ticket_jira(workspace, base_url, secret_name, projects, updated_by, updated_at) values (?1, ?2, ?3, ?4, ?5, ?6) "
                        + "on conflict (workspace) do update set base_url = excluded.base_url, secret_name = excluded.secret_name, "
                        + "projects = excluded.projects, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                j.workspace(),
                j.baseUrl(),
                j.secret(),
                String.join(",", j.projects()),
                j.updatedBy(),
                j.updatedAt());
    }

    boolean deleteJira(String workspace) {
        return sql.update("delete from ticket_jira where workspace = ?1", workspace) == 1;
    }

    void started(TicketSession s, Instant at) {
        sql.update(
                "insert into ticket_session(session_id, workspace, source, ticket, repo, ticket_url, session_link, created_by, created_at) "
                        + "values (cast(?1 as uuid), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                s.sessionId(),
                s.workspace(),
                s.source(),
                s.ticket(),
                s.repo(),
                s.ticketUrl(),
                s.link(),
                s.createdBy(),
                at);
    }

    /** Claims the write-back of a finished session started from a ticket: once per session. */
    Optional<TicketSession> claimReport(String sessionId, Instant at) {
        return sql
                .rows(
                        "update ticket_session set reported_at = ?2 where session_id = cast(?1 as uuid) and reported_at is null "
                                + "returning session_id::text, workspace, source, ticket, repo, ticket_url, session_link, created_by",
                        sessionId,
                        at)
                .stream()
                .findFirst()
                .map(r -> new TicketSession(
                        (String) r[0],
                        (String) r[1],
                        (String) r[2],
                        (String) r[3],
                        (String) r[4],
                        (String) r[5],
                        (String) r[6],
                        (String) r[7]));
    }

    void reported(String sessionId, String report) {
        sql.update("update ticket_session set report = ?2 where session_id = cast(?1 as uuid)", sessionId, report);
    }
}
