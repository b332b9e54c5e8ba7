package dev.drydock.server.delivery;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real git smart-HTTP server for tests: git's own {@code git http-backend} (the CGI program
 * git-scm ships) behind the JDK's HTTP server, serving the bare repositories under a root on
 * loopback. Fetches are anonymous; pushes need HTTP basic auth with the one configured user and
 * password (anything else gets 401), as a git server's deploy credential would.
 *
 * <p>JGit's own smart-HTTP server ({@code org.eclipse.jgit.http.server}) is not served from Maven
 * Central at the JGit version the project uses, so the server side is the {@code git} command line.
 */
public final class GitHttpBackend implements AutoCloseable {
    private final HttpServer server;
    private final Path root;
    private final String user;
    private final String password;
    /** Every push attempt: the user it authenticated as, or "anonymous" when it was refused. */
    public final List<String> pushes = new CopyOnWriteArrayList<>();
    /** Further passwords a push may authenticate with under any user name (tokens a fake git server minted). */
    public volatile java.util.function.Predicate<String> alsoAccepted = password -> false;

    public GitHttpBackend(Path root, String user, String password) throws IOException {
        this.root = root;
        this.user = user;
        this.password = password;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** The clone URL of a repository under the root, through {@code localhost}. */
    public URI url(String repo) {
        return URI.create("http://localhost:" + server.getAddress().getPort() + "/" + repo);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            boolean push = path.endsWith("/git-receive-pack") || "service=git-receive-pack".equals(query);
            String expected = "Basic "
                    + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            String given = exchange.getRequestHeaders().getFirst("Authorization");
            String minted = minted(given);
            boolean authenticated = expected.equals(given) || minted != null;
            if (push && !authenticated) {
                if (exchange.getRequestHeaders().getFirst("Authorization") != null) {
                    pushes.add("refused");
                }
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            if (push && path.endsWith("/git-receive-pack")) {
                pushes.add(minted != null ? "minted:" + minted : user);
            }
            ProcessBuilder pb = new ProcessBuilder("git", "http-backend");
            Map<String, String> env = pb.environment();
            env.put("GIT_PROJECT_ROOT", root.toString());
            env.put("GIT_HTTP_EXPORT_ALL", "1");
            env.put("REQUEST_METHOD", exchange.getRequestMethod());
            env.put("PATH_INFO", path);
            env.put("QUERY_STRING", query == null ? "" : query);
            env.put("REMOTE_ADDR", "127.0.0.1");
            if (authenticated) {
                env.put("REMOTE_USER", user);
            }
            header(exchange, "Content-Type").ifPresent(v -> env.put("CONTENT_TYPE", v));
            header(exchange, "Content-Length").ifPresent(v -> env.put("CONTENT_LENGTH", v));
            header(exchange, "Content-Encoding").ifPresent(v -> env.put("HTTP_CONTENT_ENCODING", v));
            header(exchange, "Git-Protocol").ifPresent(v -> env.put("GIT_PROTOCOL", v));
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process git = pb.start();
            Thread feeder = Thread.ofVirtual().start(() -> {
                try (OutputStream in = git.getOutputStream();
                        InputStream body = exchange.getRequestBody()) {
                    body.transferTo(in);
                } catch (IOException e) {
                    // git stopped reading: its answer says why
                }
            });
            InputStream out = git.getInputStream();
            int status = 200;
            for (String line = readLine(out); !line.isEmpty(); line = readLine(out)) {
                int colon = line.indexOf(':');
                String name = line.substring(0, colon).strip();
                String value = line.substring(colon + 1).strip();
                if (name.equalsIgnoreCase("Status")) {
                    status = Integer.parseInt(value.substring(0, 3));
                } else {
                    exchange.getResponseHeaders().add(name, value);
                }
            }
            exchange.sendResponseHeaders(status, 0);
            try (OutputStream response = exchange.getResponseBody()) {
                out.transferTo(response);
            }
            feeder.join();
            git.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The user name of a basic credential whose password is one of {@link #alsoAccepted} ("bearer" for such a bearer token), or null. */
    private String minted(String authorization) {
        if (authorization != null && authorization.startsWith("Bearer ")) {
            // Bitbucket Data Center's repository tokens: Bearer only
            return alsoAccepted.test(authorization.substring(7)) ? "bearer" : null;
        }
        if (authorization == null || !authorization.startsWith("Basic ")) {
            return null;
        }
        String pair = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        return colon > 0 && alsoAccepted.test(pair.substring(colon + 1)) ? pair.substring(0, colon) : null;
    }

    private static java.util.Optional<String> header(HttpExchange exchange, String name) {
        return java.util.Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
