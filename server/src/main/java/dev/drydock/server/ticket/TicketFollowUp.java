package dev.drydock.server.ticket;

import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Lifecycle;
import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.WorkspaceMembership;
import dev.drydock.server.auth.WorkspaceRole;
import dev.drydock.server.delivery.DeliveryService;
import dev.drydock.server.delivery.GitServer;
import dev.drydock.server.eventlog.EventRecorded;
import dev.drydock.server.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * When a session started from a ticket finishes, its outcome is written back on the ticket as a
 * comment with the session link, and the merge request's when there is one: a completed session on a
 * repository with a git server configured is delivered (pushed, merge request opened) first. Runs
 * after the finish committed, on its own thread, once per session; a failure is audited.
 */
@ApplicationScoped
public class TicketFollowUp {
    private static final Logger LOG = Logger.getLogger(TicketFollowUp.class);

    @Inject
    TicketStore store;

    @Inject
    TicketService tickets;

    @Inject
    DeliveryService delivery;

    @Inject
    AuditTrail audit;

    private final Clock clock = Clock.systemUTC();
    private final ExecutorService worker = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("ticket-follow-up-", 0).factory());

    void recorded(@Observes(during = TransactionPhase.AFTER_SUCCESS) EventRecorded recorded) {
        Event e = recorded.event();
        if (e.payload() instanceof Lifecycle.SessionFinished finished) {
            worker.submit(() -> finished(e.sessionId(), finished));
        }
    }

    private void finished(String sessionId, Lifecycle.SessionFinished finished) {
        try {
            Optional<TicketStore.TicketSession> claimed = store.claimReport(sessionId, clock.instant());
            if (claimed.isPresent()) {
                report(claimed.get(), finished);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "session %s: writing the outcome back on its ticket failed", sessionId);
        }
    }

    private void report(TicketStore.TicketSession t, Lifecycle.SessionFinished finished) {
        String outcome = finished.outcome().name().toLowerCase(Locale.ROOT);
        StringBuilder text = new StringBuilder("Drydock session ")
                .append(outcome)
                .append(": ")
                .append(TicketService.oneLine(finished.summary(), 2_000))
                .append("\n\nSession: ")
                .append(t.link());
        if (finished.outcome() == Lifecycle.Outcome.COMPLETED && !t.repo().isEmpty()) {
            mergeRequest(t).ifPresent(line -> text.append('\n').append(line));
        }
        try {
            if (t.source().equals("jira")) {
                JiraClient jira = tickets.jiraClient(t.workspace())
                        .orElseThrow(() -> new TicketException(0, "the workspace has no Jira connection any more"));
                jira.comment(t.ticket(), text.toString());
            } else {
                try {
                    delivery.comment(t.workspace(), t.repo(), Long.parseLong(t.ticket()), false, text.toString());
                } catch (GitServer.GitServerException e) {
                    throw new TicketException(e.status(), String.valueOf(e.getMessage()));
                }
            }
            store.reported(t.sessionId(), "commented");
            audit.append(AuditEntry.of("drydock", "ticket.commented", t.workspace() + "/" + t.ticket())
                    .inWorkspace(t.workspace())
                    .inSession(t.sessionId())
                    .with("source", t.source())
                    .with("outcome", outcome));
        } catch (TicketException e) {
            store.reported(t.sessionId(), "failed: " + e.getMessage());
            LOG.warnf("cannot comment on %s ticket %s: %s", t.source(), t.ticket(), e.getMessage());
            audit.append(AuditEntry.of("drydock", "ticket.comment-failed", t.workspace() + "/" + t.ticket())
                    .inWorkspace(t.workspace())
                    .inSession(t.sessionId())
                    .with("source", t.source())
                    .with("reason", e.getMessage()));
        }
    }

    /** The merge request line: delivered now when the repository has a git server, else an existing one, else none. */
    private Optional<String> mergeRequest(TicketStore.TicketSession t) {
        Principal as = new Principal(
                "ticket:" + t.createdBy(),
                t.createdBy(),
                t.createdBy(),
                null,
                List.of(),
                List.of(new WorkspaceMembership(t.workspace(), WorkspaceRole.MEMBER)));
        try {
            if (delivery.repositorySettings(t.workspace(), t.repo()).isEmpty()) {
                return Optional.empty();
            }
            DeliveryService.DeliveryView view = delivery.deliver(as, t.sessionId(), URI.create(t.link()));
            return view.mergeRequest() == null
                    ? Optional.empty()
                    : Optional.of("Merge request: " + view.mergeRequest().url());
        } catch (ProblemException e) {
            return Optional.of("No merge request: " + e.problem().detail());
        }
    }
}
