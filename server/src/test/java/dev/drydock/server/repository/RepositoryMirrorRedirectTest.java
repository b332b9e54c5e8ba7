package dev.drydock.server.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A git server that redirects must not get the repository's credential sent to the redirect target. */
class RepositoryMirrorRedirectTest {
    private final List<String> authorizationsAtTarget = new CopyOnWriteArrayList<>();
    private HttpServer origin;
    private HttpServer target;

    @BeforeEach
    void startServers() throws Exception {
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth != null) {
                authorizationsAtTarget.add(auth);
            }
            exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
        });
        target.start();
        origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        origin.createContext("/", exchange -> {
            String where = "http://localhost:" + target.getAddress().getPort() + exchange.getRequestURI();
            exchange.getResponseHeaders().add("Location", where);
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        origin.start();
    }

    @AfterEach
    void stopServers() {
        origin.stop(0);
        target.stop(0);
    }

    @Test
    void shouldNotSendCredentialToRedirectTargetWhenGitServerRedirects(@TempDir Path dir) {
        // Given a git server that redirects every request to another host asking for credentials
        String source = "http://127.0.0.1:" + origin.getAddress().getPort() + "/team/app.git";

        // When
        var thrown = assertThatThrownBy(
                () -> RepositoryMirror.sync(dir.resolve("mirror.git"), source, "main", "s3cr3t-token"));

        // Then
        thrown.isNotNull();
        assertThat(authorizationsAtTarget).isEmpty();
        assertThat(Files.exists(dir.resolve("mirror.git"))).isFalse();
    }
}
