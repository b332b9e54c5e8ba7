package dev.drydock.server.intake;

import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Lifecycle;
import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.delivery.DeliveryService;
import dev.drydock.server.eventlog.EventRecorded;
import dev.drydock.server.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * When a session a webhook continued or started finishes, its work goes back where the work came
 * from: the branch is pushed again and the same merge request updated (a review comment), or the
 * merge request is opened and linked on the ticket or the thread an {@code @drydock <task>} comment
 * came from, with the droid's summary. Runs after the finish committed, on its own thread, as the
 * webhook's caller.
 */
@ApplicationScoped
public class HookFollowUp {
    private static final Logger LOG = Logger.getLogger(HookFollowUp.class);

    @Inject
    HookLog hooks;

    @Inject
    DeliveryService delivery;

    @Inject
    HookIntake intake;

    @Inject
    AuditTrail audit;

    private final ExecutorService worker = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("hook-follow-up-", 0).factory());

    void recorded(@Observes(during = TransactionPhase.AFTER_SUCCESS) EventRecorded recorded) {
        Event e = recorded.event();
        if (e.payload() instanceof Lifecycle.SessionFinished finished) {
            worker.submit(() -> finished(e.sessionId(), finished.outcome(), finished.summary()));
        }
    }

    private void finished(String sessionId, Lifecycle.Outcome outcome, String summary) {
        try {
            for (HookLog.Pending p : hooks.claim(sessionId)) {
                followUp(sessionId, outcome, summary, p);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "session %s: the webhook follow-up failed", sessionId);
        }
    }

    /**
     * The thread a started session answers on: {@code issue:N} (a labelled ticket), {@code
     * comment:issue:N} or {@code comment:mr:N} (an {@code @drydock <task>} comment); null for a
     * continued session (its merge request is updated instead).
     */
    record ReplyThread(long number, boolean onMergeRequest, boolean fromComment) {
        static @Nullable ReplyThread of(String outcome, @Nullable String subject) {
            if (!outcome.equals("started") || subject == null) {
                return null;
            }
            boolean comment = subject.startsWith("comment:");
            String rest = comment ? subject.substring("comment:".length()) : subject;
            boolean mr = rest.startsWith("mr:");
            if (!mr && !rest.startsWith("issue:")) {
                return null;
            }
            try {
                return new ReplyThread(Long.parseLong(rest.substring(rest.indexOf(':') + 1)), mr, comment);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    private void followUp(String sessionId, Lifecycle.Outcome outcome, String summary, HookLog.Pending p) {
        HookIntake.Vendor vendor = HookIntake.Vendor.valueOf(p.vendor().toUpperCase(Locale.ROOT));
        Principal as = HookIntake.principal(vendor, p.actor(), p.workspace());
        String stored = p.link();
        String link = stored == null || stored.isEmpty() ? "/portal/sessions/" + sessionId : stored;
        ReplyThread thread = ReplyThread.of(p.outcome(), p.subject());
        String what = thread == null
                ? ""
                : thread.fromComment() ? "this request" : thread.onMergeRequest() ? "this merge request" : "this issue";
        String result = summary.isBlank() ? "" : "\n\nSummary: " + abbreviate(summary);
        if (outcome != Lifecycle.Outcome.COMPLETED) {
            hooks.finished(p.id(), "session-" + outcome.name().toLowerCase(Locale.ROOT));
            if (thread != null) {
                reply(
                        p,
                        thread,
                        sessionId,
                        "The Drydock session for " + what + " ended ("
                                + outcome.name().toLowerCase(Locale.ROOT) + ") without a merge request: " + link
                                + result);
            }
            return;
        }
        try {
            DeliveryService.DeliveryView view = delivery.deliver(as, sessionId, URI.create(link));
            hooks.finished(p.id(), "delivered");
            String subject = p.subject() == null ? "" : p.subject();
            if (thread == null && subject.startsWith("mr:") && view.mergeRequest() != null) {
                replyOnMergeRequest(p, sessionId, view, link);
            }
            if (thread != null && view.mergeRequest() != null) {
                reply(
                        p,
                        thread,
                        sessionId,
                        "The droid finished; its merge request: "
                                + view.mergeRequest().url() + result + "\n\nSession: " + link);
            }
        } catch (ProblemException e) {
            boolean nothing = e.problem().status() == 409;
            hooks.finished(p.id(), nothing ? "finished-without-delivery" : "delivery-failed");
            audit.append(AuditEntry.of(as.username(), "hook.delivery-failed", p.workspace() + "/" + p.repo())
                    .inWorkspace(p.workspace())
                    .inSession(sessionId)
                    .with("reason", e.problem().detail()));
            if (thread != null) {
                reply(
                        p,
                        thread,
                        sessionId,
                        (nothing
                                        ? "The droid finished without a merge request ("
                                        : "The droid finished, but its merge request could not be opened (")
                                + e.problem().detail() + ")." + result + "\n\nSession: " + link);
            }
        }
    }

    private void reply(HookLog.Pending p, ReplyThread thread, String sessionId, String text) {
        intake.reply(p.workspace(), p.repo(), thread.number(), thread.onMergeRequest(), sessionId, text);
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() > 4000 ? t.substring(0, 4000) + "…" : t;
    }

    /** Answers the review comment on the merge request: the droid's new commit is on it. */
    private void replyOnMergeRequest(
            HookLog.Pending p, String sessionId, DeliveryService.DeliveryView view, String link) {
        DeliveryService.MergeRequest mr = java.util.Objects.requireNonNull(view.mergeRequest());
        String commit = mr.commit().length() > 12 ? mr.commit().substring(0, 12) : mr.commit();
        String text = "The droid worked on the review comment of @" + p.actor() + " and pushed " + commit
                + " to this merge request.\n\nSession: " + link;
        try {
            delivery.comment(p.workspace(), p.repo(), mr.number(), true, text);
        } catch (dev.drydock.server.delivery.GitServer.GitServerException e) {
            LOG.warnf("session %s: cannot reply on merge request %d: %s", sessionId, mr.number(), e.getMessage());
            audit.append(AuditEntry.of("drydock", "hook.reply-failed", p.workspace() + "/" + p.repo())
                    .inWorkspace(p.workspace())
                    .inSession(sessionId)
                    .with("mergeRequest", mr.number())
                    .with("reason", e.getMessage()));
        }
    }
}
