package dev.drydock.server.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.server.audit.AccessAuditor;
import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.KeycloakMemberships;
import dev.drydock.server.auth.WorkspaceMembership;
import dev.drydock.server.auth.WorkspaceRole;
import dev.drydock.server.delivery.DeliveryService;
import dev.drydock.server.delivery.DeliveryStore.Settings;
import dev.drydock.server.delivery.GitServer;
import dev.drydock.server.problem.Problem;
import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.repository.RepositoryRegistry;
import dev.drydock.server.secret.WorkspaceSecrets;
import dev.drydock.server.session.SessionService;
import dev.drydock.server.session.SessionView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Webhooks in: authenticates a git server's webhook with the repository's webhook secret (GitLab's
 * token; the HMAC-SHA256 signatures of Gitea, GitHub Enterprise Server and Bitbucket Data Center),
 * refuses replays, and acts on it: an {@code @drydock} comment (or a review requesting changes) on a
 * droid's merge request continues that session with the comment as a new user turn; an issue that
 * gets the repository's ticket label, or an {@code @drydock <task>} comment of a workspace member on
 * an issue or on a merge request no session opened, starts a code session (the thread's text as an
 * untrusted attachment) and is answered with the session's link; a push to the tracked branch syncs
 * the repository. Refusals, replays and what was done are sealed in the audit trail.
 *
 * <p>Review comments and tickets act as a member of the repository's workspace named after the git
 * server's user ({@code gitlab:alice}): the secret a workspace admin configured is what authenticates
 * them, and they reach only that repository's sessions. An {@code @drydock <task>} comment acts as the
 * Drydock user of the same name, and only when that person is a member ({@link HookMembers}).
 */
@ApplicationScoped
public class HookIntake {
    private static final Logger LOG = Logger.getLogger(HookIntake.class);
    /** What a comment must mention for Drydock to act on it (a review requesting changes needs none). */
    static final String MENTION = "@drydock";

    private static final int MAX_TURN_CHARS = 20_000;

    /** {@code @drydock} at the start of a line (after optional blanks), then the task to the end of the comment. */
    private static final java.util.regex.Pattern TASK =
            java.util.regex.Pattern.compile("(?im)^[ \\t]*@drydock\\b[:,]?(.*)", java.util.regex.Pattern.DOTALL);

    @Inject
    DeliveryService delivery;

    @Inject
    WorkspaceSecrets secrets;

    @Inject
    HookLog hooks;

    @Inject
    SessionService sessions;

    @Inject
    AuditTrail audit;

    @Inject
    AccessAuditor accessAudit;

    @Inject
    HookMembers members;

    @Inject
    PushSync pushSync;

    @Inject
    RepositoryRegistry repositories;

    @Inject
    HookDeliverables deliverables;

    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock = Clock.systemUTC();

    /** The git servers whose webhooks Drydock reads, and the header each authenticates with. */
    public enum Vendor {
        GITLAB(GitServer.Kind.GITLAB, "X-Gitlab-Token"),
        GITEA(GitServer.Kind.GITEA, "X-Gitea-Signature"),
        GITHUB(GitServer.Kind.GITHUB, "X-Hub-Signature-256"),
        BITBUCKET(GitServer.Kind.BITBUCKET, "X-Hub-Signature");

        final GitServer.Kind kind;
        final String authHeader;

        Vendor(GitServer.Kind kind, String authHeader) {
            this.kind = kind;
            this.authHeader = authHeader;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The headers that authenticate and identify a delivery. */
    public record Headers(
            @Nullable String event,
            @Nullable String deliveryId,
            @Nullable String token,
            @Nullable String signature,
            String client) {
        public Headers(
                @Nullable String event,
                @Nullable String deliveryId,
                @Nullable String token,
                @Nullable String signature) {
            this(event, deliveryId, token, signature, "unknown");
        }
    }

    /**
     * What Drydock did with a webhook: {@code continued}, {@code started}, {@code sync-started},
     * {@code sync-queued}, {@code sync-coalesced}, {@code pong}, {@code refused} (a comment from
     * someone who is not a member) or {@code ignored}.
     */
    public record Outcome(String outcome, @Nullable String session, String detail) {}

    public Outcome receive(Vendor vendor, String workspace, String repo, Headers headers, byte[] body, URI base) {
        Optional<Settings> settings = delivery.repositorySettings(workspace, repo);
        authenticate(vendor, workspace, repo, settings, headers, body);
        JsonNode payload;
        try {
            payload = json.readTree(body);
        } catch (java.io.IOException e) {
            throw ProblemException.badRequest("the webhook body is not JSON");
        }
        if (payload == null || !payload.isObject()) {
            throw ProblemException.badRequest("the webhook body is not a JSON object");
        }
        String ticketLabel = settings.map(Settings::ticketLabel).orElse(null);
        HookEvent event = switch (vendor) {
            case GITLAB -> HookEvent.gitlab(headers.event(), payload, ticketLabel);
            case GITEA -> HookEvent.gitea(headers.event(), payload, ticketLabel);
            case GITHUB -> HookEvent.github(headers.event(), payload, ticketLabel);
            case BITBUCKET -> HookEvent.bitbucket(headers.event(), payload);
        };
        String actor = safeName(event.actor());
        if (event instanceof HookEvent.Ping) {
            // authenticated and harmless: answered, never recorded, so "Test connection" can be pressed twice
            return new Outcome("pong", null, "the webhook reaches Drydock and is signed with the repository's secret");
        }
        String digest = HookSignature.sha256(body);
        String eventName = headers.event() == null ? "" : headers.event();
        if (!hooks.receive(
                vendor.label(), workspace, repo, headers.deliveryId(), digest, eventName, actor, clock.instant())) {
            audit.append(AuditEntry.of(vendor.label() + ":" + actor, "hook.replay-refused", workspace + "/" + repo)
                    .inWorkspace(workspace)
                    .with("vendor", vendor.label())
                    .with("event", eventName)
                    .with("delivery", headers.deliveryId()));
            throw new ProblemException(Problem.of(
                    409,
                    "hook-replayed",
                    "Webhook already received",
                    "This delivery (its id or its exact body) was received before; a replay is not acted on again."));
        }
        try {
            Optional<Outcome> tracked = tracked(vendor, workspace, repo, headers, payload, event, digest);
            if (tracked.isPresent()) {
                return tracked.get();
            }
            return act(vendor, workspace, repo, event, actor, digest, base);
        } catch (RuntimeException e) {
            // not acted on: a redelivery by the git server may try again
            hooks.forget(vendor.label(), workspace, repo, digest);
            throw e;
        }
    }

    /**
     * A merge request event (state, merge, approval) about a droid's merge request goes to the
     * deliverables; it is the outcome when the event asks nothing else (an approval that mentions
     * {@code @drydock} still continues the session).
     */
    private Optional<Outcome> tracked(
            Vendor vendor,
            String workspace,
            String repo,
            Headers headers,
            JsonNode payload,
            HookEvent event,
            String digest) {
        Optional<HookDeliverables.Tracked> t = deliverables.track(vendor, workspace, repo, headers.event(), payload);
        boolean asksMore = event instanceof HookEvent.Ticket
                || (event instanceof HookEvent.ReviewComment c
                        && (c.changesRequested()
                                || c.text().toLowerCase(Locale.ROOT).contains(MENTION)));
        if (t.isEmpty() || asksMore) {
            return Optional.empty();
        }
        hooks.outcome(
                vendor.label(), workspace, repo, digest, "tracked", t.get().session(), null, null);
        return Optional.of(new Outcome("tracked", null, t.get().detail()));
    }

    private void authenticate(
            Vendor vendor, String workspace, String repo, Optional<Settings> settings, Headers headers, byte[] body) {
        String reason;
        Optional<String> secret = settings.filter(s -> s.kind() == vendor.kind)
                .flatMap(s -> Optional.ofNullable(s.hookSecret()))
                .flatMap(name -> secrets.reveal(workspace, name))
                .filter(v -> !v.isBlank());
        if (secret.isEmpty()) {
            reason = "no " + vendor.label() + " webhook secret is configured for this repository";
        } else if (authentic(vendor, secret.get(), headers, body)) {
            return;
        } else {
            reason = vendor == Vendor.GITLAB
                    ? (headers.token() == null ? "no X-Gitlab-Token" : "X-Gitlab-Token does not match the secret")
                    : (headers.signature() == null
                            ? "no " + vendor.authHeader
                            : "the signature does not match the body");
        }
        // rate-limited per client address, as every refused access: a flood of forgeries cannot flood the chain
        accessAudit.hookRefused(
                AuditEntry.of("anonymous", "hook.refused", workspace + "/" + repo)
                        .inWorkspace(settings.isPresent() ? workspace : null)
                        .with("vendor", vendor.label())
                        .with("event", headers.event())
                        .with("reason", reason)
                        .with("client", headers.client()),
                headers.client());
        throw new ProblemException(Problem.of(
                401,
                "hook-unauthenticated",
                "Webhook not authenticated",
                "The webhook is not signed with this repository's webhook secret (" + vendor.label() + ": "
                        + vendor.authHeader + ")."));
    }

    private static boolean authentic(Vendor vendor, String secret, Headers headers, byte[] body) {
        return switch (vendor) {
            case GITLAB -> HookSignature.gitlabToken(secret, headers.token());
            case GITEA -> HookSignature.hmac(secret, body, headers.signature());
            case GITHUB, BITBUCKET -> HookSignature.hub(secret, body, headers.signature());
        };
    }

    private Outcome act(
            Vendor vendor, String workspace, String repo, HookEvent event, String actor, String digest, URI base) {
        Principal hook = principal(vendor, actor, workspace);
        String target = workspace + "/" + repo;
        switch (event) {
            case HookEvent.Ignored ignored -> {
                hooks.outcome(vendor.label(), workspace, repo, digest, "ignored", null, null, null);
                return new Outcome("ignored", null, ignored.reason());
            }
            case HookEvent.Ping ping -> {
                return new Outcome("pong", null, "ping");
            }
            case HookEvent.Push push -> {
                return pushed(vendor, workspace, repo, push, digest);
            }
            case HookEvent.IssueComment c -> {
                Optional<String> task = task(c.text());
                if (task.isEmpty()) {
                    hooks.outcome(
                            vendor.label(), workspace, repo, digest, "ignored", null, "issue:" + c.number(), null);
                    return new Outcome("ignored", null, "the comment does not start with a task for " + MENTION);
                }
                return taskComment(
                        vendor, workspace, repo, c.number(), false, actor, task.get(), c.topic(), digest, base);
            }
            case HookEvent.ReviewComment c -> {
                if (!c.changesRequested() && !c.text().toLowerCase(Locale.ROOT).contains(MENTION)) {
                    hooks.outcome(vendor.label(), workspace, repo, digest, "ignored", null, "mr:" + c.number(), null);
                    return new Outcome("ignored", null, "the comment does not mention " + MENTION);
                }
                Optional<String> session = delivery.sessionOfMergeRequest(workspace, repo, c.number());
                if (session.isEmpty()) {
                    Optional<String> task = c.changesRequested() ? Optional.empty() : task(c.text());
                    if (task.isPresent()) {
                        return taskComment(
                                vendor, workspace, repo, c.number(), true, actor, task.get(), c.topic(), digest, base);
                    }
                    hooks.outcome(vendor.label(), workspace, repo, digest, "ignored", null, "mr:" + c.number(), null);
                    return new Outcome(
                            "ignored", null, "merge request " + c.number() + " is not one a Drydock session opened");
                }
                String id = session.get();
                String turn = "Review comment from " + actor + " on the merge request (" + vendor.label() + " #"
                        + c.number() + "):\n\n" + abbreviate(c.text());
                sessions.followUp(hook, id, turn);
                String link = base.resolve("/portal/sessions/" + id).toString();
                hooks.outcome(vendor.label(), workspace, repo, digest, "continued", id, "mr:" + c.number(), link);
                audit.append(AuditEntry.of(hook.username(), "hook.session-continued", target)
                        .inWorkspace(workspace)
                        .inSession(id)
                        .with("vendor", vendor.label())
                        .with("mergeRequest", c.number()));
                return new Outcome("continued", id, "the session continues with the comment as a new turn");
            }
            case HookEvent.Ticket t -> {
                String subject = "issue:" + t.number();
                if (hooks.started(workspace, repo, subject)) {
                    hooks.outcome(vendor.label(), workspace, repo, digest, "ignored", null, subject, null);
                    return new Outcome("ignored", null, "issue " + t.number() + " already started a session");
                }
                // the issue's text is someone else's words: the task names it, the attachment carries it
                String task = abbreviateTitle(t.title()) + "\n\n(Resolve " + vendor.label() + " issue #" + t.number()
                        + " of this repository, labelled by " + actor
                        + "; its title, description and link are attached.)";
                SessionView started = start(
                        hook,
                        new SessionService.CreateSession(
                                workspace, "code", task, repo, null, abbreviateTitle(t.title())),
                        vendor.label() + "-issue-" + t.number(),
                        vendor.label() + " issue #" + t.number(),
                        "Title: " + t.title() + "\n\n" + abbreviate(t.description())
                                + (t.url().isEmpty() ? "" : "\n\nLink: " + t.url()));
                String link = base.resolve("/portal/sessions/" + started.id()).toString();
                hooks.outcome(vendor.label(), workspace, repo, digest, "started", started.id(), subject, link);
                audit.append(AuditEntry.of(hook.username(), "hook.session-started", target)
                        .inWorkspace(workspace)
                        .inSession(started.id())
                        .with("vendor", vendor.label())
                        .with("issue", t.number()));
                reply(
                        workspace,
                        repo,
                        t.number(),
                        started.id(),
                        "Drydock started a code session for this issue: " + link
                                + "\n\nIts merge request will be linked here when the droid has finished.");
                return new Outcome("started", started.id(), "a code session started from issue " + t.number());
            }
        }
    }

    /**
     * A push: when it moved the repository's tracked branch, the repository syncs and re-indexes
     * ({@link PushSync}); pushes to other branches, the droids' {@code drydock/*} ones included, are
     * ignored.
     */
    private Outcome pushed(Vendor vendor, String workspace, String repo, HookEvent.Push push, String digest) {
        Optional<String> tracked =
                repositories.upstream(workspace, repo).map(RepositoryRegistry.Upstream::defaultBranch);
        if (tracked.isEmpty() || !push.branches().contains(tracked.get())) {
            boolean droids = push.branches().stream().allMatch(b -> b.startsWith("drydock/"));
            hooks.outcome(vendor.label(), workspace, repo, digest, "ignored", null, null, null);
            String why = droids
                    ? "a push to the droids' own drydock/* branches"
                    : "a push to " + String.join(", ", push.branches()) + ", not to the tracked branch "
                            + tracked.orElse("(none)");
            LOG.debugf("%s/%s: %s webhook ignored: %s", workspace, repo, vendor.label(), why);
            return new Outcome("ignored", null, why);
        }
        PushSync.Result result = pushSync.pushed(workspace, repo);
        hooks.outcome(vendor.label(), workspace, repo, digest, "sync-" + result.label(), null, null, null);
        audit.append(AuditEntry.of(
                        vendor.label() + ":" + safeName(push.actor()), "hook.sync-requested", workspace + "/" + repo)
                .inWorkspace(workspace)
                .with("vendor", vendor.label())
                .with("branch", tracked.get())
                .with("sync", result.label()));
        LOG.infof(
                "%s/%s: a %s push to %s asked for a sync (%s)",
                workspace, repo, vendor.label(), tracked.get(), result.label());
        return new Outcome(
                "sync-" + result.label(),
                null,
                switch (result) {
                    case STARTED -> "the repository syncs and re-indexes now";
                    case QUEUED -> "the repository syncs and re-indexes once the running sync ends";
                    case COALESCED -> "a sync after the running one is already waiting; this push joins it";
                });
    }

    /**
     * An {@code @drydock <task>} comment on an issue, or on a merge request no Drydock session opened:
     * from a workspace member ({@link HookMembers}), a new code session on the repository with the
     * comment's task as its task and the thread's title and description as an untrusted attachment,
     * answered on the thread with the session's link (and, when it ends, with its result); from
     * anyone else, refused and audited, with no answer on the thread.
     */
    private Outcome taskComment(
            Vendor vendor,
            String workspace,
            String repo,
            long number,
            boolean onMergeRequest,
            String actor,
            String task,
            HookEvent.Topic topic,
            String digest,
            URI base) {
        String thread = (onMergeRequest ? "merge request" : "issue") + " #" + number;
        String subject = "comment:" + (onMergeRequest ? "mr:" : "issue:") + number;
        String target = workspace + "/" + repo;
        HookMembers.Verdict verdict;
        try {
            verdict = members.resolve(workspace, actor);
        } catch (KeycloakMemberships.UnavailableException e) {
            throw new ProblemException(Problem.of(
                    503,
                    "identity-unavailable",
                    "Cannot check the commenter now",
                    "Drydock cannot reach Keycloak to check whether " + actor
                            + " is a member of the workspace; the git server's redelivery will be read again."));
        }
        if (verdict instanceof HookMembers.Verdict.Refused refused) {
            hooks.outcome(vendor.label(), workspace, repo, digest, "refused", null, subject, null);
            audit.append(AuditEntry.of(vendor.label() + ":" + actor, "hook.comment-refused", target)
                    .inWorkspace(workspace)
                    .with("vendor", vendor.label())
                    .with("thread", thread)
                    .with("reason", refused.reason()));
            return new Outcome("refused", null, refused.reason());
        }
        Principal person = ((HookMembers.Verdict.Member) verdict).person();
        String origin = vendor.label() + " " + thread + " comment";
        String attachment = "Title: " + topic.title() + "\n\n" + abbreviate(topic.body())
                + (topic.url().isEmpty() ? "" : "\n\nLink: " + topic.url());
        String fullTask = abbreviate(task) + "\n\n(Asked by " + person.username() + " in a comment on " + vendor.label()
                + " " + thread + " of this repository; the " + (onMergeRequest ? "merge request's" : "issue's")
                + " title and description are attached.)";
        SessionView started = start(
                person,
                new SessionService.CreateSession(workspace, "code", fullTask, repo, null, abbreviateTitle(task)),
                vendor.label() + "-" + (onMergeRequest ? "mr-" : "issue-") + number,
                origin,
                attachment);
        String link = base.resolve("/portal/sessions/" + started.id()).toString();
        hooks.outcome(vendor.label(), workspace, repo, digest, "started", started.id(), subject, link);
        audit.append(AuditEntry.of(person.username(), "hook.session-started", target)
                .inWorkspace(workspace)
                .inSession(started.id())
                .with("vendor", vendor.label())
                .with("thread", thread)
                .with("gitUser", actor));
        reply(
                workspace,
                repo,
                number,
                onMergeRequest,
                started.id(),
                "Drydock started a code session for " + actor + ": " + link
                        + "\n\nThe result will be posted here when the droid has finished.");
        return new Outcome("started", started.id(), "a code session started from a comment on " + thread);
    }

    /** Starts a session with one attachment, the untrusted text the work came with. */
    private SessionView start(
            Principal who, SessionService.CreateSession request, String name, String origin, String text) {
        return sessions.create(
                who,
                new SessionService.CreateSession(
                        request.workspace(),
                        request.droid(),
                        request.task(),
                        request.repo(),
                        request.commit(),
                        request.title(),
                        List.of(new SessionService.Attachment(name, origin, text))));
    }

    /** The comment's task: the text after a leading {@code @drydock}, or empty when there is none. */
    static Optional<String> task(String comment) {
        java.util.regex.Matcher m = TASK.matcher(comment);
        if (!m.find()) {
            return Optional.empty();
        }
        String task = m.group(1).strip();
        return task.isEmpty() ? Optional.empty() : Optional.of(task);
    }

    /** Comments on an issue; a failure is audited, never fails the webhook (the session runs anyway). */
    void reply(String workspace, String repo, long issue, String sessionId, String text) {
        reply(workspace, repo, issue, false, sessionId, text);
    }

    /**
     * Comments on an issue or merge request through the repository's git server (its integration
     * credential, the egress allow-list); a failure is audited, never fails the webhook.
     */
    void reply(String workspace, String repo, long number, boolean onMergeRequest, String sessionId, String text) {
        try {
            delivery.comment(workspace, repo, number, onMergeRequest, text);
        } catch (GitServer.GitServerException e) {
            LOG.warnf(
                    "cannot comment on %s %d of %s/%s: %s",
                    onMergeRequest ? "merge request" : "issue", number, workspace, repo, e.getMessage());
            audit.append(AuditEntry.of("drydock", "hook.reply-failed", workspace + "/" + repo)
                    .inWorkspace(workspace)
                    .inSession(sessionId)
                    .with(onMergeRequest ? "mergeRequest" : "issue", number)
                    .with("reason", e.getMessage()));
        }
    }

    /** The webhook as a caller: a member of this one workspace, named after the git server's user. */
    static Principal principal(Vendor vendor, String actor, String workspace) {
        String name = vendor.label() + ":" + actor;
        return new Principal(
                "hook:" + name,
                name,
                actor + " (" + vendor.label() + ")",
                null,
                List.of(),
                List.of(new WorkspaceMembership(workspace, WorkspaceRole.MEMBER)));
    }

    static String safeName(String s) {
        return s.matches("[A-Za-z0-9_.@-]{1,100}") ? s : "unknown";
    }

    private static String abbreviate(String s) {
        return s.length() > MAX_TURN_CHARS ? s.substring(0, MAX_TURN_CHARS) + "…" : s;
    }

    private static String abbreviateTitle(String s) {
        String line = s.strip().replaceAll("\\s+", " ");
        return line.isEmpty() ? "Ticket" : line.length() > 200 ? line.substring(0, 200) : line;
    }
}
