package dev.drydock.server.incident;

import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.WorkspaceAccess;
import dev.drydock.server.auth.WorkspaceRole;
import dev.drydock.server.droid.GitMirrors;
import dev.drydock.server.persistence.Columns;
import dev.drydock.server.persistence.NativeSql;
import dev.drydock.server.problem.Problem;
import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.secret.WorkspaceSecrets;
import dev.drydock.server.workspace.WorkspaceService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A workspace's Alertmanager receivers (table {@code alert_receiver}): how Alertmanager authenticates
 * (a bearer token, or basic auth with a username, the secret a workspace secret), the repository its
 * reliability sessions run on, extra instructions for the droid, and where the RCA goes. Workspace
 * admins register, list and remove them; every change is audited.
 */
@ApplicationScoped
public class AlertReceivers {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern PROJECT = Pattern.compile("[A-Z][A-Z0-9_]{0,19}");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,99}");
    private static final int MAX_INSTRUCTIONS = 4_000;

    @Inject
    NativeSql sql;

    @Inject
    WorkspaceSecrets secrets;

    @Inject
    WorkspaceService workspaces;

    @Inject
    GitMirrors mirrors;

    @Inject
    AuditTrail audit;

    private final Clock clock = Clock.systemUTC();

    /** How Alertmanager authenticates to a receiver. */
    enum Auth {
        BEARER,
        BASIC
    }

    /** A receiver as sent by a workspace admin. */
    public record Request(
            @Nullable String auth,
            @Nullable String username,
            @Nullable String secret,
            @Nullable String repo,
            @Nullable String instructions,
            @Nullable Boolean webhook,
            @Nullable String jiraProject,
            @Nullable String jiraKeyLabel) {}

    /** A receiver as stored and shown (the credential by its secret's name only). */
    public record Receiver(
            String workspace,
            String name,
            String auth,
            @Nullable String username,
            String secret,
            String repo,
            String instructions,
            boolean webhook,
            @Nullable String jiraProject,
            @Nullable String jiraKeyLabel,
            String createdBy,
            Instant createdAt) {}

    public List<Receiver> list(Principal who, String workspace) {
        WorkspaceAccess.require(who, workspace, WorkspaceRole.ADMIN);
        return sql.rows(SELECT + " where workspace = ?1 order by name", workspace).stream()
                .map(AlertReceivers::receiver)
                .toList();
    }

    public Receiver put(Principal who, String workspace, String name, @Nullable Request r) {
        WorkspaceAccess.require(who, workspace, WorkspaceRole.ADMIN);
        workspaces.find(workspace);
        if (!NAME.matcher(name).matches()) {
            throw invalid("name", "a receiver's name is lower-case letters, digits and '-', at most 63 characters");
        }
        if (r == null || r.secret() == null || r.repo() == null) {
            throw invalid(
                    "body",
                    "send {\"auth\": \"bearer\", \"secret\": \"<workspace secret>\", \"repo\": \"<repository>\"} (or \"auth\": \"basic\" with \"username\")");
        }
        Auth auth;
        try {
            auth = Auth.valueOf((r.auth() == null ? "bearer" : r.auth()).strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid("auth", "auth is 'bearer' or 'basic' (Alertmanager's http_config)");
        }
        String username = r.username() == null ? null : r.username().strip();
        if (auth == Auth.BASIC && (username == null || username.isEmpty() || username.contains(":"))) {
            throw invalid("username", "basic auth needs a username (without ':')");
        }
        if (auth == Auth.BEARER) {
            username = null;
        }
        String secret = r.secret().strip();
        if (!secrets.exists(workspace, secret)) {
            throw invalid(
                    "secret",
                    "workspace '" + workspace + "' has no secret '" + secret
                            + "': store the token first with PUT /api/workspaces/" + workspace + "/secrets/" + secret);
        }
        String repo = r.repo().strip();
        if (mirrors.mirror(workspace, repo).isEmpty()) {
            throw invalid("repo", "'" + repo + "' is not a repository of workspace '" + workspace + "'");
        }
        String instructions = r.instructions() == null ? "" : r.instructions().strip();
        if (instructions.length() > MAX_INSTRUCTIONS) {
            throw invalid("instructions", "instructions are at most " + MAX_INSTRUCTIONS + " characters");
        }
        String project = blankToNull(r.jiraProject());
        if (project != null && !PROJECT.matcher(project).matches()) {
            throw invalid("jiraProject", "'" + project + "' is not a Jira project key (e.g. OPS)");
        }
        String keyLabel = blankToNull(r.jiraKeyLabel());
        if (keyLabel != null && !LABEL.matcher(keyLabel).matches()) {
            throw invalid("jiraKeyLabel", "'" + keyLabel + "' is not a Prometheus label name");
        }
        boolean webhook = r.webhook() == null || r.webhook();
        Instant now = clock.instant();
        sql.update(
                "insert into alert_receiver(workspace, name, auth, username, secret_name, repo, instructions, webhook, jira_project, jira_key_label, created_by, created_at) "
                        + "values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) on conflict (workspace, name) do update set "
                        + "auth = excluded.auth, username = excluded.username, secret_name = excluded.secret_name, repo = excluded.repo, "
                        + "instructions = excluded.instructions, webhook = excluded.webhook, jira_project = excluded.jira_project, "
                        + "jira_key_label = excluded.jira_key_label",
                workspace,
                name,
                auth.name().toLowerCase(Locale.ROOT),
                username,
                secret,
                repo,
                instructions,
                webhook,
                project,
                keyLabel,
                who.username(),
                now);
        audit.append(AuditEntry.of(who.subject(), "incident.receiver-saved", workspace + "/" + name)
                .inWorkspace(workspace)
                .with("by", who.username())
                .with("auth", auth.name().toLowerCase(Locale.ROOT))
                .with("secret", secret)
                .with("repo", repo)
                .with("jiraProject", project)
                .with("jiraKeyLabel", keyLabel));
        return find(workspace, name).orElseThrow();
    }

    public void delete(Principal who, String workspace, String name) {
        WorkspaceAccess.require(who, workspace, WorkspaceRole.ADMIN);
        if (sql.update("delete from alert_receiver where workspace = ?1 and name = ?2", workspace, name) == 0) {
            throw ProblemException.notFound("Alert receiver '" + name + "' in workspace '" + workspace + "'");
        }
        audit.append(AuditEntry.of(who.subject(), "incident.receiver-removed", workspace + "/" + name)
                .inWorkspace(workspace)
                .with("by", who.username()));
    }

    /** A receiver, for the server's own use (the webhook); no access check. */
    Optional<Receiver> find(String workspace, String name) {
        return sql.rows(SELECT + " where workspace = ?1 and name = ?2", workspace, name).stream()
                .findFirst()
                .map(AlertReceivers::receiver);
    }

    private static final String SELECT =
            "select workspace, name, auth, username, secret_name, repo, instructions, webhook, jira_project, jira_key_label, created_by, created_at from alert_receiver";

    private static Receiver receiver(Object[] r) {
        return new Receiver(
                (String) r[0],
                (String) r[1],
                (String) r[2],
                Columns.string(r[3]),
                (String) r[4],
                (String) r[5],
                (String) r[6],
                (Boolean) r[7],
                Columns.string(r[8]),
                Columns.string(r[9]),
                (String) r[10],
                Columns.instant(r[11]));
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static ProblemException invalid(String field, String message) {
        return new ProblemException(Problem.of(400, "invalid-alert-receiver", "Invalid alert receiver", message)
                .withErrors(List.of(new Problem.FieldError(field, message))));
    }
}
