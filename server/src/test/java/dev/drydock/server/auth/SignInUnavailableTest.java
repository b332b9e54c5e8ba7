package dev.drydock.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.server.testing.PortalSignIn;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sign-in while the identity provider does not answer, without stopping the shared Keycloak: the
 * {@link IdentityProviderProbe} is pointed at a loopback port nothing listens on (its test seam), so
 * the server believes Keycloak is down while the tokens and sessions issued by the real one stay
 * valid. The real fault (Keycloak stopped) is {@code ./drydock bench keycloak-down}.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class SignInUnavailableTest {
    @TestHTTPResource("/")
    URI base;

    @Inject
    IdentityProviderProbe probe;

    @AfterEach
    void backToTheRealKeycloak() {
        probe.reset();
    }

    private void keycloakDoesNotAnswer() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        probe.probeInstead(
                URI.create("http://127.0.0.1:" + closed + "/realms/drydock/.well-known/openid-configuration"));
    }

    private HttpResponse<String> get(HttpClient client, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldAnswerTheSignInUnavailablePageWhenKeycloakDoesNotAnswer() throws Exception {
        // Given a Keycloak that does not answer and a browser without a portal session
        keycloakDoesNotAnswer();
        HttpClient browser = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();

        // When the browser opens a portal page
        HttpResponse<String> page = get(browser, "/portal/me");

        // Then it reads the portal's 503 page with the identity provider's host and a retry link, not a redirect
        assertThat(page.statusCode()).isEqualTo(503);
        assertThat(page.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.headers().firstValue("Location")).isEmpty();
        assertThat(page.headers().firstValue("Retry-After")).hasValue("60");
        assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(page.body())
                .contains("Sign-in is unavailable: the identity provider at 127.0.0.1:")
                .contains("People already signed in, and API keys and tokens already issued, keep working")
                .contains("href=\"/signin\"")
                .contains("href=\"/assets/portal.css\"")
                .doesNotContain("Exception");
    }

    @Test
    void shouldKeepSignedInPeopleAndTokensWorkingWhenKeycloakDoesNotAnswer() throws Exception {
        // Given mike's portal session and his access token, then a Keycloak that does not answer
        HttpClient portal = PortalSignIn.client(base, "mike");
        String token = Tokens.of("mike");
        keycloakDoesNotAnswer();
        HttpClient api = HttpClient.newHttpClient();

        // When he opens a portal page and calls the API
        HttpResponse<String> page = get(portal, "/portal/me");
        HttpResponse<String> me = get(api, "/api/me", "Authorization", "Bearer " + token);

        // Then both answer as before: the session and the token are verified without Keycloak
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("Sign-in is unavailable");
        assertThat(me.statusCode()).isEqualTo(200);
    }

    @Test
    void shouldSendToTheSignInWhenKeycloakAnswersAgain() throws Exception {
        // Given a Keycloak that did not answer, and answers again
        keycloakDoesNotAnswer();
        HttpClient browser = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        assertThat(get(browser, "/portal").statusCode()).isEqualTo(503);
        probe.reset();

        // When the person follows the page's retry link, and opens the portal
        HttpResponse<String> retry = get(browser, "/signin");
        HttpResponse<String> portal = get(browser, "/portal");

        // Then the retry leads to the portal, and the portal to Keycloak's sign-in
        assertThat(retry.statusCode()).isEqualTo(303);
        assertThat(retry.headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).endsWith("/portal"));
        assertThat(portal.statusCode()).isEqualTo(302);
        assertThat(portal.headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).contains("/protocol/openid-connect/auth"));
    }

    @Test
    void shouldSendASignOutToTheSignInPageWhenKeycloakDoesNotAnswer() throws Exception {
        // Given mike's portal session, and a Keycloak that the probe found not answering
        HttpClient portal = PortalSignIn.client(base, "mike");
        keycloakDoesNotAnswer();
        HttpClient browser = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        assertThat(get(browser, "/portal").statusCode()).isEqualTo(503);

        // When he signs out
        HttpResponse<String> out = get(portal, "/portal/logout");

        // Then he is sent to the sign-in page rather than to Keycloak's sign-out, which does not answer
        assertThat(out.statusCode()).isBetween(300, 399);
        assertThat(out.headers().firstValue("Location")).hasValue("/signin");
    }
}
