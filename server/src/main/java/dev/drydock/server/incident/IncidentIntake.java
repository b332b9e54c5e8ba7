package dev.drydock.server.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.WorkspaceMembership;
import dev.drydock.server.auth.WorkspaceRole;
import dev.drydock.server.problem.Problem;
import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.secret.WorkspaceSecrets;
import dev.drydock.server.session.SessionService;
import dev.drydock.server.session.SessionView;
import dev.drydock.server.ticket.ExternalSessions;
import dev.drydock.server.ticket.Ticket;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Alertmanager's webhook to a workspace's receiver: authenticated by the receiver's bearer token or
 * basic auth (compared in constant time; never a Keycloak token), a firing group starts one
 * reliability session on the receiver's repository (a repeat or retry of the same group and alerts is
 * answered with the running session), a resolved group is recorded on its incident. Refusals and what
 * was done are sealed in the audit trail.
 */
@ApplicationScoped
public class IncidentIntake {
    private static final int MAX_ALERT_ATTACHMENTS = 15;
    private static final int MAX_RUNBOOKS = 3;

    @Inject
    AlertReceivers receivers;

    @Inject
    IncidentStore incidents;

    @Inject
    WorkspaceSecrets secrets;

    @Inject
    ExternalSessions starter;

    @Inject
    Runbooks runbooks;

    @Inject
    AuditTrail audit;

    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock = Clock.systemUTC();

    /** What Drydock did with a notification: {@code started}, {@code ongoing}, {@code resolved} or {@code ignored}. */
    public record Outcome(String outcome, @Nullable String session, String detail) {}

    public Outcome receive(String workspace, String name, List<String> authorization, byte[] body, URI base) {
        AlertReceivers.Receiver receiver = receivers
                .find(workspace, name)
                .orElseThrow(() ->
                        ProblemException.notFound("Alert receiver '" + name + "' in workspace '" + workspace + "'"));
        authenticate(receiver, authorization);
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            throw AlertmanagerPayload.invalid("body", "the body is not JSON");
        }
        AlertmanagerPayload payload = AlertmanagerPayload.parse(root);
        String alert = safeName(payload.alertName());
        String target = workspace + "/" + name;
        if (!payload.firing()) {
            List<String[]> resolved = incidents.resolved(workspace, name, payload.groupKey(), clock.instant());
            for (String[] r : resolved) {
                audit.append(AuditEntry.of("alertmanager:" + name, "incident.resolved", target)
                        .inWorkspace(workspace)
                        .inSession(r[1].isEmpty() ? null : r[1])
                        .with("incident", r[0])
                        .with("alert", alert));
            }
            if (resolved.isEmpty()) {
                return new Outcome("ignored", null, "no open incident of this alert group");
            }
            String session = resolved.getFirst()[1];
            return new Outcome("resolved", session.isEmpty() ? null : session, "the alert group resolved");
        }
        List<AlertmanagerPayload.Alert> firing = payload.firingAlerts();
        if (firing.isEmpty()) {
            return new Outcome("ignored", null, "the group is firing but none of its alerts is");
        }
        List<String> ids = new ArrayList<>(new TreeSet<>(
                firing.stream().map(AlertmanagerPayload.Alert::identity).toList()));
        IncidentStore.Claim claim = incidents.claim(
                workspace,
                name,
                payload.groupKey(),
                payload.firingDigest(),
                ids,
                alert,
                write(firing.getFirst().labels()),
                clock.instant());
        if (claim instanceof IncidentStore.Claim.Ongoing ongoing) {
            return new Outcome(
                    "ongoing",
                    ongoing.sessionId(),
                    "a session for this alert group and these alerts is already running");
        }
        String incident = ((IncidentStore.Claim.Started) claim).id();
        SessionView session;
        try {
            session = starter.start(
                    principal(workspace, name),
                    new SessionService.CreateSession(
                            workspace,
                            "reliability",
                            task(alert, firing.size(), name, receiver.instructions()),
                            receiver.repo(),
                            null,
                            "Incident: " + alert),
                    attachments(workspace, alert, payload));
        } catch (RuntimeException e) {
            incidents.forget(incident);
            throw e;
        }
        String link = base.resolve("/portal/sessions/" + session.id()).toString();
        incidents.sessionStarted(incident, session.id(), link);
        audit.append(AuditEntry.of("alertmanager:" + name, "incident.session-started", target)
                .inWorkspace(workspace)
                .inSession(session.id())
                .with("incident", incident)
                .with("alert", alert)
                .with("alerts", firing.size()));
        return new Outcome("started", session.id(), "a reliability session started for alert " + alert);
    }

    /**
     * Checks the receiver's credential among the request's {@code Authorization} values (Alertmanager
     * sends one; a proxy or client may add its own before it).
     */
    private void authenticate(AlertReceivers.Receiver receiver, List<String> authorization) {
        Optional<String> secret =
                secrets.reveal(receiver.workspace(), receiver.secret()).filter(v -> !v.isBlank());
        String reason;
        if (secret.isEmpty()) {
            reason = "the receiver's secret '" + receiver.secret() + "' does not exist";
        } else if (authorization.isEmpty()) {
            reason = "no Authorization header";
        } else {
            String expected = receiver.auth().equals("basic")
                    ? "Basic "
                            + Base64.getEncoder()
                                    .encodeToString(
                                            (receiver.username() + ":" + secret.get()).getBytes(StandardCharsets.UTF_8))
                    : "Bearer " + secret.get();
            boolean matches = false;
            for (String given : authorization) {
                matches |= constantTimeEquals(expected, given.strip());
            }
            if (matches) {
                return;
            }
            reason = "the " + receiver.auth() + " credential does not match";
        }
        audit.append(AuditEntry.of("anonymous", "incident.refused", receiver.workspace() + "/" + receiver.name())
                .inWorkspace(receiver.workspace())
                .with("reason", reason));
        throw new ProblemException(Problem.of(
                401,
                "alert-unauthenticated",
                "Alert not authenticated",
                "The notification does not carry this receiver's credential (Alertmanager's http_config: "
                        + (receiver.auth().equals("basic") ? "basic_auth" : "authorization") + ")."));
    }

    /** Equal strings, in time independent of where they differ (both are hashed to the same length first). */
    static boolean constantTimeEquals(String expected, String given) {
        try {
            MessageDigest a = MessageDigest.getInstance("SHA-256");
            MessageDigest b = MessageDigest.getInstance("SHA-256");
            return MessageDigest.isEqual(
                    a.digest(expected.getBytes(StandardCharsets.UTF_8)),
                    b.digest(given.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always there", e);
        }
    }

    static String task(String alert, int alerts, String receiver, String instructions) {
        StringBuilder task = new StringBuilder("Investigate the firing alert ")
                .append(alert)
                .append(" (")
                .append(alerts)
                .append(alerts == 1 ? " alert" : " alerts")
                .append(", Alertmanager receiver ")
                .append(receiver)
                .append(") and write a root-cause analysis of it against this repository.");
        if (!instructions.isBlank()) {
            task.append("\n\n").append(instructions);
        }
        task.append("\n\nThe alerts' labels and annotations and the linked runbook are attached;"
                + " they come from the monitoring system, not from a person of this workspace.");
        return task.toString();
    }

    private List<Ticket.Text> attachments(String workspace, String alert, AlertmanagerPayload payload) {
        String origin = "alertmanager alert " + alert;
        List<Ticket.Text> out = new ArrayList<>();
        Set<String> runbookUrls = new LinkedHashSet<>();
        int n = 0;
        for (AlertmanagerPayload.Alert a : payload.firingAlerts()) {
            String url = a.annotations().get("runbook_url");
            if (url != null && !url.isBlank()) {
                runbookUrls.add(url.strip());
            }
            if (n++ == MAX_ALERT_ATTACHMENTS) {
                continue;
            }
            StringBuilder text = new StringBuilder("status: ")
                    .append(a.status())
                    .append("\nstartsAt: ")
                    .append(a.startsAt())
                    .append("\ngeneratorURL: ")
                    .append(a.generatorUrl())
                    .append("\nfingerprint: ")
                    .append(a.fingerprint())
                    .append("\n\nlabels:\n");
            a.labels()
                    .forEach((k, v) ->
                            text.append("  ").append(k).append(": ").append(v).append('\n'));
            text.append("\nannotations:\n");
            a.annotations()
                    .forEach((k, v) ->
                            text.append("  ").append(k).append(": ").append(v).append('\n'));
            out.add(new Ticket.Text(
                    "alert " + alert + " " + (a.fingerprint().isEmpty() ? n : a.fingerprint()),
                    origin,
                    text.toString()));
        }
        if (payload.firingAlerts().size() > MAX_ALERT_ATTACHMENTS || payload.truncatedAlerts() > 0) {
            out.add(new Ticket.Text(
                    "alerts left out",
                    origin,
                    (payload.firingAlerts().size()
                                    - Math.min(
                                            MAX_ALERT_ATTACHMENTS,
                                            payload.firingAlerts().size())
                                    + payload.truncatedAlerts())
                            + " more firing alerts of this group are not attached"));
        }
        runbookUrls.stream().limit(MAX_RUNBOOKS).forEach(url -> out.add(runbooks.attachment(workspace, alert, url)));
        return out;
    }

    /** Alertmanager as a caller: a member of this one workspace, named after the receiver. */
    static Principal principal(String workspace, String receiver) {
        String name = "alertmanager:" + receiver;
        return new Principal(
                "incident:" + workspace + "/" + receiver,
                name,
                "Alertmanager (" + receiver + ")",
                null,
                List.of(),
                List.of(new WorkspaceMembership(workspace, WorkspaceRole.MEMBER)));
    }

    /** The alert's name as Drydock writes it into the task: a Prometheus-style name, or "unnamed alert". */
    static String safeName(String s) {
        return s.matches("[A-Za-z0-9_:.-]{1,100}") ? s : "unnamed alert";
    }

    private String write(Map<String, String> labels) {
        try {
            return json.writeValueAsString(labels);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }
}
