package dev.drydock.server.appliance;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.server.testing.KeycloakAdmin;
import dev.drydock.server.testing.RealServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15, hole 11: the portal client accepts only its exact callback as a login redirect, and the
 * realm refuses short passwords; the shipped realm says so, and the real Keycloak of the test run
 * (which imported it) does so.
 */
// a Quarkus test only to share the run's PostgreSQL and Keycloak: a plain test class would start another pair
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class RealmSecurityTest {
    private static final String PORTAL = "http://portal.example.test:8443";

    private static JsonNode shipped() throws Exception {
        return new ObjectMapper()
                .readTree(RealmTemplate.shipped(PORTAL, "p", "a", "s").toJson());
    }

    @Test
    void shouldListOnlyExactRedirectUrisWhenRealmIsFilledIn() throws Exception {
        // When
        JsonNode realm = shipped();

        // Then
        List<String> redirects = new ArrayList<>();
        for (JsonNode client : realm.path("clients")) {
            client.path("redirectUris").forEach(u -> redirects.add(u.asText()));
            for (String u : client.path("attributes")
                    .path("post.logout.redirect.uris")
                    .asText("")
                    .split("##")) {
                if (!u.isEmpty()) {
                    redirects.add(u);
                }
            }
            client.path("webOrigins").forEach(o -> assertThat(o.asText()).isNotEqualTo("*"));
        }
        assertThat(redirects).containsExactlyInAnyOrder(PORTAL + "/portal/callback", PORTAL + "/");
        assertThat(redirects).noneMatch(u -> u.contains("*"));
    }

    @Test
    void shouldRequireTwelveCharactersAtLeastWhenRealmIsFilledIn() throws Exception {
        // When
        String policy = shipped().path("passwordPolicy").asText();

        // Then
        Matcher length = Pattern.compile("(?:^| )length\\((\\d+)\\)").matcher(policy);
        assertThat(length.find())
                .as("password policy %s has a minimum length", policy)
                .isTrue();
        assertThat(Integer.parseInt(length.group(1))).isGreaterThanOrEqualTo(12);
        assertThat(policy).contains("notUsername").contains("maxLength(");
    }

    private static Response authorize(String redirectUri) {
        return given().redirects()
                .follow(false)
                .queryParam("client_id", "drydock-portal")
                .queryParam("response_type", "code")
                .queryParam("scope", "openid")
                .queryParam("redirect_uri", redirectUri)
                .queryParam("state", "s")
                .queryParam("nonce", "n")
                .queryParam("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
                .queryParam("code_challenge_method", "S256")
                .when()
                .get(RealServices.get().keycloak().realmUrl() + "/protocol/openid-connect/auth");
    }

    private static String portal() {
        return "http://localhost:" + RealServices.get().httpPort();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://evil.example/portal/callback",
                "{portal}/portal/sessions/steal",
                "{portal}/portal/callback/../admin"
            })
    void shouldRefuseLoginRedirectWhenItIsNotThePortalsCallback(String redirect) {
        // When
        Response r = authorize(redirect.replace("{portal}", portal()));

        // Then
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body().asString()).contains("Invalid parameter: redirect_uri");
    }

    @Test
    void shouldShowLoginFormWhenRedirectIsThePortalsCallback() {
        // When
        Response r = authorize(portal() + "/portal/callback");

        // Then
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body().asString()).contains("kc-login");
    }

    @Test
    void shouldRefuseShortPasswordWhenAnAdministratorSetsOne() {
        // Given
        String user = "policy-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        KeycloakAdmin.createUser(user);

        // When
        int status = KeycloakAdmin.setPassword(user, "Short-1!");

        // Then
        assertThat(status).isEqualTo(400);
    }
}
