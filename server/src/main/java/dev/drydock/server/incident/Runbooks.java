package dev.drydock.server.incident;

import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.WorkspaceMembership;
import dev.drydock.server.auth.WorkspaceRole;
import dev.drydock.server.egress.EgressGuard;
import dev.drydock.server.egress.EgressRefusedException;
import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.repository.RepositoryContent;
import dev.drydock.server.repository.RepositoryRegistry;
import dev.drydock.server.ticket.Ticket;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An alert's runbook ({@code runbook_url} annotation) as an attachment: a file of a repository
 * registered in the workspace is read from the server's mirror (at the indexed commit); a page on a
 * host of the egress allow-list is fetched (text only, bounded); anything else is listed by its URL
 * and not fetched.
 */
@ApplicationScoped
class Runbooks {
    static final int MAX_BYTES = 256 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** The file part of a repository's web URL: GitLab, GitHub and Gitea blob/raw views. */
    private static final Pattern FILE_VIEW = Pattern.compile("/(?:-/)?(?:blob|raw|src/branch|raw/branch)/[^/]+/(.+)");

    @Inject
    EgressGuard egress;

    @Inject
    RepositoryRegistry registry;

    @Inject
    RepositoryContent content;

    /** The runbook as an attachment (its text, or where it is and why it was not read). */
    Ticket.Text attachment(String workspace, String alert, String url) {
        String origin = "alertmanager alert " + alert + " runbook";
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            return listed(origin, url, "not a valid URL");
        }
        String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            return listed(origin, url, "not an http(s) URL");
        }
        for (String repo : registry.registeredNames(workspace)) {
            String repoUrl = registry.upstream(workspace, repo)
                    .map(RepositoryRegistry.Upstream::url)
                    .orElse(null);
            Optional<String> path = repoUrl == null ? Optional.empty() : fileOf(repoUrl, url);
            if (path.isPresent()) {
                try {
                    RepositoryContent.IndexedFile file =
                            content.indexedFile(reader(workspace), workspace, repo, path.get());
                    return new Ticket.Text(
                            "runbook " + repo + "/" + file.path(),
                            origin,
                            "Runbook " + url + " (repository " + repo + ", file " + file.path() + " at " + file.commit()
                                    + "):\n\n" + file.text());
                } catch (ProblemException e) {
                    return listed(origin, url, "repository " + repo + " has no such indexed file");
                }
            }
        }
        if (!egress.isAllowed(uri.getHost())) {
            return listed(origin, url, "its host is neither a registered repository nor on the egress allow-list");
        }
        if (loopback(uri.getHost())) {
            return listed(origin, url, "it is on this machine, where Drydock's own services listen");
        }
        try {
            HttpResponse<InputStream> response = egress.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(TIMEOUT)
                            .header("Accept", "text/markdown, text/plain, text/*")
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream(),
                    TIMEOUT,
                    "runbook of alert " + alert);
            byte[] bytes;
            try (InputStream in = response.body()) {
                bytes = in.readNBytes(MAX_BYTES + 1);
            }
            String type =
                    response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
            if (response.statusCode() != 200) {
                return listed(origin, url, "its host answered " + response.statusCode());
            }
            if (!type.startsWith("text/")) {
                return listed(origin, url, "not text (" + (type.isEmpty() ? "no content type" : type) + ")");
            }
            if (bytes.length > MAX_BYTES) {
                return listed(origin, url, "larger than " + MAX_BYTES + " bytes");
            }
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            return new Ticket.Text(
                    "runbook " + uri.getHost() + uri.getRawPath(), origin, "Runbook " + url + ":\n\n" + text);
        } catch (EgressRefusedException e) {
            return listed(origin, url, "its host is not on the egress allow-list");
        } catch (CharacterCodingException e) {
            return listed(origin, url, "not UTF-8 text");
        } catch (IOException e) {
            return listed(origin, url, "it could not be fetched: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return listed(origin, url, "interrupted");
        }
    }

    /** The path of the file a web URL shows when it is under the repository's URL ({@code https://git/team/calc(.git)}). */
    static Optional<String> fileOf(String repoUrl, String url) {
        String base = repoUrl.strip().replaceAll("/+$", "").replaceAll("\\.git$", "");
        String u = url.strip();
        int cut = u.indexOf('#');
        u = cut < 0 ? u : u.substring(0, cut);
        cut = u.indexOf('?');
        u = cut < 0 ? u : u.substring(0, cut);
        if (!u.toLowerCase(Locale.ROOT).startsWith(base.toLowerCase(Locale.ROOT) + "/")) {
            return Optional.empty();
        }
        Matcher m = FILE_VIEW.matcher(u.substring(base.length()));
        if (!m.matches()) {
            return Optional.empty();
        }
        String path = java.net.URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
        if (path.contains("..") || path.startsWith("/")) {
            return Optional.empty();
        }
        return Optional.of(path);
    }

    static boolean loopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+|[0-9a-f:.]+") || !(h.contains(".") || h.contains(":"))) {
            return false;
        }
        try {
            java.net.InetAddress a = java.net.InetAddress.getByName(h); // an IP literal: no lookup happens
            return a.isLoopbackAddress() || a.isAnyLocalAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static Ticket.Text listed(String origin, String url, String why) {
        return new Ticket.Text("runbook link", origin, "Runbook (not read: " + why + "): " + url);
    }

    private static Principal reader(String workspace) {
        return new Principal(
                "incident:runbook",
                "alertmanager",
                "Alertmanager",
                null,
                List.of(),
                List.of(new WorkspaceMembership(workspace, WorkspaceRole.VIEWER)));
    }
}
