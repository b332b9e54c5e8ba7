package dev.drydock.server.ticket;

import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.WorkspaceAccess;
import dev.drydock.server.auth.WorkspaceRole;
import dev.drydock.server.delivery.DeliveryCredentials;
import dev.drydock.server.delivery.DeliveryService;
import dev.drydock.server.delivery.DeliveryStore;
import dev.drydock.server.delivery.GitServer;
import dev.drydock.server.egress.EgressGuard;
import dev.drydock.server.problem.Problem;
import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.secret.WorkspaceSecrets;
import dev.drydock.server.session.SessionService;
import dev.drydock.server.session.SessionView;
import dev.drydock.server.workspace.WorkspaceService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Tickets as a source of work: a workspace admin connects the workspace's Jira Data Center (its base
 * URL on the egress allow-list, a personal access token as a workspace secret, optionally the project
 * keys it may use); a member starts a session from a Jira key or URL, or from a GitLab issue of a
 * repository whose delivery settings point at GitLab. The ticket's summary is the task, its
 * description, comments and text attachments are the session's attachments; {@link TicketFollowUp}
 * writes the outcome back.
 */
@ApplicationScoped
public class TicketService {
    private static final Pattern PROJECT = Pattern.compile("[A-Z][A-Z0-9_]{0,19}");
    private static final int MAX_SUMMARY_CHARS = 500;

    @Inject
    TicketStore store;

    @Inject
    WorkspaceSecrets secrets;

    @Inject
    WorkspaceService workspaces;

    @Inject
    EgressGuard egress;

    @Inject
    DeliveryService delivery;

    @Inject
    DeliveryCredentials credentials;

    @Inject
    ExternalSessions starter;

    @Inject
    AuditTrail audit;

    private final Clock clock = Clock.systemUTC();

    /** A Jira connection as sent: {@code baseUrl}, {@code secret} (a workspace secret's name), {@code projects}. */
    public record JiraRequest(
            @Nullable String baseUrl,
            @Nullable String secret,
            @Nullable List<String> projects) {}

    /** A Jira connection as the API shows it (the token by its secret's name only). */
    public record JiraView(
            String workspace,
            String baseUrl,
            String secret,
            List<String> projects,
            String updatedBy,
            Instant updatedAt) {}

    /** Start a session from a ticket: the ticket (key, #iid or URL), the repository, the droid ({@code code} by default). */
    public record StartRequest(
            @Nullable String ticket,
            @Nullable String repo,
            @Nullable String droid) {}

    /** A session started from a ticket: the session, the ticket, and what of it was attached or left out. */
    public record Started(
            SessionView session,
            String source,
            String ticket,
            String ticketUrl,
            List<String> attached,
            List<String> skipped) {}

    public JiraView jira(Principal who, String workspace) {
        WorkspaceAccess.require(who, workspace, WorkspaceRole.ADMIN);
        return store.jira(workspace)
                .map(TicketService::view)
                .orElseThrow(() -> ProblemException.notFound("Jira connection of workspace '" + workspace + "'"));
    }

    public JiraView saveJira(Principal who, String workspace, @Nullable JiraRequest r) {
        WorkspaceAccess.require(who, workspace, WorkspaceRole.ADMIN);
        workspaces.find(workspace);
        if (r == null || r.baseUrl() == null || r.secret() == null) {
            throw invalid(
                    "body",
                    "send {\"baseUrl\": \"https://jira.internal.example\", \"secret\": \"<workspace secret with a personal access token>\", \"projects\": [\"PROJ\"]}");
        }
        String base = baseUrl(r.baseUrl());
        String secret = r.secret().strip();
        if (!secrets.exists(workspace, secret)) {
            throw invalid(
                    "secret",
                    "workspace '" + workspace + "' has no secret '" + secret
                            + "': store the personal access token first with PUT /api/workspaces/" + workspace
                            + "/secrets/" + secret);
        }
        Set<String> projects = new LinkedHashSet<>();
        for (String p : r.projects() == null ? List.<String>of() : r.projects()) {
            String key = p == null ? "" : p.strip().toUpperCase(Locale.ROOT);
            if (!PROJECT.matcher(key).matches()) {
                throw invalid("projects", "'" + p + "' is not a Jira project key (e.g. PROJ)");
            }
            projects.add(key);
        }
        TicketStore.Jira saved =
                new TicketStore.Jira(workspace, base, secret, List.copyOf(projects), who.username(), clock.instant());
        store.saveJira(saved);
        audit.append(AuditEntry.of(who.subject(), "ticket.jira-configured", workspace)
                .inWorkspace(workspace)
                .with("by", who.username())
                .with("baseUrl", base)
                .with("secret", secret)
                .with("projects", String.join(",", projects)));
        return view(saved);
    }

    public void deleteJira(Principal who, String workspace) {
        WorkspaceAccess.require(who, workspace, WorkspaceRole.ADMIN);
        if (!store.deleteJira(workspace)) {
            throw ProblemException.notFound("Jira connection of workspace '" + workspace + "'");
        }
        audit.append(AuditEntry.of(who.subject(), "ticket.jira-removed", workspace)
                .inWorkspace(workspace)
                .with("by", who.username()));
    }

    /** Reads the ticket and starts a session from it; members of the workspace. */
    public Started start(Principal who, String workspace, @Nullable StartRequest r, URI base) {
        WorkspaceAccess.require(who, workspace, WorkspaceRole.MEMBER);
        if (r == null || r.ticket() == null || r.ticket().isBlank()) {
            throw invalid("ticket", "send {\"ticket\": \"PROJ-12\", \"repo\": \"<repository>\"}");
        }
        TicketRef ref = TicketRef.parse(r.ticket());
        String repo = r.repo() == null ? "" : r.repo().strip();
        String droid =
                r.droid() == null || r.droid().isBlank() ? "code" : r.droid().strip();
        Ticket ticket = switch (ref) {
            case TicketRef.JiraIssue jira -> readJira(workspace, jira);
            case TicketRef.GitLabIssue issue -> readGitLab(workspace, repo, issue);
        };
        String summary = oneLine(ticket.summary(), MAX_SUMMARY_CHARS);
        if (summary.isEmpty()) {
            summary = "Ticket " + ticket.key();
        }
        String where = ticket.source().equals("jira")
                ? "Jira issue " + ticket.key()
                : "GitLab issue #" + ticket.key() + " of " + repo;
        String task = summary + "\n\n(Work on " + where + ": " + ticket.url()
                + ". Its description, comments and readable attachments are attached; they were written outside Drydock.)";
        String origin = ticket.source().equals("jira") ? "jira " + ticket.key() : "gitlab issue #" + ticket.key();
        List<Ticket.Text> attachments = new ArrayList<>();
        // the summary is the task, and, as text written outside Drydock, an attachment too
        attachments.add(new Ticket.Text(ticket.key() + " summary", origin, ticket.summary()));
        attachments.addAll(ticket.texts());
        if (!ticket.skipped().isEmpty()) {
            attachments.add(new Ticket.Text(
                    ticket.key() + " attachments not read", origin, String.join("\n", ticket.skipped())));
        }
        String title =
                oneLine((ticket.source().equals("jira") ? ticket.key() : "#" + ticket.key()) + ": " + summary, 200);
        SessionView session = starter.start(
                who,
                new SessionService.CreateSession(workspace, droid, task, repo.isEmpty() ? null : repo, null, title),
                attachments);
        String link = base.resolve("/portal/sessions/" + session.id()).toString();
        store.started(
                new TicketStore.TicketSession(
                        session.id(),
                        workspace,
                        ticket.source(),
                        ticket.key(),
                        session.repo(),
                        ticket.url(),
                        link,
                        who.username()),
                clock.instant());
        audit.append(AuditEntry.of(who.username(), "ticket.session-started", workspace + "/" + ticket.key())
                .inWorkspace(workspace)
                .inSession(session.id())
                .with("source", ticket.source())
                .with("ticket", ticket.key())
                .with("attachments", attachments.size()));
        return new Started(
                session,
                ticket.source(),
                ticket.key(),
                ticket.url(),
                attachments.stream().map(Ticket.Text::name).toList(),
                ticket.skipped());
    }

    /** The workspace's Jira client, for the server's own use (write-backs, incidents); no access check. */
    public Optional<JiraClient> jiraClient(String workspace) {
        return store.jira(workspace)
                .flatMap(j ->
                        secrets.reveal(workspace, j.secret()).map(token -> new JiraClient(egress, j.baseUrl(), token)));
    }

    /** The workspace's Jira connection, for the server's own use; no access check. */
    public Optional<TicketStore.Jira> jiraConnection(String workspace) {
        return store.jira(workspace);
    }

    private Ticket readJira(String workspace, TicketRef.JiraIssue ref) {
        TicketStore.Jira jira = store.jira(workspace)
                .orElseThrow(() -> new ProblemException(Problem.of(
                        409,
                        "jira-not-configured",
                        "No Jira connection",
                        "Workspace '" + workspace
                                + "' has no Jira connection; a workspace admin sets one with PUT /api/workspaces/"
                                + workspace + "/tickets/jira.")));
        if (ref.host() != null
                && !ref.host()
                        .equalsIgnoreCase(
                                String.valueOf(URI.create(jira.baseUrl()).getHost()))) {
            throw new ProblemException(Problem.of(
                    422,
                    "ticket-not-found",
                    "Not this workspace's Jira",
                    "The URL points at " + ref.host() + ", but workspace '" + workspace + "' is connected to "
                            + jira.baseUrl() + "; name the issue by its key (" + ref.key() + ")."));
        }
        if (!jira.allows(ref.project())) {
            throw new ProblemException(Problem.of(
                    422,
                    "ticket-project-not-allowed",
                    "Jira project not allowed",
                    "Project " + ref.project() + " is not one workspace '" + workspace + "' starts sessions from ("
                            + String.join(", ", jira.projects()) + ")."));
        }
        String token = secrets.reveal(workspace, jira.secret())
                .filter(v -> !v.isBlank())
                .orElseThrow(() -> new ProblemException(Problem.of(
                        409,
                        "jira-not-configured",
                        "No Jira token",
                        "The Jira connection names workspace secret '" + jira.secret()
                                + "', which does not exist (any more); a workspace admin stores the token there.")));
        try {
            return new JiraClient(egress, jira.baseUrl(), token).issue(ref.key());
        } catch (TicketException e) {
            throw failure("Jira", "issue " + ref.key(), e);
        }
    }

    private Ticket readGitLab(String workspace, String repo, TicketRef.GitLabIssue ref) {
        if (repo.isEmpty()) {
            throw invalid(
                    "repo", "a GitLab issue is read from the repository's GitLab project: name the repository (repo)");
        }
        DeliveryStore.Settings settings = delivery.repositorySettings(workspace, repo)
                .filter(s -> s.kind() == GitServer.Kind.GITLAB)
                .orElseThrow(() -> new ProblemException(Problem.of(
                        422,
                        "ticket-source-missing",
                        "No GitLab project",
                        "Repository '" + repo + "' of workspace '" + workspace
                                + "' has no GitLab delivery settings, so its issues cannot be read; a workspace admin sets them with PUT /api/workspaces/"
                                + workspace + "/repositories/" + repo + "/delivery.")));
        if (ref.host() != null
                && !ref.host()
                        .equalsIgnoreCase(
                                String.valueOf(URI.create(settings.apiUrl()).getHost()))) {
            throw new ProblemException(Problem.of(
                    422,
                    "ticket-not-found",
                    "Not this repository's GitLab",
                    "The URL points at " + ref.host() + ", but repository '" + repo + "' is on "
                            + URI.create(settings.apiUrl()).getHost() + "."));
        }
        DeliveryCredentials.Credential credential = credentials
                .forRepository(workspace, repo)
                .orElseThrow(() -> new ProblemException(Problem.of(
                        409,
                        "delivery-credential-missing",
                        "No GitLab credential",
                        "Repository '" + repo + "' has no credential for its git server (credentialsSecret).")));
        try {
            return new GitLabIssues(egress, settings.apiUrl(), settings.project(), credential.secret())
                    .issue(ref.iid());
        } catch (TicketException e) {
            throw failure("GitLab", "issue #" + ref.iid() + " of " + settings.project(), e);
        }
    }

    static ProblemException failure(String vendor, String what, TicketException e) {
        String reason = java.util.Objects.requireNonNullElse(e.getMessage(), vendor + " failed");
        if (e.hostNotAllowed()) {
            return new ProblemException(Problem.of(
                    422,
                    "host-not-allowed",
                    "Host not allowed",
                    reason + "; a drydock-admin adds internal hosts there. Drydock contacts no other host."));
        }
        if (e.status() == 404) {
            return new ProblemException(Problem.of(
                    422,
                    "ticket-not-found",
                    "Ticket not found",
                    vendor + " has no " + what + " (or the token may not read it): " + reason));
        }
        return new ProblemException(Problem.of(502, "ticket-server-error", vendor + " failed", reason));
    }

    private String baseUrl(String raw) {
        String text = raw.strip().replaceAll("/+$", "");
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid("baseUrl", "baseUrl is not a valid URL: " + e.getReason());
        }
        String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
        if (!Set.of("https", "http").contains(scheme) || uri.getHost() == null) {
            throw invalid("baseUrl", "baseUrl must be the http(s):// address of your Jira Data Center");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid(
                    "baseUrl",
                    "baseUrl is Jira's address only: no credentials (the token is a workspace secret), query or fragment");
        }
        if (!egress.isAllowed(uri.getHost())) {
            throw new ProblemException(
                    Problem.of(
                            422,
                            "host-not-allowed",
                            "Host not allowed",
                            "Jira host '" + uri.getHost()
                                    + "' is not on the egress allow-list (drydock.egress.allowed-hosts); a drydock-admin adds internal hosts there. Drydock contacts no other host."));
        }
        return text;
    }

    static String oneLine(String s, int max) {
        String line = s.replaceAll("\\s+", " ").strip();
        return line.length() > max ? line.substring(0, max) + "…" : line;
    }

    private static JiraView view(TicketStore.Jira j) {
        return new JiraView(j.workspace(), j.baseUrl(), j.secret(), j.projects(), j.updatedBy(), j.updatedAt());
    }

    private static ProblemException invalid(String field, String message) {
        return new ProblemException(Problem.of(400, "invalid-ticket-request", "Invalid request", message)
                .withErrors(List.of(new Problem.FieldError(field, message))));
    }
}
