package dev.drydock.server.repository;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.jspecify.annotations.Nullable;

/**
 * The server's own bare mirror of a repository. Droid sandboxes are filled from it; nothing else
 * talks to the git server. Pure JGit, no CDI, so it is testable with {@code new}.
 */
final class RepositoryMirror {
    private RepositoryMirror() {}

    /** Clones (first time) or fetches every branch into {@code mirror}; returns the head of {@code branch}. */
    static String sync(Path mirror, String source, String branch, @Nullable String token) throws IOException, GitAPIException {
        CredentialsProvider credentials = token == null ? null : new UsernamePasswordCredentialsProvider("drydock", token);
        if (!Files.exists(mirror.resolve("HEAD"))) {
            Path staging = mirror.resolveSibling(mirror.getFileName() + ".partial");
            deleteTree(staging);
            Files.createDirectories(staging.getParent());
            try (Git ignored = Git.cloneRepository().setURI(source).setDirectory(staging.toFile()).setBare(true)
                    .setCloneAllBranches(true).setCredentialsProvider(credentials).call()) {
                // cloned
            }
            Files.move(staging, mirror);
        } else {
            try (Git git = Git.open(mirror.toFile())) {
                git.fetch().setRemote(source).setRefSpecs(new RefSpec("+refs/heads/*:refs/heads/*"))
                        .setRemoveDeletedRefs(true).setCredentialsProvider(credentials).call();
            }
        }
        try (Repository repo = Git.open(mirror.toFile()).getRepository()) {
            ObjectId head = repo.resolve("refs/heads/" + branch);
            if (head == null) {
                throw new IllegalArgumentException("branch '" + branch + "' does not exist in " + describe(source));
            }
            return head.name();
        }
    }

    /** A source for display and audit: never contains user info (credentials). */
    static String describe(String source) {
        try {
            URI uri = URI.create(source);
            if (uri.getUserInfo() != null) {
                return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
            }
        } catch (Exception e) {
            // not a URI: a path
        }
        return source;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
