package dev.drydock.server.defaultprofile;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(RealServices.class)
class ApiSecurityTest {

    @Test
    void shouldAnswer401ProblemWhenNoTokenIsSent() {
        // When
        var response = given().when().get("/api/me");

        // Then
        response.then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("status", equalTo(401))
                .body("type", equalTo("urn:drydock:problem:unauthorized"))
                .body("detail", containsString("Bearer"))
                .body(not(containsString("Exception")));
    }

    @Test
    void shouldRefuseForgedTokenWithProblem() {
        // Given a token signed by nobody Drydock trusts
        String header = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        String payload = b64("{\"sub\":\"x\",\"iss\":\""
                + RealServices.get().keycloak().realmUrl() + "\",\"aud\":\"drydock-api\",\"exp\":4102444800}");
        String forged = header + "." + payload + "." + b64("not-a-signature");

        // When
        var response = given().auth().oauth2(forged).when().get("/api/me");

        // Then
        response.then().statusCode(401).contentType("application/problem+json").body("status", equalTo(401));
    }

    @Test
    void shouldRefuseRealTokenMeantForAnotherAudience() {
        // Given a genuine drydock-realm token issued to Keycloak's admin-cli client (no drydock-api audience)
        String token = given().formParam("grant_type", "password")
                .formParam("client_id", "admin-cli")
                .formParam("username", "mike")
                .formParam("password", RealServices.password("mike"))
                .post(RealServices.get().keycloak().realmUrl() + "/protocol/openid-connect/token")
                .then()
                .statusCode(200)
                .extract()
                .path("access_token");

        // When
        var response = given().auth().oauth2(token).when().get("/api/me");

        // Then
        response.then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void shouldRefuseRealTokenFromAnotherIssuer() {
        // Given a genuine token of Keycloak's master realm
        String token = given().formParam("grant_type", "password")
                .formParam("client_id", "admin-cli")
                .formParam("username", "admin")
                .formParam("password", "test-bootstrap-admin")
                .post(RealServices.get().keycloak().baseUrl() + "/realms/master/protocol/openid-connect/token")
                .then()
                .statusCode(200)
                .extract()
                .path("access_token");

        // When
        var response = given().auth().oauth2(token).when().get("/api/me");

        // Then
        response.then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void shouldDescribeCallerWhenTokenIsValid() {
        // Given
        String token = Tokens.of("mike");

        // When
        var response = given().auth().oauth2(token).when().get("/api/me");

        // Then
        response.then()
                .statusCode(200)
                .body("username", equalTo("mike"))
                .body("displayName", equalTo("Mike Member"))
                .body("roles", hasItem("member"))
                .body("roles", not(hasItem("drydock-admin")))
                .body("workspaces[0].slug", equalTo("demo"))
                .body("workspaces[0].role", equalTo("member"));
    }

    @Test
    void shouldAnswer404ProblemForUnknownApiPath() {
        // When
        var response = given().auth().oauth2(Tokens.of("mike")).when().get("/api/does-not-exist");

        // Then
        response.then().statusCode(404).contentType("application/problem+json").body("status", equalTo(404));
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
