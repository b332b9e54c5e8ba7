package dev.drydock.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.server.egress.EgressGuard;
import dev.drydock.server.testing.KeycloakAdmin;
import dev.drydock.server.testing.MutableClock;
import dev.drydock.server.testing.RealServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading API-key owners' current memberships from the real Keycloak of the test run, and failing closed. */
// a Quarkus test only to share the run's PostgreSQL and Keycloak: a plain test class would start another pair
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class KeycloakMembershipsTest {
    private static final Duration CACHE = Duration.ofSeconds(30);

    @Test
    void shouldReadCurrentRolesAndWorkspacesOfAUser() throws Exception {
        // Given
        KeycloakMemberships memberships = new KeycloakMemberships(
                RealServices.get().keycloak().realmUrl(),
                config(RealServices.SERVER_SECRET),
                guard(),
                Clock.systemUTC());

        // When
        Optional<KeycloakMemberships.Account> mike = memberships.account(KeycloakAdmin.userId("mike"));

        // Then
        assertThat(mike).hasValueSatisfying(a -> {
            assertThat(a.username()).isEqualTo("mike");
            assertThat(a.enabled()).isTrue();
            assertThat(a.roles()).containsExactly(Roles.MEMBER);
            assertThat(a.workspaces()).containsExactly(new WorkspaceMembership("demo", WorkspaceRole.MEMBER));
        });
    }

    @Test
    void shouldAnswerEmptyWhenTheUserDoesNotExist() throws Exception {
        // Given
        KeycloakMemberships memberships = new KeycloakMemberships(
                RealServices.get().keycloak().realmUrl(),
                config(RealServices.SERVER_SECRET),
                guard(),
                Clock.systemUTC());

        // When
        Optional<KeycloakMemberships.Account> nobody = memberships.account("00000000-0000-0000-0000-000000000000");

        // Then
        assertThat(nobody).isEmpty();
    }

    @Test
    void shouldServeTheCacheWhileFreshAndRefuseToAnswerOnceItExpiredAndKeycloakIsUnreachable() throws Exception {
        // Given an answer read from Keycloak, after which Keycloak can no longer be reached
        String realmUrl = RealServices.get().keycloak().realmUrl();
        EgressGuard egress = guard();
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        KeycloakMemberships memberships =
                new KeycloakMemberships(realmUrl, config(RealServices.SERVER_SECRET), egress, clock);
        String wanda = KeycloakAdmin.userId("wanda");
        memberships.account(wanda);
        egress.disallowHost(URI.create(realmUrl).getHost());
        Optional<KeycloakMemberships.Account> cached = memberships.account(wanda);

        // When the cached answer is older than the cache time
        clock.advance(CACHE.plusSeconds(1));

        // Then
        assertThat(cached)
                .hasValueSatisfying(a -> assertThat(a.workspaces())
                        .containsExactly(new WorkspaceMembership("demo", WorkspaceRole.ADMIN)));
        assertThatThrownBy(() -> memberships.account(wanda))
                .isInstanceOf(KeycloakMemberships.UnavailableException.class)
                .hasMessageContaining("Keycloak unreachable");
    }

    @Test
    void shouldRefuseToAnswerWhenNothingListensAtKeycloaksAddress() throws Exception {
        // Given a Keycloak address where nothing listens
        int closed;
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        KeycloakMemberships memberships = new KeycloakMemberships(
                "http://127.0.0.1:" + closed + "/realms/drydock", config("any"), guard(), Clock.systemUTC());

        // When / Then
        assertThatThrownBy(() -> memberships.account("someone"))
                .isInstanceOf(KeycloakMemberships.UnavailableException.class)
                .hasMessageContaining("Keycloak unreachable at http://127.0.0.1:" + closed);
    }

    @Test
    void shouldRefuseToAnswerAndNotRevealTheSecretWhenTheClientSecretIsWrong() throws Exception {
        // Given
        KeycloakMemberships memberships = new KeycloakMemberships(
                RealServices.get().keycloak().realmUrl(), config("wrong-secret-value"), guard(), Clock.systemUTC());

        // When / Then
        assertThatThrownBy(() -> memberships.account(KeycloakAdmin.userId("mike")))
                .isInstanceOf(KeycloakMemberships.UnavailableException.class)
                .hasMessageContaining("refused a token to client drydock-server")
                .message()
                .doesNotContain("wrong-secret-value");
    }

    private static EgressGuard guard() {
        return new EgressGuard(List.of(), r -> {}, Clock.systemUTC());
    }

    private static IdentityConfig config(String secret) {
        return new IdentityConfig() {
            @Override
            public Duration membershipCache() {
                return CACHE;
            }

            @Override
            public String clientId() {
                return "drydock-server";
            }

            @Override
            public Optional<String> clientSecret() {
                return Optional.of(secret);
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
}
