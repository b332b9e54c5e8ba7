package dev.drydock.server.droid;

import dev.drydock.server.agent.TestGatedCompletion.BranchPublisher;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.transport.RefSpec;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Publishes a code droid's diff as one commit on the session's agent ref {@link #ref} in the server's
 * git mirror: clone the mirror locally, check out the base commit, apply the diff, commit, push the
 * ref back. No network: the mirror is a local path.
 *
 * <p>The agent ref lives outside {@code refs/heads/}, so a sync of the mirror (which fetches
 * {@code +refs/heads/*} and prunes what the upstream deleted) never removes it. When the session
 * continues and finishes again, the new commit holds the whole diff against the base commit and has
 * the previous commit as its parent, so the branch only moves forward and a pushed branch can be
 * updated without a force push.
 *
 * <p>Each commit carries provenance trailers: {@code Drydock-Session}, {@code Drydock-Delegated-By},
 * {@code Drydock-Model} (the droid's model route), {@code Drydock-Test-Command},
 * {@code Drydock-Test-Result} ({@code passed}, or {@code not-run} when no test command was detected)
 * and {@code Drydock-Audit-Root} (the session's newest audit record when the commit was made). With a
 * signer, each commit is signed with the appliance's key in git's SSH signature format.
 */
public final class GitMirrorPublisher implements BranchPublisher {
    private static final Logger LOG = Logger.getLogger(GitMirrorPublisher.class);
    /** The namespace of agent refs in a mirror. */
    public static final String REF_PREFIX = "refs/drydock/sessions/";
    /** The namespace of agent branches on a git server. */
    public static final String BRANCH_PREFIX = "drydock/";
    /** The droid's identity as author and committer; an allowed-signers entry names this address. */
    public static final String EMAIL = "droid@drydock.invalid";

    private final Path mirror;
    private final String baseCommit;
    private final String author;
    private final String model;
    private final Function<String, Optional<String>> auditRoot;
    private final @Nullable SshCommitSigner signer;

    /**
     * @param model the droid's model route, written as a trailer
     * @param auditRoot the session's audit root hash (its newest audit record), written as a commit
     *     trailer so that the branch can be tied to the audit chain
     */
    public GitMirrorPublisher(
            Path mirror, String baseCommit, String author, String model, Function<String, Optional<String>> auditRoot) {
        this(mirror, baseCommit, author, model, auditRoot, null);
    }

    /** @param signer signs each commit with the appliance's key (SSH signature format); null: unsigned */
    public GitMirrorPublisher(
            Path mirror,
            String baseCommit,
            String author,
            String model,
            Function<String, Optional<String>> auditRoot,
            @Nullable SshCommitSigner signer) {
        this.signer = signer;
        this.mirror = mirror;
        this.baseCommit = baseCommit;
        this.author = author;
        this.model = model;
        this.auditRoot = auditRoot;
    }

    /** The agent ref of a session in a mirror. */
    public static String ref(String sessionId) {
        return REF_PREFIX + sessionId;
    }

    /** The branch name a session's work gets on the git server. */
    public static String branch(String sessionId) {
        return BRANCH_PREFIX + sessionId;
    }

    @Override
    public Optional<String> publish(String sessionId, String diff, String message, String testCommand) {
        String branch = branch(sessionId);
        String ref = ref(sessionId);
        Path work = null;
        try {
            work = Files.createTempDirectory("drydock-publish-");
            try (Git git = Git.cloneRepository()
                    .setURI(mirror.toUri().toString())
                    .setDirectory(work.toFile())
                    .setNoCheckout(true)
                    .call()) {
                ObjectId previous = current(mirror, ref);
                if (previous != null) {
                    git.fetch()
                            .setRemote("origin")
                            .setRefSpecs(new RefSpec("+" + ref + ":refs/previous"))
                            .call();
                }
                git.checkout().setName(baseCommit).call();
                git.checkout().setCreateBranch(true).setName(branch).call();
                git.apply()
                        .setPatch(new ByteArrayInputStream(diff.getBytes(StandardCharsets.UTF_8)))
                        .call();
                git.add().addFilepattern(".").call();
                git.add().addFilepattern(".").setUpdate(true).call();
                if (previous != null) {
                    git.reset()
                            .setMode(ResetCommand.ResetType.SOFT)
                            .setRef(previous.name())
                            .call();
                }
                PersonIdent who = new PersonIdent("Drydock droid", EMAIL);
                var commit = git.commit()
                        .setMessage(message(sessionId, message, testCommand))
                        .setAuthor(who)
                        .setCommitter(who);
                if (signer != null) {
                    org.eclipse.jgit.lib.Config ssh = new org.eclipse.jgit.lib.Config();
                    ssh.setString("gpg", null, "format", "ssh");
                    commit.setSign(true)
                            .setSigner(signer)
                            .setGpgConfig(new org.eclipse.jgit.lib.GpgConfig(ssh))
                            .setSigningKey(ApplianceSigningKey.COMMENT);
                } else {
                    commit.setSign(false);
                }
                commit.call();
                git.push()
                        .setRemote("origin")
                        .setRefSpecs(new RefSpec("refs/heads/" + branch + ":" + ref))
                        .call()
                        .forEach(r -> r.getRemoteUpdates().forEach(u -> {
                            if (u.getStatus() != org.eclipse.jgit.transport.RemoteRefUpdate.Status.OK) {
                                throw new IllegalStateException("the mirror refused " + ref + ": " + u.getStatus());
                            }
                        }));
            }
            return Optional.of(branch);
        } catch (GitAPIException | IOException | RuntimeException e) {
            LOG.warnf("session %s: cannot publish %s to %s: %s", sessionId, ref, mirror, e.getMessage());
            return Optional.empty();
        } finally {
            if (work != null) {
                delete(work);
            }
        }
    }

    /** The commit a ref of a mirror points to, or null. */
    static @Nullable ObjectId current(Path mirror, String ref) throws IOException {
        try (Git m = Git.open(mirror.toFile())) {
            return m.getRepository().resolve(ref);
        }
    }

    private String message(String sessionId, String summary, String testCommand) {
        StringBuilder m = new StringBuilder(firstLine(summary)).append("\n\n");
        String body = summary.strip()
                .lines()
                .skip(1)
                .reduce("", (a, b) -> a + b + "\n")
                .strip();
        if (!body.isEmpty()) {
            m.append(body).append("\n\n");
        }
        m.append("Session ")
                .append(sessionId)
                .append(", delegated by ")
                .append(author)
                .append(".\n\n");
        m.append("Drydock-Session: ").append(sessionId).append('\n');
        m.append("Drydock-Delegated-By: ").append(oneLine(author)).append('\n');
        m.append("Drydock-Model: ").append(oneLine(model)).append('\n');
        if (!testCommand.isBlank()) {
            m.append("Drydock-Test-Command: ").append(oneLine(testCommand)).append('\n');
        }
        m.append("Drydock-Test-Result: ")
                .append(testCommand.isBlank() ? "not-run" : "passed")
                .append('\n');
        auditRoot
                .apply(sessionId)
                .ifPresent(h -> m.append("Drydock-Audit-Root: ").append(h).append('\n'));
        return m.toString();
    }

    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n]+", " ").strip();
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
