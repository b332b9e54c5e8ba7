package dev.drydock.server.repository;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.UnsupportedCredentialItem;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.jspecify.annotations.Nullable;

/**
 * The server's own bare mirror of a repository. Droid sandboxes are filled from it; nothing else
 * talks to the git server. Pure JGit, no CDI, so it is testable with {@code new}.
 */
final class RepositoryMirror {
    private RepositoryMirror() {}

    /**
     * Clones (first time) or fetches every branch into {@code mirror}; returns the head of {@code branch}.
     * The mirror never follows an HTTP redirect ({@code http.followRedirects=false} in its own
     * config), and the credential is only offered to the host and port of {@code source}: a git server
     * that answers with a redirect gets a failed fetch, its redirect target never gets the token.
     */
    static String sync(Path mirror, String source, String branch, @Nullable String token)
            throws IOException, GitAPIException {
        CredentialsProvider credentials = token == null ? null : new OriginOnlyCredentials(source, token);
        if (!Files.exists(mirror.resolve("HEAD"))) {
            Path staging = mirror.resolveSibling(mirror.getFileName() + ".partial");
            deleteTree(staging);
            Files.createDirectories(staging.getParent());
            try (Git git = Git.init()
                    .setBare(true)
                    .setDirectory(staging.toFile())
                    .setInitialBranch(branch)
                    .call()) {
                hardened(git.getRepository());
                git.fetch()
                        .setRemote(source)
                        .setRefSpecs(new RefSpec("+refs/heads/*:refs/heads/*"))
                        .setCredentialsProvider(credentials)
                        .call();
            }
            Files.move(staging, mirror);
        } else {
            try (Git git = Git.open(mirror.toFile())) {
                hardened(git.getRepository());
                git.fetch()
                        .setRemote(source)
                        .setRefSpecs(new RefSpec("+refs/heads/*:refs/heads/*"))
                        .setRemoveDeletedRefs(true)
                        .setCredentialsProvider(credentials)
                        .call();
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

    /** Redirects are not followed by this mirror, whatever the server's user or system git config says. */
    private static void hardened(Repository repo) throws IOException {
        StoredConfig config = repo.getConfig();
        if (!"false".equals(config.getString("http", null, "followRedirects"))) {
            config.setString("http", null, "followRedirects", "false");
            config.save();
        }
    }

    /** Answers with the token only for the host, port and scheme of the registered source. */
    private static final class OriginOnlyCredentials extends UsernamePasswordCredentialsProvider {
        private final URIish origin;

        OriginOnlyCredentials(String source, String token) {
            super("drydock", token);
            try {
                this.origin = new URIish(source);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("not a git URL: " + describe(source), e);
            }
        }

        @Override
        public boolean get(URIish uri, CredentialItem... items) throws UnsupportedCredentialItem {
            boolean sameOrigin = uri != null
                    && java.util.Objects.equals(uri.getScheme(), origin.getScheme())
                    && origin.getHost() != null
                    && origin.getHost().equalsIgnoreCase(uri.getHost())
                    && uri.getPort() == origin.getPort();
            return sameOrigin && super.get(uri, items);
        }
    }

    /** A source for display and audit: never contains user info (credentials). */
    static String describe(String source) {
        try {
            URI uri = URI.create(source);
            if (uri.getUserInfo() != null) {
                return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null)
                        .toString();
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
