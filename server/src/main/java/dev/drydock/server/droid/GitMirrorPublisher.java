package dev.drydock.server.droid;

import dev.drydock.server.agent.TestGatedCompletion.BranchPublisher;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.transport.RefSpec;
import org.jboss.logging.Logger;

/**
 * Publishes a code droid's diff as branch {@code drydock/<session>} with one commit in the server's
 * git mirror: clone the mirror locally, check out the base commit, apply the diff, commit, push the
 * branch back. No network: the mirror is a local path.
 */
public final class GitMirrorPublisher implements BranchPublisher {
    private static final Logger LOG = Logger.getLogger(GitMirrorPublisher.class);
    private final Path mirror;
    private final String baseCommit;
    private final String author;
    private final java.util.function.Function<String, Optional<String>> auditRoot;

    /**
     * @param auditRoot the session's audit root hash (its newest audit record), written as a commit
     *     trailer so that the branch can be tied to the audit chain
     */
    public GitMirrorPublisher(Path mirror, String baseCommit, String author, java.util.function.Function<String, Optional<String>> auditRoot) {
        this.mirror = mirror;
        this.baseCommit = baseCommit;
        this.author = author;
        this.auditRoot = auditRoot;
    }

    @Override
    public Optional<String> publish(String sessionId, String diff, String message) {
        String branch = "drydock/" + sessionId;
        Path work = null;
        try {
            work = Files.createTempDirectory("drydock-publish-");
            try (Git git = Git.cloneRepository().setURI(mirror.toUri().toString()).setDirectory(work.toFile()).setNoCheckout(true).call()) {
                git.checkout().setName(baseCommit).call();
                git.checkout().setCreateBranch(true).setName(branch).call();
                git.apply().setPatch(new ByteArrayInputStream(diff.getBytes(StandardCharsets.UTF_8))).call();
                git.add().addFilepattern(".").call();
                git.add().addFilepattern(".").setUpdate(true).call();
                PersonIdent who = new PersonIdent("Drydock droid", "droid@drydock.invalid");
                String trailer = auditRoot.apply(sessionId).map(h -> "\nDrydock-Audit-Root: " + h + "\n").orElse("");
                git.commit().setMessage(firstLine(message) + "\n\nSession " + sessionId + ", delegated by " + author + ".\n" + trailer).setAuthor(who).setCommitter(who).call();
                git.push().setRemote("origin").setRefSpecs(new RefSpec("refs/heads/" + branch + ":refs/heads/" + branch)).call();
            }
            return Optional.of(branch);
        } catch (GitAPIException | IOException | RuntimeException e) {
            LOG.warnf("session %s: cannot publish branch %s to %s: %s", sessionId, branch, mirror, e.getMessage());
            return Optional.empty();
        } finally {
            if (work != null) {
                delete(work);
            }
        }
    }

    private static String firstLine(String s) {
        String line = s.strip().lines().findFirst().orElse("Droid change");
        return line.length() > 72 ? line.substring(0, 72) : line;
    }

    private static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debugf("cannot delete %s: %s", dir, e.getMessage());
        }
    }
}
