package dev.drydock.server.mirror;

import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.WorkspaceAccess;
import dev.drydock.server.auth.WorkspaceRole;
import dev.drydock.server.persistence.Columns;
import dev.drydock.server.persistence.NativeSql;
import dev.drydock.server.problem.Problem;
import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.workspace.WorkspaceService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.jspecify.annotations.Nullable;

/**
 * A repository's setup step (issue #18): the command run once when a sandbox is created, before the
 * droid starts, with the workspace's mirror credentials (e.g. {@code npm ci}, {@code ./mvnw -B -q
 * dependency:go-offline}). Registered by a workspace admin (audited), or declared in the repository's
 * {@code .drydock/rules.md} as a line {@code setup: COMMAND}; the registration wins.
 */
@ApplicationScoped
public class RepositorySetups {
    private static final Pattern RULE = Pattern.compile("(?im)^\\s*[-*]?\\s*setup\\s*:\\s*`?([^`\\n]+?)`?\\s*$");
    private static final int MAX_COMMAND = 4096;
    private static final long MAX_RULES = 64 * 1024;

    @Inject
    NativeSql sql;

    @Inject
    AuditTrail audit;

    @Inject
    WorkspaceService workspaces;

    /** A registered setup command. */
    public record SetupView(String repo, String command, String updatedBy, String updatedAt) {}

    /** The setup command of a session's sandbox and where it came from ({@code registration} or {@code rules}). */
    public record Setup(String command, String origin) {}

    /** Registers (or replaces) a repository's setup command; workspace admins. */
    public SetupView put(Principal caller, String workspace, String repo, @Nullable String command) {
        WorkspaceAccess.require(caller, workspace, WorkspaceRole.ADMIN);
        workspaces.find(workspace);
        String c = command == null ? "" : command.strip();
        if (c.isEmpty() || c.length() > MAX_COMMAND || c.indexOf('\0') >= 0) {
            throw new ProblemException(Problem.of(
                            400,
                            "invalid-setup-step",
                            "Invalid setup step",
                            "command is required (1-4096 characters), e.g. npm ci")
                    .withErrors(List.of(new Problem.FieldError("command", "command is required (1-4096 characters)"))));
        }
        sql.update("""
                        insert into repository_setup (workspace, repo, command, updated_by) values (?1, ?2, ?3, ?4)
                        on conflict (workspace, repo) do update set command = excluded.command, updated_by = excluded.updated_by, updated_at = now()""", workspace, repo, c, caller.username());
        audit.append(AuditEntry.of(caller.subject(), "repository-setup.registered", workspace + "/" + repo)
                .inWorkspace(workspace)
                .with("command", c)
                .with("by", caller.username()));
        return registered(workspace, repo).orElseThrow();
    }

    /** The registered setup command; workspace members. */
    public SetupView get(Principal caller, String workspace, String repo) {
        WorkspaceAccess.require(caller, workspace, WorkspaceRole.VIEWER);
        return registered(workspace, repo)
                .orElseThrow(() -> ProblemException.notFound(
                        "Setup step of repository '" + repo + "' in workspace '" + workspace + "'"));
    }

    /** Removes a registration; workspace admins. */
    public void delete(Principal caller, String workspace, String repo) {
        WorkspaceAccess.require(caller, workspace, WorkspaceRole.ADMIN);
        int removed = sql.update("delete from repository_setup where workspace = ?1 and repo = ?2", workspace, repo);
        if (removed == 0) {
            throw ProblemException.notFound("Setup step of repository '" + repo + "' in workspace '" + workspace + "'");
        }
        audit.append(AuditEntry.of(caller.subject(), "repository-setup.removed", workspace + "/" + repo)
                .inWorkspace(workspace)
                .with("by", caller.username()));
    }

    /** The setup of a session's sandbox: the registration, else a {@code setup:} line of {@code .drydock/rules.md} at the commit in the mirror. */
    public Optional<Setup> forSession(String workspace, String repo, Optional<Path> mirror, String commit) {
        Optional<Setup> registered = registered(workspace, repo).map(v -> new Setup(v.command(), "registration"));
        if (registered.isPresent() || mirror.isEmpty()) {
            return registered;
        }
        return rulesFile(mirror.get(), commit).flatMap(text -> {
            Matcher m = RULE.matcher(text);
            return m.find() ? Optional.of(new Setup(m.group(1).strip(), "rules")) : Optional.empty();
        });
    }

    private static Optional<String> rulesFile(Path bare, String commit) {
        try (Repository r = new FileRepositoryBuilder()
                        .setGitDir(bare.toFile())
                        .setMustExist(true)
                        .build();
                RevWalk walk = new RevWalk(r)) {
            ObjectId id = r.resolve(commit.isEmpty() ? "HEAD" : commit + "^{commit}");
            if (id == null) {
                return Optional.empty();
            }
            try (TreeWalk tw = TreeWalk.forPath(
                    r, ".drydock/rules.md", walk.parseCommit(id).getTree())) {
                if (tw == null
                        || !tw.getFileMode(0).equals(org.eclipse.jgit.lib.FileMode.REGULAR_FILE)
                        || r.open(tw.getObjectId(0)).getSize() > MAX_RULES) {
                    return Optional.empty();
                }
                return Optional.of(new String(r.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8));
            }
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private Optional<SetupView> registered(String workspace, String repo) {
        return sql
                .rows(
                        "select repo, command, updated_by, updated_at from repository_setup where workspace = ?1 and repo = ?2",
                        workspace,
                        repo)
                .stream()
                .findFirst()
                .map(r -> new SetupView(
                        (String) r[0],
                        (String) r[1],
                        (String) r[2],
                        Columns.instant(r[3]).toString()));
    }
}
