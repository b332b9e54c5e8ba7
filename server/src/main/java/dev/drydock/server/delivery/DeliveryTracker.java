package dev.drydock.server.delivery;

import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.delivery.DeliveryCredentials.Credential;
import dev.drydock.server.delivery.DeliveryStore.Settings;
import dev.drydock.server.delivery.DeliveryStore.Tracked;
import dev.drydock.server.droid.GitMirrors;
import dev.drydock.server.repository.RepositoryRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Follows the merge requests sessions opened until they are merged or closed: from webhooks (GitLab
 * {@code merge_request}, Gitea {@code pull_request} and review events, handed over by the hook intake)
 * and by polling every git server for the open ones. Records who approved, flags a governance
 * violation when the person who delegated the session approved its merge request (audited as {@code
 * delivery.governance-violation}), and, once merged, counts the droid's lines that the default branch
 * still has after 7 and 30 days (code churn).
 */
@ApplicationScoped
public class DeliveryTracker {
    private static final Logger LOG = Logger.getLogger(DeliveryTracker.class);

    @Inject
    DeliveryStore store;

    @Inject
    DeliveryService delivery;

    @Inject
    DeliveryCredentials credentials;

    @Inject
    RepositoryRegistry repositories;

    @Inject
    GitMirrors mirrors;

    @Inject
    DeliveryConfig config;

    @Inject
    AuditTrail audit;

    private final Clock clock = Clock.systemUTC();

    /**
     * What a webhook or a poll says about a merge request; null fields are not known from this source.
     * {@code approvedBy} replaces the list (a poll), {@code approved}/{@code unapproved} change it (a
     * webhook naming one approver).
     */
    public record Observation(
            @Nullable String state,
            @Nullable Instant mergedAt,
            @Nullable String mergeCommit,
            @Nullable List<String> approvedBy,
            @Nullable String approved,
            @Nullable String unapproved) {
        public static Observation state(String state, @Nullable Instant mergedAt, @Nullable String mergeCommit) {
            return new Observation(state, mergedAt, mergeCommit, null, null, null);
        }

        public static Observation approval(String user, boolean approved) {
            return new Observation(null, null, null, null, approved ? user : null, approved ? null : user);
        }
    }

    /**
     * Applies what a webhook (or a poll) says about merge request {@code number} of a repository;
     * answers the session that opened it, or empty when no session did (then nothing is recorded).
     */
    public Optional<String> observe(String workspace, String repo, long number, Observation o, String source) {
        Optional<Tracked> tracked = store.tracked(workspace, repo, number);
        tracked.ifPresent(t -> apply(t, o, source, null));
        return tracked.map(Tracked::sessionId);
    }

    private void apply(Tracked t, Observation o, String source, @Nullable Instant checkedAt) {
        String before = Objects.requireNonNullElse(t.state(), "opened");
        String state = o.state() == null ? before : o.state();
        Set<String> approvers = new LinkedHashSet<>(o.approvedBy() != null ? o.approvedBy() : t.approvedBy());
        if (o.approved() != null) {
            approvers.add(o.approved());
        }
        if (o.unapproved() != null) {
            approvers.remove(o.unapproved());
        }
        String delegator = gitUser(t.delegatedBy());
        String violator = t.delegatorApprovedBy() != null
                ? null
                : approvers.stream()
                        .filter(a -> a.equalsIgnoreCase(delegator))
                        .findFirst()
                        .orElse(null);
        Instant now = clock.instant();
        Instant mergedAt = state.equals("merged") ? Objects.requireNonNullElse(o.mergedAt(), now) : null;
        Instant closedAt = state.equals("closed") ? now : null;
        store.observed(
                t.sessionId(), state, mergedAt, closedAt, o.mergeCommit(), List.copyOf(approvers), violator, checkedAt);
        String target = t.workspace() + "/" + t.repo();
        for (String a : approvers) {
            if (!t.approvedBy().contains(a)) {
                audit.append(AuditEntry.of("drydock", "delivery.merge-request-approved", target)
                        .inWorkspace(t.workspace())
                        .inSession(t.sessionId())
                        .with("number", t.number())
                        .with("approver", a)
                        .with("source", source));
            }
        }
        if (violator != null) {
            LOG.warnf(
                    "session %s: its delegator %s approved merge request %d of %s",
                    t.sessionId(), violator, t.number(), target);
            audit.append(AuditEntry.of("drydock", "delivery.governance-violation", target)
                    .inWorkspace(t.workspace())
                    .inSession(t.sessionId())
                    .with("number", t.number())
                    .with("rule", "the person who delegated a session may not approve its merge request")
                    .with("delegatedBy", t.delegatedBy())
                    .with("approver", violator)
                    .with("source", source));
        }
        if (!state.equals(before)) {
            audit.append(AuditEntry.of("drydock", "delivery.merge-request-" + state, target)
                    .inWorkspace(t.workspace())
                    .inSession(t.sessionId())
                    .with("number", t.number())
                    .with("mergeCommit", o.mergeCommit())
                    .with("source", source));
        }
    }

    /**
     * The git-server user name of a delegator: Drydock's user name (one directory behind both), or the
     * git-server user a webhook started the session for ({@code gitlab:rita} is {@code rita}).
     */
    static String gitUser(String delegatedBy) {
        return delegatedBy.matches("(gitlab|gitea|github|bitbucket):.+")
                ? delegatedBy.substring(delegatedBy.indexOf(':') + 1)
                : delegatedBy;
    }

    /**
     * Right after a merge request was opened: sets the rule that someone other than the delegator must
     * approve, where the git server's API has one, and records what was set (or why not).
     */
    void opened(String sessionId, String workspace, String repo, String delegatedBy, GitServer server, long number) {
        String target = workspace + "/" + repo;
        String delegator = gitUser(delegatedBy);
        try {
            Optional<String> rule = server.requireApprovalByOthers(number, delegator);
            String text = rule.orElse(
                    "none: the git server's API has no per-merge-request rule; Drydock watches the approvals");
            store.approvalRule(sessionId, text);
            audit.append(AuditEntry.of(
                            "drydock",
                            rule.isPresent() ? "delivery.approval-rule-set" : "delivery.approval-rule-unavailable",
                            target)
                    .inWorkspace(workspace)
                    .inSession(sessionId)
                    .with("number", number)
                    .with("delegatedBy", delegator)
                    .with("rule", text));
        } catch (GitServer.GitServerException e) {
            store.approvalRule(sessionId, "failed: " + e.getMessage());
            audit.append(AuditEntry.of("drydock", "delivery.approval-rule-failed", target)
                    .inWorkspace(workspace)
                    .inSession(sessionId)
                    .with("number", number)
                    .with("reason", e.getMessage()));
        }
    }

    @Scheduled(
            every = "${drydock.delivery.poll-interval}",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledPoll() {
        poll();
    }

    /** One polling round: asks the git servers about at most {@code poll-batch} open merge requests; answers how many it updated. */
    public int poll() {
        List<Tracked> open = store.openMergeRequests(Math.max(1, config.pollBatch()));
        int updated = 0;
        int failed = 0;
        for (Tracked t : open) {
            Instant now = clock.instant();
            try {
                Optional<GitServer> server = server(t.workspace(), t.repo());
                if (server.isEmpty()) {
                    store.checked(t.sessionId(), now);
                    continue;
                }
                GitServer.MergeRequestStatus st = server.get().status(t.number());
                apply(
                        t,
                        new Observation(st.state(), st.mergedAt(), st.mergeCommit(), st.approvedBy(), null, null),
                        "poll",
                        now);
                updated++;
            } catch (GitServer.GitServerException | RuntimeException e) {
                failed++;
                store.checked(t.sessionId(), now);
                LOG.warnf(
                        "cannot read merge request %d of %s/%s from its git server: %s",
                        t.number(), t.workspace(), t.repo(), e.getMessage());
            }
        }
        if (!open.isEmpty()) {
            LOG.infof("deliverables: polled %d open merge requests (%d read, %d failed)", open.size(), updated, failed);
        }
        return updated;
    }

    private Optional<GitServer> server(String workspace, String repo) {
        Optional<Settings> settings = store.settings(workspace, repo);
        Optional<Credential> credential = credentials.forRepository(workspace, repo);
        if (settings.isEmpty() || credential.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(delivery.server(settings.get(), credential.get()));
    }

    @Scheduled(
            every = "${drydock.delivery.churn-interval}",
            delayed = "5m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledChurn() {
        churn(clock.instant());
    }

    /**
     * Counts the churn that is due at {@code now}: for each merge request merged 7 (30) days before
     * without a 7-day (30-day) count, the droid's lines the mirror's default branch still has. A merge
     * that has not reached the mirror yet is counted in a later round. Answers how many were counted.
     */
    public int churn(Instant now) {
        int counted = 0;
        for (DeliveryStore.ChurnDue due : store.churnDue(now)) {
            Optional<Path> mirror = mirrors.mirror(due.workspace(), due.repo());
            Optional<RepositoryRegistry.Upstream> upstream = repositories.upstream(due.workspace(), due.repo());
            if (mirror.isEmpty() || upstream.isEmpty()) {
                continue;
            }
            try {
                Optional<Churn.Result> r = Churn.measure(
                        mirror.get(),
                        due.sessionId(),
                        due.pushedCommit(),
                        upstream.get().defaultBranch(),
                        due.mergeCommit());
                if (r.isPresent()) {
                    store.churn(
                            due.sessionId(),
                            r.get().linesAdded(),
                            due.week(),
                            due.month(),
                            r.get().linesKept());
                    counted++;
                }
            } catch (IOException | RuntimeException e) {
                LOG.warnf(
                        "session %s: cannot count code churn in %s/%s: %s",
                        due.sessionId(), due.workspace(), due.repo(), e.getMessage());
            }
        }
        return counted;
    }

    /**
     * Whether a finished session's change still waits to become a merge request: its repository has a
     * git server for merge requests, the droid published a branch, and none was opened for it yet.
     */
    public boolean awaitsMergeRequest(String workspace, String repo, String sessionId) {
        if (store.settings(workspace, repo).isEmpty()
                || store.mergeRequestState(sessionId).isPresent()) {
            return false;
        }
        return mirrors.mirror(workspace, repo)
                .map(mirror -> {
                    try (org.eclipse.jgit.lib.Repository git = new org.eclipse.jgit.storage.file.FileRepositoryBuilder()
                            .setGitDir(mirror.toFile())
                            .setMustExist(true)
                            .build()) {
                        return git.exactRef(dev.drydock.server.droid.GitMirrorPublisher.ref(sessionId)) != null;
                    } catch (IOException e) {
                        LOG.warnf("session %s: cannot read its agent ref in %s: %s", sessionId, mirror, e.getMessage());
                        return false;
                    }
                })
                .orElse(false);
    }

    /** The state of a session's merge request: {@code opened}, {@code merged} or {@code closed}; empty when it has none. */
    public Optional<String> mergeRequestState(String sessionId) {
        return store.mergeRequestState(sessionId);
    }
}
