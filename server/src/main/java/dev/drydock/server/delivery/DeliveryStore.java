package dev.drydock.server.delivery;

import dev.drydock.server.persistence.Columns;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Tables {@code repository_delivery} (a repository's git server) and {@code session_delivery} (what a session delivered). */
@ApplicationScoped
public class DeliveryStore {
    @Inject
    EntityManager em;

    /** A repository's delivery settings. */
    public record Settings(
            String workspace,
            String repo,
            GitServer.Kind kind,
            String apiUrl,
            String project,
            List<String> protectedBranches,
            String updatedBy,
            Instant updatedAt,
            @Nullable String hookSecret,
            @Nullable String ticketLabel,
            List<String> mrLabels,
            boolean mintTokens) {
        /** Settings without webhooks in, labels or minted tokens. */
        public Settings(
                String workspace,
                String repo,
                GitServer.Kind kind,
                String apiUrl,
                String project,
                List<String> protectedBranches,
                String updatedBy,
                Instant updatedAt) {
            this(
                    workspace,
                    repo,
                    kind,
                    apiUrl,
                    project,
                    protectedBranches,
                    updatedBy,
                    updatedAt,
                    null,
                    null,
                    List.of(),
                    false);
        }
    }

    /** What a session delivered so far. */
    public record Delivered(
            String sessionId,
            String branch,
            @Nullable String pushedCommit,
            @Nullable Instant pushedAt,
            @Nullable String pushedBy,
            @Nullable Long mrNumber,
            @Nullable String mrUrl,
            @Nullable Boolean mrDraft,
            @Nullable String mrCommit,
            @Nullable Instant mrUpdatedAt) {}

    Optional<Settings> settings(String workspace, String repo) {
        return query(
                        "select server_kind, api_url, project, protected_branches, updated_by, updated_at, hook_secret, ticket_label, mr_labels, mint_tokens from repository_delivery where workspace = ?1 and repo = ?2",
                        r -> new Settings(
                                workspace,
                                repo,
                                GitServer.Kind.parse((String) r[0]).orElseThrow(),
                                (String) r[1],
                                (String) r[2],
                                BranchPolicy.parseGlobs((String) r[3]),
                                (String) r[4],
                                Columns.instant(r[5]),
                                (String) r[6],
                                (String) r[7],
                                BranchPolicy.parseGlobs((String) r[8]),
                                Boolean.TRUE.equals(r[9])),
                        workspace,
                        repo)
                .stream()
                .findFirst();
    }

    void save(Settings s) {
        update(
                "insert into repository_delivery(workspace, repo, server_kind, api_url, project, protected_branches, updated_by, updated_at, hook_secret, ticket_label, mr_labels, mint_tokens) "
                        + "values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, nullif(?9, ''), nullif(?10, ''), ?11, ?12) "
                        + "on conflict (workspace, repo) do update set server_kind = excluded.server_kind, api_url = excluded.api_url, project = excluded.project, "
                        + "protected_branches = excluded.protected_branches, updated_by = excluded.updated_by, updated_at = excluded.updated_at, "
                        + "hook_secret = excluded.hook_secret, ticket_label = excluded.ticket_label, mr_labels = excluded.mr_labels, mint_tokens = excluded.mint_tokens",
                s.workspace(),
                s.repo(),
                s.kind().label(),
                s.apiUrl(),
                s.project(),
                String.join(",", s.protectedBranches()),
                s.updatedBy(),
                s.updatedAt(),
                java.util.Objects.requireNonNullElse(s.hookSecret(), ""),
                java.util.Objects.requireNonNullElse(s.ticketLabel(), ""),
                String.join(",", s.mrLabels()),
                s.mintTokens());
    }

    /** The session whose merge request {@code number} is, in a workspace's repository. */
    Optional<String> sessionOfMergeRequest(String workspace, String repo, long number) {
        return query(
                        "select session_id, mr_number from session_delivery where workspace = ?1 and repo = ?2 and mr_number = ?3",
                        r -> r[0].toString(),
                        workspace,
                        repo,
                        number)
                .stream()
                .findFirst();
    }

    Optional<Delivered> delivered(String sessionId) {
        return query(
                        "select branch, pushed_commit, pushed_at, pushed_by, mr_number, mr_url, mr_draft, mr_commit, mr_updated_at from session_delivery where session_id = ?1",
                        r -> new Delivered(
                                sessionId,
                                (String) r[0],
                                (String) r[1],
                                Columns.instantOrNull(r[2]),
                                (String) r[3],
                                r[4] == null ? null : Columns.longValue(r[4]),
                                (String) r[5],
                                (Boolean) r[6],
                                (String) r[7],
                                Columns.instantOrNull(r[8])),
                        UUID.fromString(sessionId))
                .stream()
                .findFirst();
    }

    void pushed(String sessionId, String workspace, String repo, String branch, String commit, String by, Instant at) {
        update(
                "insert into session_delivery(session_id, workspace, repo, branch, pushed_commit, pushed_at, pushed_by) values (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                        + "on conflict (session_id) do update set branch = excluded.branch, pushed_commit = excluded.pushed_commit, pushed_at = excluded.pushed_at, pushed_by = excluded.pushed_by",
                UUID.fromString(sessionId),
                workspace,
                repo,
                branch,
                commit,
                at,
                by);
    }

    void mergeRequest(String sessionId, GitServer.MergeRequest mr, String commit, Instant at) {
        update(
                "update session_delivery set mr_number = ?1, mr_url = ?2, mr_draft = ?3, mr_commit = ?4, mr_updated_at = ?5 where session_id = ?6",
                mr.number(),
                mr.url(),
                mr.draft(),
                commit,
                at,
                UUID.fromString(sessionId));
    }

    /** Runs a native query with positional parameters ({@code ?} in order) and maps its rows. */
    private <T> List<T> query(String sql, Function<Object[], T> row, Object... params) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = bind(em.createNativeQuery(sql), params).getResultList();
            return rows.stream().map(row).toList();
        });
    }

    private void update(String sql, Object... params) {
        QuarkusTransaction.joiningExisting()
                .run(() -> bind(em.createNativeQuery(sql), params).executeUpdate());
    }

    private static Query bind(Query query, Object... params) {
        for (int i = 0; i < params.length; i++) {
            query.setParameter(i + 1, params[i]);
        }
        return query;
    }
}
