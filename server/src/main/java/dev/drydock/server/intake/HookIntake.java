package dev.drydock.server.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.WorkspaceMembership;
import dev.drydock.server.auth.WorkspaceRole;
import dev.drydock.server.delivery.DeliveryService;
import dev.drydock.server.delivery.DeliveryStore.Settings;
import dev.drydock.server.delivery.GitServer;
import dev.drydock.server.problem.Problem;
import dev.drydock.server.problem.ProblemException;
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
 * token, Gitea's HMAC signature), refuses replays, and acts on it: an {@code @drydock} comment (or a
 * review requesting changes) on a droid's merge request continues that session with the comment as a
 * new user turn; an issue that gets the repository's ticket label starts a code session and is
 * answered with the session's link. Refusals, replays and what was done are sealed in the audit trail.
 *
 * <p>The webhook acts as a member of the repository's workspace named after the git server's user
 * ({@code gitlab:alice}): the secret a workspace admin configured is what authenticates it, and it
 * reaches only that repository's sessions.
 */
@ApplicationScoped
public class HookIntake {
    private static final Logger LOG = Logger.getLogger(HookIntake.class);
    /** What a comment must mention for Drydock to act on it (a review requesting changes needs none). */
    static final String MENTION = "@drydock";

    private static final int MAX_TURN_CHARS = 20_000;

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
    HookDeliverables deliverables;

    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock = Clock.systemUTC();

    /** The git servers whose webhooks Drydock reads. */
    public enum Vendor {
        GITLAB(GitServer.Kind.GITLAB),
        GITEA(GitServer.Kind.GITEA);

        final GitServer.Kind kind;

        Vendor(GitServer.Kind kind) {
            this.kind = kind;
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
            @Nullable String signature) {}

    /** What Drydock did with a webhook: {@code continued}, {@code started} or {@code ignored}. */
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
        HookEvent event = vendor == Vendor.GITLAB
                ? HookEvent.gitlab(headers.event(), payload, ticketLabel)
                : HookEvent.gitea(headers.event(), payload, ticketLabel);
        String actor = safeName(event.actor());
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
        } else if (vendor == Vendor.GITLAB
                ? HookSignature.gitlabToken(secret.get(), headers.token())
                : HookSignature.hmac(secret.get(), body, headers.signature())) {
            return;
        } else {
            reason = vendor == Vendor.GITLAB
                    ? (headers.token() == null ? "no X-Gitlab-Token" : "X-Gitlab-Token does not match the secret")
                    : (headers.signature() == null ? "no signature header" : "the signature does not match the body");
        }
        audit.append(AuditEntry.of("anonymous", "hook.refused", workspace + "/" + repo)
                .inWorkspace(settings.isPresent() ? workspace : null)
                .with("vendor", vendor.label())
                .with("event", headers.event())
                .with("reason", reason));
        throw new ProblemException(Problem.of(
                401,
                "hook-unauthenticated",
                "Webhook not authenticated",
                "The webhook is not signed with this repository's webhook secret (" + vendor.label() + ": "
                        + (vendor == Vendor.GITLAB ? "X-Gitlab-Token" : "X-Gitea-Signature") + ")."));
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
            case HookEvent.ReviewComment c -> {
                if (!c.changesRequested() && !c.text().toLowerCase(Locale.ROOT).contains(MENTION)) {
                    hooks.outcome(vendor.label(), workspace, repo, digest, "ignored", null, "mr:" + c.number(), null);
                    return new Outcome("ignored", null, "the comment does not mention " + MENTION);
                }
                Optional<String> session = delivery.sessionOfMergeRequest(workspace, repo, c.number());
                if (session.isEmpty()) {
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
                String task = abbreviate(t.title() + "\n\n" + t.description() + "\n\nTicket: " + t.url() + " ("
                        + vendor.label() + " issue #" + t.number() + ", labelled by " + actor + ")");
                SessionView started = sessions.create(
                        hook,
                        new SessionService.CreateSession(
                                workspace, "code", task, repo, null, abbreviateTitle(t.title())));
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

    /** Comments on an issue; a failure is audited, never fails the webhook (the session runs anyway). */
    void reply(String workspace, String repo, long issue, String sessionId, String text) {
        try {
            delivery.comment(workspace, repo, issue, false, text);
        } catch (GitServer.GitServerException e) {
            LOG.warnf("cannot comment on issue %d of %s/%s: %s", issue, workspace, repo, e.getMessage());
            audit.append(AuditEntry.of("drydock", "hook.reply-failed", workspace + "/" + repo)
                    .inWorkspace(workspace)
                    .inSession(sessionId)
                    .with("issue", issue)
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
