package dev.drydock.server.delivery;

import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.WorkspaceAccess;
import dev.drydock.server.auth.WorkspaceRole;
import dev.drydock.server.delivery.DeliveryStore.DeliverableRow;
import dev.drydock.server.droid.GitMirrorPublisher;
import dev.drydock.server.droid.GitMirrors;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * A workspace's deliverables: its sessions on repositories, the agent branch each left in the mirror,
 * the merge request it became and whether that merged or closed, who approved it (and whether the
 * delegator did: a governance violation), and the droid's lines that survive 7 and 30 days after the
 * merge. Viewers of the workspace may read it.
 */
@ApplicationScoped
public class Deliverables {
    private static final Logger LOG = Logger.getLogger(Deliverables.class);
    /** Most sessions listed, newest first. */
    static final int LIMIT = 500;

    @Inject
    DeliveryStore store;

    @Inject
    GitMirrors mirrors;

    /** Totals over the listed sessions. */
    public record Counts(
            int sessions,
            int branches,
            int pushed,
            int mergeRequests,
            int open,
            int merged,
            int closed,
            int governanceViolations,
            long linesAdded,
            long linesKept7d,
            long linesKept30d) {}

    /** The rule broken when the delegator approved: who approved. */
    public record GovernanceViolation(String rule, String approver) {}

    /** A session's merge request as tracked. */
    public record MergeRequestRow(
            long number,
            String url,
            String state,
            boolean draft,
            @Nullable Instant mergedAt,
            @Nullable Instant closedAt,
            List<String> approvedBy,
            @Nullable String approvalRule,
            @Nullable GovernanceViolation governanceViolation) {}

    /** One session: its branch, push, merge request and churn (null when it has none yet). */
    public record Row(
            String session,
            String title,
            String droid,
            String repo,
            String delegatedBy,
            Instant createdAt,
            String status,
            @Nullable String outcome,
            @Nullable String branch,
            @Nullable Instant pushedAt,
            @Nullable MergeRequestRow mergeRequest,
            @Nullable Integer linesAdded,
            @Nullable Integer linesKept7d,
            @Nullable Integer linesKept30d) {}

    public record View(String workspace, Counts counts, List<Row> sessions) {}

    static final String RULE = "the person who delegated a session may not approve its merge request";

    public View view(Principal who, String workspace) {
        WorkspaceAccess.require(who, workspace, WorkspaceRole.VIEWER);
        List<DeliverableRow> rows = store.deliverables(workspace, LIMIT);
        Map<String, Set<String>> agentRefs = new HashMap<>();
        List<Row> out = rows.stream()
                .map(r -> row(r, agentRefs.computeIfAbsent(r.repo(), repo -> agentSessions(workspace, repo))))
                .toList();
        int branches = 0, pushed = 0, mrs = 0, open = 0, merged = 0, closed = 0, violations = 0;
        long added = 0, kept7 = 0, kept30 = 0;
        for (Row r : out) {
            branches += r.branch() != null ? 1 : 0;
            pushed += r.pushedAt() != null ? 1 : 0;
            MergeRequestRow mr = r.mergeRequest();
            if (mr != null) {
                mrs++;
                open += mr.state().equals("opened") ? 1 : 0;
                merged += mr.state().equals("merged") ? 1 : 0;
                closed += mr.state().equals("closed") ? 1 : 0;
                violations += mr.governanceViolation() != null ? 1 : 0;
            }
            added += r.linesAdded() != null && r.linesKept7d() != null ? r.linesAdded() : 0;
            kept7 += Objects.requireNonNullElse(r.linesKept7d(), 0);
            kept30 += Objects.requireNonNullElse(r.linesKept30d(), 0);
        }
        return new View(
                workspace,
                new Counts(out.size(), branches, pushed, mrs, open, merged, closed, violations, added, kept7, kept30),
                out);
    }

    private static Row row(DeliverableRow r, Set<String> agentRefs) {
        String branch = r.branch() != null
                ? r.branch()
                : agentRefs.contains(r.sessionId()) ? GitMirrorPublisher.branch(r.sessionId()) : null;
        MergeRequestRow mr = r.mrNumber() == null
                ? null
                : new MergeRequestRow(
                        r.mrNumber(),
                        Objects.requireNonNullElse(r.mrUrl(), ""),
                        Objects.requireNonNullElse(r.mrState(), "opened"),
                        Boolean.TRUE.equals(r.mrDraft()),
                        r.mergedAt(),
                        r.closedAt(),
                        r.approvedBy(),
                        r.approvalRule(),
                        r.delegatorApprovedBy() == null
                                ? null
                                : new GovernanceViolation(RULE, r.delegatorApprovedBy()));
        return new Row(
                r.sessionId(),
                r.title(),
                r.droid(),
                r.repo(),
                r.delegatedBy(),
                r.createdAt(),
                r.status(),
                r.outcome(),
                branch,
                r.pushedAt(),
                mr,
                r.linesAdded(),
                r.linesKept7d(),
                r.linesKept30d());
    }

    /** The sessions whose agent ref the repository's mirror holds. */
    private Set<String> agentSessions(String workspace, String repo) {
        Optional<Path> mirror = mirrors.mirror(workspace, repo);
        Set<String> ids = new HashSet<>();
        if (mirror.isEmpty()) {
            return ids;
        }
        try (Repository r = new FileRepositoryBuilder()
                .setGitDir(mirror.get().toFile())
                .setMustExist(true)
                .build()) {
            for (Ref ref : r.getRefDatabase().getRefsByPrefix(GitMirrorPublisher.REF_PREFIX)) {
                ids.add(ref.getName().substring(GitMirrorPublisher.REF_PREFIX.length()));
            }
        } catch (IOException e) {
            LOG.warnf("cannot list the agent refs of %s/%s: %s", workspace, repo, e.getMessage());
        }
        return ids;
    }
}
