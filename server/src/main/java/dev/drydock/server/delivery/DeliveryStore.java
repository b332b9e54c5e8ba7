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

    /** A merge request a session opened, as tracked: its session's delegator and what is known of it. */
    public record Tracked(
            String sessionId,
            String workspace,
            String repo,
            long number,
            String delegatedBy,
            @Nullable String state,
            List<String> approvedBy,
            @Nullable String delegatorApprovedBy) {}

    private static final String TRACKED =
            "select d.session_id::text, d.workspace, d.repo, d.mr_number, s.created_by, d.mr_state, d.approved_by, d.delegator_approved_by "
                    + "from session_delivery d join droid_session s on s.id = d.session_id ";

    private static Tracked tracked(Object[] r) {
        return new Tracked(
                (String) r[0],
                (String) r[1],
                (String) r[2],
                Columns.longValue(r[3]),
                (String) r[4],
                (String) r[5],
                BranchPolicy.parseGlobs((String) r[6]),
                (String) r[7]);
    }

    /** The tracked merge request {@code number} of a repository, when a session opened it. */
    Optional<Tracked> tracked(String workspace, String repo, long number) {
        return query(
                        TRACKED + "where d.workspace = ?1 and d.repo = ?2 and d.mr_number = ?3",
                        DeliveryStore::tracked,
                        workspace,
                        repo,
                        number)
                .stream()
                .findFirst();
    }

    /** Open merge requests, the ones asked about longest ago first. */
    List<Tracked> openMergeRequests(int limit) {
        return query(
                TRACKED + "where d.mr_number is not null and coalesce(d.mr_state, 'opened') = 'opened' "
                        + "order by d.mr_checked_at nulls first, d.mr_updated_at limit ?1",
                DeliveryStore::tracked,
                limit);
    }

    /** Records what is known now of a session's merge request. */
    void observed(
            String sessionId,
            String state,
            @Nullable Instant mergedAt,
            @Nullable Instant closedAt,
            @Nullable String mergeCommit,
            List<String> approvedBy,
            @Nullable String delegatorApprovedBy,
            @Nullable Instant checkedAt) {
        List<Object> params = new java.util.ArrayList<>(List.of(state, String.join(",", approvedBy)));
        StringBuilder sql = new StringBuilder("update session_delivery set mr_state = ?1, approved_by = ?2");
        if (mergedAt != null) {
            params.add(mergedAt);
            sql.append(", mr_merged_at = coalesce(mr_merged_at, ?")
                    .append(params.size())
                    .append(')');
        }
        if (closedAt != null) {
            params.add(closedAt);
            sql.append(", mr_closed_at = coalesce(mr_closed_at, ?")
                    .append(params.size())
                    .append(')');
        }
        if (mergeCommit != null && !mergeCommit.isEmpty()) {
            params.add(mergeCommit);
            sql.append(", merge_commit = ?").append(params.size());
        }
        if (delegatorApprovedBy != null) {
            params.add(delegatorApprovedBy);
            sql.append(", delegator_approved_by = coalesce(delegator_approved_by, ?")
                    .append(params.size())
                    .append(')');
        }
        if (checkedAt != null) {
            params.add(checkedAt);
            sql.append(", mr_checked_at = ?").append(params.size());
        }
        params.add(UUID.fromString(sessionId));
        sql.append(" where session_id = ?").append(params.size());
        update(sql.toString(), params.toArray());
    }

    /** Notes that the git server was asked (and could not answer), so the next round asks the others first. */
    void checked(String sessionId, Instant at) {
        update("update session_delivery set mr_checked_at = ?1 where session_id = ?2", at, UUID.fromString(sessionId));
    }

    /** What was set on the git server so that the delegator cannot approve (or why nothing was). */
    void approvalRule(String sessionId, String rule) {
        update(
                "update session_delivery set approval_rule = ?1 where session_id = ?2",
                rule,
                UUID.fromString(sessionId));
    }

    /** A merged merge request whose churn is due. */
    record ChurnDue(
            String sessionId,
            String workspace,
            String repo,
            String pushedCommit,
            @Nullable String mergeCommit,
            boolean week,
            boolean month) {}

    /** Merged merge requests 7 days old without a 7-day count, or 30 days old without a 30-day count. */
    List<ChurnDue> churnDue(Instant now) {
        Instant week = now.minus(java.time.Duration.ofDays(7));
        Instant month = now.minus(java.time.Duration.ofDays(30));
        return query(
                "select session_id::text, workspace, repo, pushed_commit, merge_commit, "
                        + "(lines_kept_7d is null and mr_merged_at <= ?1), (lines_kept_30d is null and mr_merged_at <= ?2) "
                        + "from session_delivery where mr_state = 'merged' and pushed_commit is not null and mr_merged_at is not null "
                        + "and ((lines_kept_7d is null and mr_merged_at <= ?1) or (lines_kept_30d is null and mr_merged_at <= ?2)) "
                        + "order by mr_merged_at limit 100",
                r -> new ChurnDue(
                        (String) r[0],
                        (String) r[1],
                        (String) r[2],
                        (String) r[3],
                        (String) r[4],
                        Boolean.TRUE.equals(r[5]),
                        Boolean.TRUE.equals(r[6])),
                week,
                month);
    }

    /** Stores a churn count (the 7-day one, the 30-day one, or both). */
    void churn(String sessionId, int linesAdded, boolean week, boolean month, int kept) {
        update(
                "update session_delivery set lines_added = ?1, "
                        + "lines_kept_7d = case when ?2 then ?4 else lines_kept_7d end, "
                        + "lines_kept_30d = case when ?3 then ?4 else lines_kept_30d end where session_id = ?5",
                linesAdded,
                week,
                month,
                kept,
                UUID.fromString(sessionId));
    }

    /** A session of a workspace with a repository, with what it delivered (deliverables). */
    public record DeliverableRow(
            String sessionId,
            String title,
            String droid,
            String repo,
            String delegatedBy,
            Instant createdAt,
            String status,
            @Nullable String outcome,
            @Nullable String branch,
            @Nullable String pushedCommit,
            @Nullable Instant pushedAt,
            @Nullable Long mrNumber,
            @Nullable String mrUrl,
            @Nullable Boolean mrDraft,
            @Nullable String mrState,
            @Nullable Instant mergedAt,
            @Nullable Instant closedAt,
            List<String> approvedBy,
            @Nullable String delegatorApprovedBy,
            @Nullable String approvalRule,
            @Nullable Integer linesAdded,
            @Nullable Integer linesKept7d,
            @Nullable Integer linesKept30d) {}

    /** The newest sessions of a workspace that have a repository, with their delivery. */
    List<DeliverableRow> deliverables(String workspace, int limit) {
        return query(
                "select s.id::text, s.title, s.droid, s.repo, s.created_by, s.created_at, s.status, s.outcome, "
                        + "d.branch, d.pushed_commit, d.pushed_at, d.mr_number, d.mr_url, d.mr_draft, d.mr_state, d.mr_merged_at, d.mr_closed_at, "
                        + "d.approved_by, d.delegator_approved_by, d.approval_rule, d.lines_added, d.lines_kept_7d, d.lines_kept_30d "
                        + "from droid_session s left join session_delivery d on d.session_id = s.id "
                        + "where s.workspace = ?1 and s.repo <> '' order by s.created_at desc limit ?2",
                r -> new DeliverableRow(
                        (String) r[0],
                        (String) r[1],
                        (String) r[2],
                        (String) r[3],
                        (String) r[4],
                        Columns.instant(r[5]),
                        (String) r[6],
                        (String) r[7],
                        (String) r[8],
                        (String) r[9],
                        Columns.instantOrNull(r[10]),
                        r[11] == null ? null : Columns.longValue(r[11]),
                        (String) r[12],
                        (Boolean) r[13],
                        r[11] == null ? null : java.util.Objects.requireNonNullElse((String) r[14], "opened"),
                        Columns.instantOrNull(r[15]),
                        Columns.instantOrNull(r[16]),
                        r[17] == null ? List.of() : BranchPolicy.parseGlobs((String) r[17]),
                        (String) r[18],
                        (String) r[19],
                        r[20] == null ? null : ((Number) r[20]).intValue(),
                        r[21] == null ? null : ((Number) r[21]).intValue(),
                        r[22] == null ? null : ((Number) r[22]).intValue()),
                workspace,
                limit);
    }

    /** The state of a session's merge request ({@code opened}, {@code merged}, {@code closed}); empty without one. */
    Optional<String> mergeRequestState(String sessionId) {
        return query(
                        "select coalesce(mr_state, 'opened'), mr_number from session_delivery where session_id = ?1 and mr_number is not null",
                        r -> (String) r[0],
                        UUID.fromString(sessionId))
                .stream()
                .findFirst();
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
