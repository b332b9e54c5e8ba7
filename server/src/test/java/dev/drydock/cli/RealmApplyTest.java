package dev.drydock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.cli.realm.RealmApply;
import dev.drydock.server.appliance.RealmTemplate;
import dev.drydock.server.testing.KeycloakAdmin;
import dev.drydock.server.testing.RealServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ./drydock realm apply} against the real Keycloak of the test run. */
// a Quarkus test only to share the run's PostgreSQL and Keycloak: a plain test class would start another pair
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class RealmApplyTest {

    @Test
    void shouldRecreateADeletedClientAndChangeNothingOnTheNextRun() throws Exception {
        // Given a realm whose automation client was deleted by hand
        RealServices.Started services = RealServices.get();
        String base = services.keycloak().baseUrl();
        var desired = new ObjectMapper()
                .readTree(RealmTemplate.shipped(
                                "http://localhost:" + services.httpPort(), "unchanged", "unchanged", "unchanged")
                        .toJson());
        String admin = KeycloakAdmin.token();
        List<String> ids = RestAssured.given()
                .auth()
                .oauth2(admin)
                .get(base + "/admin/realms/drydock/clients?clientId=drydock-automation")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        RestAssured.given()
                .auth()
                .oauth2(admin)
                .delete(base + "/admin/realms/drydock/clients/" + ids.getFirst())
                .then()
                .statusCode(204);
        RealmApply apply = RealmApply.connect(base, "drydock", KeycloakAdmin.USER, KeycloakAdmin.PASSWORD);
        List<String> log = new ArrayList<>();

        // When
        RealmApply.Report first = apply.apply(desired, log::add);
        RealmApply.Report second = apply.apply(desired, log::add);

        // Then
        assertThat(first.created()).containsExactly("client drydock-automation");
        assertThat(second.created()).isEmpty();
        assertThat(second.updated()).isEmpty();
        assertThat(second.unchanged()).isGreaterThanOrEqualTo(4 + 4 + 4);
        RestAssured.given()
                .auth()
                .oauth2(admin)
                .get(base + "/admin/realms/drydock/clients?clientId=drydock-automation")
                .then()
                .statusCode(200)
                .body("serviceAccountsEnabled[0]", org.hamcrest.Matchers.equalTo(true));
    }

    @Test
    void shouldRecreateTheServerClientWithItsSecretAndServiceAccountRoleAndChangeNothingOnTheNextRun()
            throws Exception {
        // Given a realm whose drydock-server client was deleted by hand (with it, its service account and role)
        RealServices.Started services = RealServices.get();
        String base = services.keycloak().baseUrl();
        var desired = new ObjectMapper()
                .readTree(RealmTemplate.shipped(
                                "http://localhost:" + services.httpPort(), "unchanged", "unchanged", "unchanged")
                        .toJson());
        String admin = KeycloakAdmin.token();
        List<String> ids = RestAssured.given()
                .auth()
                .oauth2(admin)
                .get(base + "/admin/realms/drydock/clients?clientId=drydock-server")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        RestAssured.given()
                .auth()
                .oauth2(admin)
                .delete(base + "/admin/realms/drydock/clients/" + ids.getFirst())
                .then()
                .statusCode(204);
        RealmApply apply = RealmApply.connect(base, "drydock", KeycloakAdmin.USER, KeycloakAdmin.PASSWORD);
        Map<String, String> secrets = Map.of("drydock-server", RealServices.SERVER_SECRET);
        List<String> log = new ArrayList<>();

        // When
        RealmApply.Report first = apply.apply(desired, secrets, log::add);
        RealmApply.Report second = apply.apply(desired, secrets, log::add);

        // Then the client is back with the server's secret, and its service account may read users' groups
        assertThat(first.created())
                .containsExactly(
                        "client drydock-server", "role realm-management/view-users of service account drydock-server");
        assertThat(second.created()).isEmpty();
        assertThat(second.updated()).isEmpty();
        String serviceToken = RestAssured.given()
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", "drydock-server")
                .formParam("client_secret", RealServices.SERVER_SECRET)
                .post(services.keycloak().realmUrl() + "/protocol/openid-connect/token")
                .then()
                .statusCode(200)
                .extract()
                .path("access_token");
        RestAssured.given()
                .auth()
                .oauth2(serviceToken)
                .get(base + "/admin/realms/drydock/users/" + KeycloakAdmin.userId("mike") + "/groups")
                .then()
                .statusCode(200)
                .body("path", org.hamcrest.Matchers.hasItem("/workspaces/demo/members"));
        RestAssured.given()
                .formParam("grant_type", "password")
                .formParam("client_id", "drydock-server")
                .formParam("client_secret", RealServices.SERVER_SECRET)
                .formParam("username", "mike")
                .formParam("password", RealServices.password("mike"))
                .post(services.keycloak().realmUrl() + "/protocol/openid-connect/token")
                .then()
                .statusCode(400)
                .body("error", org.hamcrest.Matchers.equalTo("unauthorized_client"));
    }

    @Test
    void shouldReplaceWildcardRedirectAndSetPasswordPolicyWhenRealmPredatesThem() throws Exception {
        // Given a realm as earlier releases imported it: the portal accepts any redirect under its URL, and a weak
        // password policy
        RealServices.Started services = RealServices.get();
        String base = services.keycloak().baseUrl();
        String portal = "http://localhost:" + services.httpPort();
        var desired = new ObjectMapper()
                .readTree(RealmTemplate.shipped(portal, "unchanged", "unchanged", "unchanged")
                        .toJson());
        String admin = KeycloakAdmin.token();
        Map<String, Object> client = RestAssured.given()
                .auth()
                .oauth2(admin)
                .get(base + "/admin/realms/drydock/clients?clientId=drydock-portal")
                .then()
                .statusCode(200)
                .extract()
                .path("[0]");
        client.put("redirectUris", List.of(portal + "/*"));
        RestAssured.given()
                .auth()
                .oauth2(admin)
                .contentType("application/json")
                .body(client)
                .put(base + "/admin/realms/drydock/clients/" + client.get("id"))
                .then()
                .statusCode(204);
        RestAssured.given()
                .auth()
                .oauth2(admin)
                .contentType("application/json")
                .body(Map.of("passwordPolicy", "length(8)"))
                .put(base + "/admin/realms/drydock")
                .then()
                .statusCode(204);
        RealmApply apply = RealmApply.connect(base, "drydock", KeycloakAdmin.USER, KeycloakAdmin.PASSWORD);

        // When
        RealmApply.Report report = apply.apply(desired, new ArrayList<String>()::add);

        // Then
        assertThat(report.updated()).contains("client drydock-portal", "password policy");
        RestAssured.given()
                .auth()
                .oauth2(admin)
                .get(base + "/admin/realms/drydock/clients?clientId=drydock-portal")
                .then()
                .statusCode(200)
                .body("[0].redirectUris", org.hamcrest.Matchers.contains(portal + "/portal/callback"));
        RestAssured.given()
                .auth()
                .oauth2(admin)
                .get(base + "/admin/realms/drydock")
                .then()
                .statusCode(200)
                .body(
                        "passwordPolicy",
                        org.hamcrest.Matchers.equalTo(
                                desired.path("passwordPolicy").asText()));
    }

    @Test
    void shouldRefuseWrongAdministratorCredentialsWithOneClearLine() {
        // When / Then
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> RealmApply.connect(RealServices.get().keycloak().baseUrl(), "drydock", "admin", "wrong"))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("refused the administrator credentials");
    }
}
