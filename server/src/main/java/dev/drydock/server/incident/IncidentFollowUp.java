package dev.drydock.server.incident;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Lifecycle;
import dev.drydock.server.agent.event.Progress.ArtifactKind;
import dev.drydock.server.agent.event.Progress.ArtifactProduced;
import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.eventlog.EventRecorded;
import dev.drydock.server.session.SessionService;
import dev.drydock.server.ticket.JiraClient;
import dev.drydock.server.ticket.TicketException;
import dev.drydock.server.ticket.TicketService;
import dev.drydock.server.ticket.TicketStore;
import dev.drydock.server.webhook.WebhookEvent;
import dev.drydock.server.webhook.Webhooks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * When a reliability session an alert started finishes with its RCA, the RCA goes where the receiver
 * says: the webhook-out event {@code incident.rca} to the workspace's subscribed receivers, and/or
 * Jira (a comment on the issue named by the receiver's key label on the alert, otherwise a new issue
 * in the receiver's project). Runs after the finish committed, on its own thread, once per incident;
 * what was sent, and failures, are audited and kept on the incident.
 */
@ApplicationScoped
public class IncidentFollowUp {
    private static final Logger LOG = Logger.getLogger(IncidentFollowUp.class);
    private static final Pattern JIRA_KEY = Pattern.compile("[A-Z][A-Z0-9_]{0,19}-[1-9][0-9]{0,9}");
    private static final int MAX_RCA_CHARS = 30_000;

    @Inject
    IncidentStore incidents;

    @Inject
    AlertReceivers receivers;

    @Inject
    SessionService sessions;

    @Inject
    Webhooks webhooks;

    @Inject
    TicketService tickets;

    @Inject
    AuditTrail audit;

    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock = Clock.systemUTC();
    private final ExecutorService worker = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("incident-follow-up-", 0).factory());

    void recorded(@Observes(during = TransactionPhase.AFTER_SUCCESS) EventRecorded recorded) {
        Event e = recorded.event();
        if (e.payload() instanceof Lifecycle.SessionFinished finished) {
            worker.submit(() -> finished(e.sessionId(), finished));
        }
    }

    private void finished(String sessionId, Lifecycle.SessionFinished finished) {
        try {
            Optional<IncidentStore.Claimed> claimed = incidents.claimReport(sessionId, clock.instant());
            if (claimed.isPresent()) {
                report(sessionId, claimed.get(), finished);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "session %s: reporting the incident's RCA failed", sessionId);
        }
    }

    private void report(String sessionId, IncidentStore.Claimed incident, Lifecycle.SessionFinished finished) {
        String target = incident.workspace() + "/" + incident.receiver();
        Optional<ArtifactProduced> rca =
                sessions
                        .artifacts(IncidentIntake.principal(incident.workspace(), incident.receiver()), sessionId)
                        .stream()
                        .filter(a -> a.kind() == ArtifactKind.RCA)
                        .reduce((first, second) -> second);
        if (rca.isEmpty()) {
            incidents.reported(incident.id(), "no RCA: the session ended " + outcome(finished));
            return;
        }
        Optional<AlertReceivers.Receiver> receiver = receivers.find(incident.workspace(), incident.receiver());
        if (receiver.isEmpty()) {
            incidents.reported(incident.id(), "not sent: the receiver was removed");
            return;
        }
        String markdown = rca.get().content();
        String link = incident.link() == null ? "/portal/sessions/" + sessionId : incident.link();
        List<String> sent = new ArrayList<>();
        if (receiver.get().webhook()) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put(
                    "incident",
                    Map.of(
                            "id",
                            incident.id(),
                            "receiver",
                            incident.receiver(),
                            "alert",
                            incident.alert(),
                            "labels",
                            labels(incident)));
            fields.put(
                    "session",
                    Map.of(
                            "id",
                            sessionId,
                            "droid",
                            "reliability",
                            "outcome",
                            outcome(finished),
                            "summary",
                            finished.summary()));
            fields.put(
                    "rca",
                    Map.of("title", rca.get().title(), "mediaType", rca.get().mediaType(), "content", markdown));
            fields.put("portalPath", "/portal/sessions/" + sessionId);
            webhooks.publish(incident.workspace(), WebhookEvent.INCIDENT_RCA, sessionId, fields);
            sent.add("webhook");
        }
        String jira = jira(receiver.get(), incident, markdown, link);
        if (!jira.isEmpty()) {
            sent.add(jira);
        }
        String report =
                sent.isEmpty() ? "written, sent nowhere (no webhook, no Jira)" : "sent: " + String.join("; ", sent);
        incidents.reported(incident.id(), report);
        audit.append(AuditEntry.of("drydock", "incident.rca-reported", target)
                .inWorkspace(incident.workspace())
                .inSession(sessionId)
                .with("incident", incident.id())
                .with("report", report));
    }

    /** Comments on (or opens) the Jira issue the receiver is linked to; what was done, empty when nothing. */
    private String jira(
            AlertReceivers.Receiver receiver, IncidentStore.Claimed incident, String markdown, String link) {
        String keyLabel = receiver.jiraKeyLabel();
        String key = keyLabel == null
                ? ""
                : labels(incident).getOrDefault(keyLabel, "").strip().toUpperCase(Locale.ROOT);
        String project = receiver.jiraProject();
        if (!JIRA_KEY.matcher(key).matches()) {
            key = "";
        }
        if (key.isEmpty() && project == null) {
            return "";
        }
        Optional<TicketStore.Jira> connection = tickets.jiraConnection(incident.workspace());
        Optional<JiraClient> client = tickets.jiraClient(incident.workspace());
        String rca = markdown.length() > MAX_RCA_CHARS ? markdown.substring(0, MAX_RCA_CHARS) + "…" : markdown;
        try {
            if (client.isEmpty() || connection.isEmpty()) {
                throw new TicketException(0, "the workspace has no Jira connection");
            }
            if (!key.isEmpty()) {
                String project0 = key.substring(0, key.indexOf('-'));
                if (!connection.get().allows(project0)) {
                    throw new TicketException(0, "project " + project0 + " is not one of the Jira connection's");
                }
                client.get()
                        .comment(
                                key,
                                "Drydock's root-cause analysis of alert " + incident.alert() + " (session " + link
                                        + "):\n\n" + rca);
                return "jira comment " + key;
            }
            String created = client.get()
                    .create(
                            java.util.Objects.requireNonNull(project, "no key, so a project (checked above)"),
                            "Task",
                            "RCA: " + incident.alert(),
                            "Root-cause analysis by Drydock (session " + link + ") of alert " + incident.alert()
                                    + ":\n\n" + rca);
            return "jira issue " + created;
        } catch (TicketException e) {
            audit.append(
                    AuditEntry.of("drydock", "incident.jira-failed", incident.workspace() + "/" + incident.receiver())
                            .inWorkspace(incident.workspace())
                            .with("incident", incident.id())
                            .with("reason", e.getMessage()));
            return "jira failed: " + e.getMessage();
        }
    }

    private Map<String, String> labels(IncidentStore.Claimed incident) {
        try {
            return json.readValue(incident.labels(), new TypeReference<Map<String, String>>() {});
        } catch (IOException e) {
            return Map.of();
        }
    }

    private static String outcome(Lifecycle.SessionFinished finished) {
        return finished.outcome().name().toLowerCase(Locale.ROOT);
    }
}
