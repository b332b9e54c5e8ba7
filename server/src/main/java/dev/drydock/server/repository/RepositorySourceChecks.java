package dev.drydock.server.repository;

import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.problem.Problem;
import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.secret.WorkspaceSecrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Where a repository may come from, checked at registration and again before every fetch: a git URL
 * whose host is on the allow-list, a folder under a local root, and credentials only over encrypted
 * channels.
 */
@ApplicationScoped
public class RepositorySourceChecks {
    @Inject
    RepositorySources sources;

    @Inject
    WorkspaceSecrets secrets;

    @Inject
    AuditTrail audit;

    /** A git URL whose host is on the allow-list, over https, ssh or git. */
    String url(String url) {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("url is not a valid URL: " + e.getMessage());
        }
        String scheme = String.valueOf(uri.getScheme());
        if (!Set.of("https", "http", "ssh", "git").contains(scheme) || uri.getHost() == null) {
            throw ProblemException.badRequest(
                    "url must be an https://, ssh:// or git:// URL of an internal git server");
        }
        List<String> allowed = sources.allowedHosts();
        if (!allowed.contains(uri.getHost().toLowerCase(java.util.Locale.ROOT))) {
            audit.append(
                    AuditEntry.of("system", "egress.refused", uri.getHost()).with("purpose", "repository"));
            throw new ProblemException(
                    Problem.of(
                            422,
                            "host-not-allowed",
                            "Host not allowed",
                            "Git host '" + uri.getHost()
                                    + "' is not on the allow-list (drydock.repos.allowed-hosts, or Sources in the portal's admin pages). Drydock contacts no other host."));
        }
        if (uri.getUserInfo() != null) {
            throw ProblemException.badRequest(
                    "do not put credentials in the url; name a secret in credentialsSecret instead");
        }
        return uri.toString();
    }

    /**
     * A repository credential names a secret the workspace itself stores, and is only ever sent over
     * an encrypted, authenticated channel: https:// or ssh:// (http:// only to this machine's loopback
     * interface, where it never crosses a network).
     */
    void credentials(String workspace, String secret, @Nullable String url) {
        if (url == null) {
            throw credentialsProblem(
                    "a repository registered by server path needs no credentials: leave credentialsSecret out");
        }
        if (!WorkspaceSecrets.NAME.matcher(secret).matches() || !secrets.exists(workspace, secret)) {
            throw credentialsProblem("workspace '" + workspace + "' has no secret '" + secret
                    + "': credentialsSecret names a secret of this workspace"
                    + " (store it first with PUT /api/workspaces/" + workspace
                    + "/secrets/{name}), not a server environment variable");
        }
        String scheme;
        String host;
        try {
            URI uri = URI.create(url.strip());
            scheme = String.valueOf(uri.getScheme()).toLowerCase(java.util.Locale.ROOT);
            host = String.valueOf(uri.getHost()).toLowerCase(java.util.Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("url is not a valid URL: " + e.getMessage());
        }
        boolean loopback = Set.of("localhost", "127.0.0.1", "[::1]").contains(host);
        if (!scheme.equals("https") && !scheme.equals("ssh") && !(scheme.equals("http") && loopback)) {
            throw credentialsProblem("credentials are only sent over https:// or ssh://; " + scheme
                    + ":// would send them in the clear");
        }
    }

    private static ProblemException credentialsProblem(String message) {
        return new ProblemException(
                Problem.of(400, "invalid-repository-credentials", "Invalid repository credentials", message)
                        .withErrors(List.of(new Problem.FieldError("credentialsSecret", message))));
    }

    /**
     * A folder under a local root that serves {@code workspace}; symbolic links may not lead out of
     * the root, and the repository's git objects, refs, alternates, gitdir and commondir may not lead
     * out of the folder ({@link GitDirContainment}).
     */
    Path path(String workspace, String path) {
        List<String> roots = sources.localRootsFor(workspace);
        if (roots.isEmpty()) {
            throw new ProblemException(
                    Problem.of(
                            422,
                            "path-not-allowed",
                            "Local paths not allowed",
                            "Registering repositories by server path is switched off for workspace '" + workspace
                                    + "': no local root serves it (drydock.repos.local-roots, or Sources in the portal's admin pages)."));
        }
        Path requested = Path.of(path);
        if (!requested.isAbsolute()) {
            throw ProblemException.badRequest("path must be absolute");
        }
        Path real;
        try {
            real = requested.toRealPath();
        } catch (IOException e) {
            throw ProblemException.badRequest("path '" + path + "' does not exist or is not readable");
        }
        for (String root : roots) {
            try {
                Path realRoot = Path.of(root).toRealPath();
                if (real.startsWith(realRoot) && Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
                    GitDirContainment.outside(real).ifPresent(escape -> {
                        throw new ProblemException(Problem.of(
                                422,
                                "path-not-allowed",
                                "Repository leads out of its folder",
                                "the repository at '" + path + "' is refused: " + escape
                                        + ". Register a self-contained clone (git clone --no-local --no-shared)."));
                    });
                    return real;
                }
            } catch (IOException e) {
                // a configured root that does not exist allows nothing
            }
        }
        throw new ProblemException(
                Problem.of(
                        422,
                        "path-not-allowed",
                        "Path not allowed",
                        "path must be a folder under one of the local roots (drydock.repos.local-roots, or Sources in the portal's admin pages); links out of them are refused"));
    }
}
