package dev.drydock.server.droid;

import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.repository.RepositoryService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;

/** The server's git mirrors of repositories ({@code drydock.droid.mirror-root}/{@code <repo>[.git]}). */
@ApplicationScoped
public class GitMirrors {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    @Inject DroidConfig config;
    @Inject RepositoryService repositories;

    /**
     * The mirror of a workspace's repository: the one the repository feature keeps for the workspace,
     * else one under {@code drydock.droid.mirror-root}.
     */
    public Optional<Path> mirror(String workspace, String repo) {
        if (repo.isBlank() || !NAME.matcher(repo).matches() || repo.contains("..")) {
            return Optional.empty();
        }
        Path registered = repositories.mirrorPath(workspace, repo);
        if (Files.isDirectory(registered)) {
            return Optional.of(registered);
        }
        Path root = config.mirrorRoot();
        for (Path p : new Path[] {root.resolve(repo + ".git"), root.resolve(repo)}) {
            if (Files.isDirectory(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * Names of the repositories a session in {@code workspace} can start from, sorted: the workspace's
     * mirrored repositories and those under {@code drydock.droid.mirror-root}.
     */
    public List<String> available(String workspace) {
        TreeSet<String> names = new TreeSet<>();
        for (Path dir : new Path[] {repositories.mirrorPath(workspace, "x").getParent(), config.mirrorRoot()}) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> entries = Files.list(dir)) {
                entries.filter(Files::isDirectory)
                        .map(p -> p.getFileName().toString().replaceFirst("\\.git$", ""))
                        .filter(n -> NAME.matcher(n).matches() && !n.contains(".."))
                        .forEach(names::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list the git mirrors in " + dir, e);
            }
        }
        return List.copyOf(names);
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
