package dev.drydock.server.droid;

import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.repository.RepositoryRegistry;
import dev.drydock.server.repository.RepositorySync;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;

/**
 * The git mirrors a session of a workspace may start from, and only those: the mirrors of the
 * repositories registered in that workspace, and mirrors an operator placed in that workspace's own
 * folder of {@code drydock.droid.mirror-root} ({@code <mirror-root>/<workspace>/<repo>[.git]}).
 * Nothing is shared between workspaces.
 */
@ApplicationScoped
public class GitMirrors {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern WORKSPACE = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    @Inject
    DroidConfig config;

    @Inject
    RepositoryRegistry repositories;

    @Inject
    RepositorySync sync;

    /**
     * The mirror of a workspace's repository: the one the repository feature keeps for a repository
     * registered in the workspace, else one in the workspace's folder of the mirror root.
     */
    public Optional<Path> mirror(String workspace, String repo) {
        if (!valid(workspace, repo)) {
            return Optional.empty();
        }
        if (repositories.registeredNames(workspace).contains(repo)) {
            Path registered = sync.mirrorPath(workspace, repo);
            return Files.isDirectory(registered) ? Optional.of(registered) : Optional.empty();
        }
        Path own = config.mirrorRoot().resolve(workspace);
        for (Path p : new Path[] {own.resolve(repo + ".git"), own.resolve(repo)}) {
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * Names of the repositories a session in {@code workspace} can start from, sorted: the workspace's
     * registered repositories with a mirror, and those in its folder of the mirror root.
     */
    public List<String> available(String workspace) {
        TreeSet<String> names = new TreeSet<>();
        if (!WORKSPACE.matcher(workspace).matches()) {
            return List.of();
        }
        repositories.registeredNames(workspace).stream()
                .filter(n -> Files.isDirectory(sync.mirrorPath(workspace, n)))
                .forEach(names::add);
        Path own = config.mirrorRoot().resolve(workspace);
        if (Files.isDirectory(own, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> entries = Files.list(own)) {
                entries.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                        .map(p -> p.getFileName().toString().replaceFirst("\\.git$", ""))
                        .filter(n -> NAME.matcher(n).matches() && !n.contains(".."))
                        .forEach(names::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list the git mirrors in " + own, e);
            }
        }
        return List.copyOf(names);
    }

    private static boolean valid(String workspace, String repo) {
        return WORKSPACE.matcher(workspace).matches()
                && !repo.isBlank()
                && NAME.matcher(repo).matches()
                && !repo.contains("..");
    }

    /** The full commit id of a revision in a mirror, or 400. */
    public String resolve(Path mirror, String revision) {
        try (Git git = Git.open(mirror.toFile())) {
            ObjectId id = git.getRepository().resolve(revision + "^{commit}");
            if (id == null) {
                throw ProblemException.badRequest("revision '" + revision + "' does not exist in the repository");
            }
            return id.name();
        } catch (IOException e) {
            throw ProblemException.badRequest("the repository mirror cannot be read: " + e.getMessage());
        }
    }
}
