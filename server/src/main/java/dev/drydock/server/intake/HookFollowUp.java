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

/**
 * When a session a webhook continued or started finishes, its work goes back where the work came
 * from: the branch is pushed again and the same merge request updated (a review comment), or the
 * merge request is opened and linked on the ticket (an issue). Runs after the finish committed, on
 * its own thread, as the webhook's caller.
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
            worker.submit(() -> finished(e.sessionId(), finished.outcome()));
        }
    }

    private void finished(String sessionId, Lifecycle.Outcome outcome) {
        try {
            for (HookLog.Pending p : hooks.claim(sessionId)) {
                followUp(sessionId, outcome, p);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "session %s: the webhook follow-up failed", sessionId);
        }
    }

    private void followUp(String sessionId, Lifecycle.Outcome outcome, HookLog.Pending p) {
        HookIntake.Vendor vendor = HookIntake.Vendor.valueOf(p.vendor().toUpperCase(Locale.ROOT));
        Principal as = HookIntake.principal(vendor, p.actor(), p.workspace());
        String stored = p.link();
        String link = stored == null || stored.isEmpty() ? "/portal/sessions/" + sessionId : stored;
        String subject = p.subject() == null ? "" : p.subject();
        boolean ticket = p.outcome().equals("started") && subject.startsWith("issue:");
        long issue = ticket ? Long.parseLong(subject.substring("issue:".length())) : 0;
        if (outcome != Lifecycle.Outcome.COMPLETED) {
            hooks.finished(p.id(), "session-" + outcome.name().toLowerCase(Locale.ROOT));
            if (ticket) {
                intake.reply(
                        p.workspace(),
                        p.repo(),
                        issue,
                        sessionId,
                        "The Drydock session for this issue ended ("
                                + outcome.name().toLowerCase(Locale.ROOT) + ") without a merge request: " + link);
            }
            return;
        }
        try {
            DeliveryService.DeliveryView view = delivery.deliver(as, sessionId, URI.create(link));
            hooks.finished(p.id(), "delivered");
            if (subject.startsWith("mr:") && view.mergeRequest() != null) {
                replyOnMergeRequest(p, sessionId, view, link);
            }
            if (ticket && view.mergeRequest() != null) {
                intake.reply(
                        p.workspace(),
                        p.repo(),
                        issue,
                        sessionId,
                        "The droid finished; its merge request: "
                                + view.mergeRequest().url() + "\n\nSession: " + link);
            }
        } catch (ProblemException e) {
            hooks.finished(p.id(), "delivery-failed");
            audit.append(AuditEntry.of(as.username(), "hook.delivery-failed", p.workspace() + "/" + p.repo())
                    .inWorkspace(p.workspace())
                    .inSession(sessionId)
                    .with("reason", e.problem().detail()));
            if (ticket) {
                intake.reply(
                        p.workspace(),
                        p.repo(),
                        issue,
                        sessionId,
                        "The droid finished, but its merge request could not be opened: "
                                + e.problem().detail() + "\n\nSession: " + link);
            }
        }
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
