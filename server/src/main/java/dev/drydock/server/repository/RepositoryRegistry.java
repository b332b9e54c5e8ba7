package dev.drydock.server.repository;

import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.WorkspaceAccess;
import dev.drydock.server.auth.WorkspaceRole;
import dev.drydock.server.classification.Classification;
import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.workspace.WorkspaceService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The repositories registered in a workspace: registration (allow-listed hosts or local roots only,
 * checked by {@link RepositorySourceChecks}), reads, removal and the classification labels of their
 * paths. Every change starts a sync ({@link RepositorySync}).
 */
@ApplicationScoped
public class RepositoryRegistry {
    @Inject
    SyncThrottle throttle;

    @Inject
    WorkspaceService workspaces;

    @Inject
    AuditTrail audit;

    @Inject
    RepositorySourceChecks checks;

    @Inject
    RepositorySync sync;

    @Inject
    RepositoryIndexing indexing;

    /** Body of a registration. Exactly one of url and path. */
    public record Registration(
            String name,
            @Nullable String url,
            @Nullable String path,
            @Nullable String branch,
            @Nullable String classification,
            @Nullable String credentialsSecret,
            @Nullable String testCommand,
            @Nullable List<PathLabels.Label> pathLabels) {}

    public RepositoryView register(Principal caller, String workspace, Registration r) {
        WorkspaceAccess.require(caller, workspace, WorkspaceRole.ADMIN);
        if (r == null) {
            throw ProblemException.badRequest("a body with name and url or path is required");
        }
        if (r.name() == null
                || !r.name().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
                || r.name().contains("..")) {
            throw ProblemException.badRequest(
                    "name must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if ((r.url() == null) == (r.path() == null)) {
            throw ProblemException.badRequest(
                    "give exactly one of url (a git server on the allow-list) or path (a folder under a configured local root)");
        }
        String branch =
                r.branch() == null || r.branch().isBlank() ? "main" : r.branch().strip();
        if (!branch.matches("[A-Za-z0-9][A-Za-z0-9._/-]{0,199}") || branch.contains("..")) {
            throw ProblemException.badRequest("branch '" + branch + "' is not a valid branch name");
        }
        String workspaceClassification = workspaces.find(workspace).classification;
        String classification = r.classification() == null ? workspaceClassification : r.classification();
        if (Classification.parse(classification).isEmpty()) {
            throw ProblemException.badRequest("classification must be one of public, internal, confidential, secret");
        }
        PathLabels pathLabels =
                PathLabels.validated(Classification.parse(classification).orElseThrow(), r.pathLabels());
        String credentialsSecret =
                r.credentialsSecret() == null || r.credentialsSecret().isBlank()
                        ? null
                        : r.credentialsSecret().strip();
        if (credentialsSecret != null) {
            checks.credentials(workspace, credentialsSecret, r.url());
        }
        String testCommand = r.testCommand() == null || r.testCommand().isBlank()
                ? null
                : r.testCommand().strip();
        if (testCommand != null
                && (testCommand.length() > 500 || testCommand.contains("\n") || testCommand.contains("\0"))) {
            throw ProblemException.badRequest("testCommand must be one line of at most 500 characters");
        }
        String url = r.url() == null ? null : checks.url(r.url());
        String path = r.path() == null ? null : checks.path(workspace, r.path()).toString();
        RepositoryEntity saved = QuarkusTransaction.requiringNew().call(() -> {
            if (RepositoryEntity.find("workspace = ?1 and name = ?2", workspace, r.name())
                            .firstResult()
                    != null) {
                throw ProblemException.conflict(
                        "Repository '" + r.name() + "' already exists in workspace '" + workspace + "'.");
            }
            RepositoryEntity e = new RepositoryEntity();
            e.workspace = workspace;
            e.name = r.name();
            e.sourceUrl = url;
            e.sourcePath = path;
            e.branch = branch;
            e.classification = classification;
            e.credentialsSecret = credentialsSecret;
            e.testCommand = testCommand;
            e.pathLabels = pathLabels.toJson();
            e.status = "registered";
            e.createdAt = Instant.now();
            e.updatedAt = e.createdAt;
            e.persist();
            return e;
        });
        audit.append(AuditEntry.of(caller.subject(), "repository.registered", workspace + "/" + r.name())
                .inWorkspace(workspace)
                .with(
                        "source",
                        RepositoryMirror.describe(
                                url != null
                                        ? url
                                        : java.util.Objects.requireNonNull(path, "a repository has a url or a path")))
                .with("branch", branch)
                .with("classification", classification)
                .with("pathLabels", pathLabels.toJson()));
        sync.removeFiles(workspace, r.name(), () -> {});
        sync.scheduleSync(workspace, r.name());
        return RepositoryView.of(saved);
    }

    public List<RepositoryView> list(Principal caller, String workspace) {
        WorkspaceAccess.require(caller, workspace, WorkspaceRole.VIEWER);
        return QuarkusTransaction.requiringNew()
                .call(() -> RepositoryEntity.<RepositoryEntity>list("workspace = ?1 order by name", workspace).stream()
                        .map(this::view)
                        .toList());
    }

    public RepositoryView get(Principal caller, String workspace, String name) {
        WorkspaceAccess.require(caller, workspace, WorkspaceRole.VIEWER);
        return view(find(workspace, name));
    }

    private RepositoryView view(RepositoryEntity e) {
        return RepositoryView.of(e, indexing.vectors(e.workspace, e.name).orElse(null));
    }

    /** Starts a fetch + incremental re-index (webhook or button); members and automation accounts in the workspace. */
    public RepositoryView requestSync(Principal caller, String workspace, String name) {
        WorkspaceAccess.require(caller, workspace, WorkspaceRole.MEMBER);
        RepositoryEntity e = find(workspace, name);
        throttle.admit(workspace, name);
        audit.append(AuditEntry.of(caller.subject(), "repository.sync-requested", workspace + "/" + name)
                .inWorkspace(workspace));
        sync.scheduleSync(workspace, name);
        return RepositoryView.of(e);
    }

    public void delete(Principal caller, String workspace, String name) {
        WorkspaceAccess.require(caller, workspace, WorkspaceRole.ADMIN);
        find(workspace, name);
        sync.removeFiles(
                workspace,
                name,
                () -> QuarkusTransaction.requiringNew()
                        .run(() -> RepositoryEntity.delete("workspace = ?1 and name = ?2", workspace, name)));
        audit.append(AuditEntry.of(caller.subject(), "repository.deleted", workspace + "/" + name)
                .inWorkspace(workspace));
    }

    /**
     * Replaces the classification labels on a repository's paths (workspace admins). The stored
     * project overview was classified with the old labels, so it is recomputed by a sync started
     * here; sessions started from now on withhold and classify by the new labels.
     */
    public RepositoryView updatePathLabels(
            Principal caller, String workspace, String name, @Nullable List<PathLabels.Label> requested) {
        WorkspaceAccess.require(caller, workspace, WorkspaceRole.ADMIN);
        if (requested == null) {
            throw ProblemException.badRequest(
                    "the body is a JSON list of {\"path\": glob, \"classification\": label}; [] removes every label");
        }
        RepositoryEntity e = find(workspace, name);
        PathLabels labels =
                PathLabels.validated(Classification.parse(e.classification).orElseThrow(), requested);
        QuarkusTransaction.requiringNew()
                .run(() -> RepositoryEntity.update(
                        "pathLabels = ?1, overview = null, overviewClassification = null, updatedAt = ?2 where workspace = ?3 and name = ?4",
                        labels.toJson(),
                        Instant.now(),
                        workspace,
                        name));
        audit.append(AuditEntry.of(caller.subject(), "repository.path-labels-changed", workspace + "/" + name)
                .inWorkspace(workspace)
                .with("before", e.pathLabels)
                .with("after", labels.toJson()));
        sync.scheduleSync(workspace, name);
        return RepositoryView.of(find(workspace, name));
    }

    /** Names of the repositories registered in {@code workspace}, sorted (no access check: callers check theirs). */
    public List<String> registeredNames(String workspace) {
        return QuarkusTransaction.requiringNew()
                .call(() -> RepositoryEntity.<RepositoryEntity>list("workspace = ?1 order by name", workspace).stream()
                        .map(e -> e.name)
                        .toList());
    }

    /** The labels of a registered repository and its paths. */
    public Optional<PathLabels> pathLabels(String workspace, String name) {
        return RepositoryEntity.byName(workspace, name).map(RepositoryView::labels);
    }

    /**
     * Where a registered repository comes from: its git URL (null for a local path), its default
     * branch and the name of its credential (never the credential).
     */
    public record Upstream(
            @Nullable String url,
            @Nullable String path,
            String defaultBranch,
            @Nullable String credentialsSecret) {}

    /** The upstream of a registered repository (delivery pushes there). */
    public Optional<Upstream> upstream(String workspace, String name) {
        return RepositoryEntity.byName(workspace, name)
                .map(e -> new Upstream(e.sourceUrl, e.sourcePath, e.branch, e.credentialsSecret));
    }

    /** A URL of a git server (its web API too) whose host is on the git allow-list, or a 4xx problem. */
    public String checkServerUrl(String url) {
        return checks.url(url);
    }

    private RepositoryEntity find(String workspace, String name) {
        return RepositoryEntity.byName(workspace, name)
                .orElseThrow(
                        () -> ProblemException.notFound("Repository '" + name + "' in workspace '" + workspace + "'"));
    }
}
