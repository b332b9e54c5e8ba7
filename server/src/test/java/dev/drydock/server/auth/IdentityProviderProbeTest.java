package dev.drydock.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.drydock.server.egress.EgressGuard;
import dev.drydock.server.testing.MutableClock;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link IdentityProviderProbe} against a real loopback server and a port nothing listens on. */
class IdentityProviderProbeTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    private final EgressGuard egress = new EgressGuard(List.of(), refusal -> {}, clock);
    private HttpServer keycloak = null;

    @AfterEach
    void stop() {
        if (keycloak != null) {
            keycloak.stop(0);
        }
        egress.close();
    }

    private static IdentityConfig config() {
        return new IdentityConfig() {
            @Override
            public Duration membershipCache() {
                return Duration.ofSeconds(30);
            }

            @Override
            public String clientId() {
                return "drydock-server";
            }

            @Override
            public Optional<String> clientSecret() {
                return Optional.empty();
            }

            @Override
            public int refusalRecordsPerMinute() {
                return 60;
            }

            @Override
            public Duration signInProbeTtl() {
                return Duration.ofSeconds(5);
            }

            @Override
            public Duration signInProbeTimeout() {
                return Duration.ofSeconds(2);
            }
        };
    }

    private int discoveryServer() throws Exception {
        keycloak = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        keycloak.createContext("/realms/drydock/.well-known/openid-configuration", exchange -> {
            byte[] body = "{}".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        keycloak.start();
        return keycloak.getAddress().getPort();
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void shouldBeUnreachableWhenNothingListens() throws Exception {
        // Given a realm URL on a port nothing listens on
        var probe = new IdentityProviderProbe(
                "http://127.0.0.1:" + closedPort() + "/realms/drydock", config(), egress, clock);

        // When the probe asks
        boolean reachable = probe.reachable();

        // Then the identity provider does not answer, and the page can name where it was looked for
        assertThat(reachable).isFalse();
        assertThat(probe.host()).startsWith("127.0.0.1:");
    }

    @Test
    void shouldBeReachableWhenTheDiscoveryDocumentAnswers() throws Exception {
        // Given a realm whose discovery document answers 200
        var probe = new IdentityProviderProbe(
                "http://127.0.0.1:" + discoveryServer() + "/realms/drydock/", config(), egress, clock);

        // When the probe asks
        boolean reachable = probe.reachable();

        // Then the identity provider answers
        assertThat(reachable).isTrue();
    }

    @Test
    void shouldReuseTheLastAnswerWithinTheTtlWhenKeycloakStops() throws Exception {
        // Given a probe that saw the identity provider answer 4 s ago, which has stopped since
        var probe = new IdentityProviderProbe(
                "http://127.0.0.1:" + discoveryServer() + "/realms/drydock", config(), egress, clock);
        assertThat(probe.reachable()).isTrue();
        keycloak.stop(0);
        keycloak = null;
        clock.advance(Duration.ofSeconds(4));

        // When it is asked within the TTL (5 s)
        boolean reachable = probe.reachable();

        // Then the cached answer holds, without a request
        assertThat(reachable).isTrue();
        assertThat(probe.fresh()).isTrue();
    }

    @Test
    void shouldSeeTheStopWhenTheLastAnswerIsOlderThanTheTtl() throws Exception {
        // Given a probe that saw the identity provider answer 6 s ago, which has stopped since
        var probe = new IdentityProviderProbe(
                "http://127.0.0.1:" + discoveryServer() + "/realms/drydock", config(), egress, clock);
        assertThat(probe.reachable()).isTrue();
        keycloak.stop(0);
        keycloak = null;
        clock.advance(Duration.ofSeconds(6));

        // When it is asked after the TTL (5 s)
        boolean reachable = probe.reachable();

        // Then it probes again and sees the stop
        assertThat(reachable).isFalse();
    }
}
