package dev.drydock.server.mirror;

import dev.drydock.sandbox.InvalidSpecException;
import dev.drydock.sandbox.PackageMirror;
import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.WorkspaceAccess;
import dev.drydock.server.auth.WorkspaceRole;
import dev.drydock.server.persistence.Columns;
import dev.drydock.server.persistence.NativeSql;
import dev.drydock.server.problem.Problem;
import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.secret.WorkspaceSecrets;
import dev.drydock.server.workspace.WorkspaceService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Package mirrors as policy (issue #18): a drydock-admin declares the company's repository managers
 * once; a workspace admin chooses which of them the workspace's sandboxes may reach, optionally with
 * the workspace secret its setup steps authenticate with. Every change is audited; credentials are
 * never stored here (only a secret's name).
 */
@ApplicationScoped
public class PackageMirrors {
    @Inject
    NativeSql sql;

    @Inject
    AuditTrail audit;

    @Inject
    WorkspaceService workspaces;

    @Inject
    WorkspaceSecrets secrets;

    /** A declared mirror. */
    public record MirrorView(String name, String kind, String url, String createdBy, String createdAt) {}

    /** A mirror a workspace chose, and the name of the secret its setup steps use (never the value). */
    public record ChoiceView(
            String mirror,
            String kind,
            String url,
            @Nullable String credentialsSecret,
            String chosenBy,
            String chosenAt) {}

    /** What a sandbox of a workspace gets: its mirrors, and the setup step's credentials by variable. */
    public record SandboxMirrors(
            List<PackageMirror> mirrors, Map<String, String> setupSecretEnv, List<String> secretNames) {}

    /** Declares (or replaces) a mirror; drydock-admins only. */
    public MirrorView declare(Principal caller, String name, @Nullable String kind, @Nullable String url) {
        requireAdmin(caller);
        PackageMirror m = parse(name, kind, url);
        boolean replaced = Boolean.TRUE.equals(
                sql.one("""
                        insert into package_mirror (name, kind, url, created_by) values (?1, ?2, ?3, ?4)
                        on conflict (name) do update set kind = excluded.kind, url = excluded.url, created_by = excluded.created_by, created_at = now()
                        returning (xmax <> 0)""", m.name(), m.kind().label(), m.url().toString(), caller.username()));
        audit.append(AuditEntry.of(
                        caller.subject(), replaced ? "package-mirror.replaced" : "package-mirror.declared", m.name())
                .with("kind", m.kind().label())
                .with("url", m.url().toString())
                .with("by", caller.username()));
        return list(caller).stream()
                .filter(v -> v.name().equals(m.name()))
                .findFirst()
                .orElseThrow();
    }

    /** The declared mirrors; every signed-in person may see them (a workspace admin chooses from them). */
    public List<MirrorView> list(Principal caller) {
        return sql.rows("select name, kind, url, created_by, created_at from package_mirror order by name").stream()
                .map(r -> new MirrorView(
                        (String) r[0],
                        (String) r[1],
                        (String) r[2],
                        (String) r[3],
                        Columns.instant(r[4]).toString()))
                .toList();
    }

    /** Removes a declared mirror (and every workspace's choice of it); drydock-admins only. */
    public void remove(Principal caller, String name) {
        requireAdmin(caller);
        int removed = sql.update("delete from package_mirror where name = ?1", name);
        if (removed == 0) {
            throw ProblemException.notFound("Package mirror '" + name + "'");
        }
        audit.append(
                AuditEntry.of(caller.subject(), "package-mirror.removed", name).with("by", caller.username()));
    }

    /** Lets the workspace's sandboxes reach a declared mirror, with the secret setup steps use; workspace admins. */
    public ChoiceView choose(Principal caller, String workspace, String mirror, @Nullable String credentialsSecret) {
        WorkspaceAccess.require(caller, workspace, WorkspaceRole.ADMIN);
        workspaces.find(workspace);
        if (list(caller).stream().noneMatch(m -> m.name().equals(mirror))) {
            throw field(
                    404,
                    "mirror",
                    "no package mirror '" + mirror
                            + "' is declared; a drydock-admin declares mirrors under /api/admin/package-mirrors");
        }
        String secret = credentialsSecret == null || credentialsSecret.isBlank() ? null : credentialsSecret.strip();
        if (secret != null && !secrets.exists(workspace, secret)) {
            throw field(
                    400,
                    "credentialsSecret",
                    "workspace '" + workspace + "' has no secret '" + secret
                            + "': store it first under /api/workspaces/" + workspace + "/secrets");
        }
        sql.update("""
                        insert into workspace_package_mirror (workspace, mirror, credentials_secret, chosen_by) values (?1, ?2, ?3, ?4)
                        on conflict (workspace, mirror) do update set credentials_secret = excluded.credentials_secret, chosen_by = excluded.chosen_by, chosen_at = now()""", workspace, mirror, secret, caller.username());
        audit.append(AuditEntry.of(caller.subject(), "workspace-mirror.chosen", workspace + "/" + mirror)
                .inWorkspace(workspace)
                .with("credentialsSecret", secret)
                .with("by", caller.username()));
        return chosen(workspace).stream()
                .filter(v -> v.mirror().equals(mirror))
                .findFirst()
                .orElseThrow();
    }

    /** The workspace's chosen mirrors; its members may read them. */
    public List<ChoiceView> chosen(Principal caller, String workspace) {
        WorkspaceAccess.require(caller, workspace, WorkspaceRole.VIEWER);
        workspaces.find(workspace);
        return chosen(workspace);
    }

    /** Stops the workspace's sandboxes reaching a mirror; workspace admins. */
    public void unchoose(Principal caller, String workspace, String mirror) {
        WorkspaceAccess.require(caller, workspace, WorkspaceRole.ADMIN);
        int removed = sql.update(
                "delete from workspace_package_mirror where workspace = ?1 and mirror = ?2", workspace, mirror);
        if (removed == 0) {
            throw ProblemException.notFound("Package mirror '" + mirror + "' of workspace '" + workspace + "'");
        }
        audit.append(AuditEntry.of(caller.subject(), "workspace-mirror.removed", workspace + "/" + mirror)
                .inWorkspace(workspace)
                .with("by", caller.username()));
    }

    /**
     * What a new sandbox of the workspace gets (server-internal, no access check: the session was
     * checked): the chosen mirrors and, for the setup step only, each credential under the mirror's
     * {@link PackageMirror#secretVariable()}. A chosen secret that was deleted is left out (the setup
     * then fails against a mirror that wants it, and says so).
     */
    public SandboxMirrors forSandbox(String workspace) {
        List<PackageMirror> mirrors = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (ChoiceView v : chosen(workspace)) {
            PackageMirror m = new PackageMirror(v.mirror(), PackageMirror.Kind.of(v.kind()), URI.create(v.url()));
            mirrors.add(m);
            if (v.credentialsSecret() != null) {
                secrets.reveal(workspace, v.credentialsSecret()).ifPresent(value -> {
                    env.put(m.secretVariable(), value);
                    names.add(v.credentialsSecret());
                });
            }
        }
        return new SandboxMirrors(List.copyOf(mirrors), Map.copyOf(env), List.copyOf(names));
    }

    private List<ChoiceView> chosen(String workspace) {
        return sql.rows("""
                        select w.mirror, m.kind, m.url, w.credentials_secret, w.chosen_by, w.chosen_at
                        from workspace_package_mirror w join package_mirror m on m.name = w.mirror
                        where w.workspace = ?1 order by w.mirror""", workspace).stream()
                .map(r -> new ChoiceView(
                        (String) r[0],
                        (String) r[1],
                        (String) r[2],
                        (String) r[3],
                        (String) r[4],
                        Columns.instant(r[5]).toString()))
                .toList();
    }

    private static PackageMirror parse(String name, @Nullable String kind, @Nullable String url) {
        if (kind == null || kind.isBlank()) {
            throw field(400, "kind", "kind is required: maven, gradle, npm, pypi, go or debian");
        }
        if (url == null || url.isBlank()) {
            throw field(400, "url", "url is required, e.g. http://nexus.corp:8081/repository/maven-public/");
        }
        PackageMirror.Kind k;
        try {
            k = PackageMirror.Kind.of(kind.strip());
        } catch (InvalidSpecException e) {
            throw field(400, "kind", String.valueOf(e.getMessage()));
        }
        URI u;
        try {
            u = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw field(400, "url", "not a URL: " + url);
        }
        try {
            return new PackageMirror(name, k, u);
        } catch (InvalidSpecException e) {
            String message = String.valueOf(e.getMessage());
            throw field(400, message.startsWith("mirror name") ? "name" : "url", message);
        }
    }

    private static void requireAdmin(Principal caller) {
        if (!caller.isDrydockAdmin()) {
            throw new ProblemException(
                    Problem.of(403, "forbidden", "Forbidden", "only a drydock-admin declares package mirrors"));
        }
    }

    private static ProblemException field(int status, String field, String message) {
        return new ProblemException(Problem.of(status, "invalid-package-mirror", "Invalid package mirror", message)
                .withErrors(List.of(new Problem.FieldError(field, message))));
    }
}
