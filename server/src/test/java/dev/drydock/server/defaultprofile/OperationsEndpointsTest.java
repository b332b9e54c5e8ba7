package dev.drydock.server.defaultprofile;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
@QuarkusTestResource(RealServices.class)
class OperationsEndpointsTest {

    @Test
    void shouldBeReadyWhenDatabaseAndKeycloakAnswer() {
        // When
        var response = given().when().get("/q/health/ready");

        // Then
        response.then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("oidc-discovery", "Database connections health check"));
    }

    @Test
    void shouldBeLive() {
        // When
        var response = given().when().get("/q/health/live");

        // Then
        response.then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void shouldExposePrometheusMetricsToDrydockAdmins() {
        // Given an API request, which produces an HTTP server metric (the /q endpoints are not measured)
        given().get("/api/me").then().statusCode(401);

        // When
        var response = given().auth().oauth2(Tokens.of("alice")).when().get("/q/metrics");

        // Then
        response.then().statusCode(200).body(containsString("http_server_requests_seconds_count"));
    }

    @Test
    void shouldRefuseMetricsWhenCallerIsAnonymous() {
        // When
        var response = given().when().get("/q/metrics");

        // Then
        response.then().statusCode(401).body(not(containsString("http_server_requests")));
    }

    @Test
    void shouldRefuseMetricsWhenCallerIsNoDrydockAdmin() {
        // When
        var response = given().auth().oauth2(Tokens.of("wanda")).when().get("/q/metrics");

        // Then
        response.then().statusCode(403).body(not(containsString("http_server_requests")));
    }

    @Test
    void shouldPublishOpenApiWithTheApiToSignedInCallers() {
        // When
        var response = given().auth()
                .oauth2(Tokens.of("mike"))
                .accept("application/json")
                .when()
                .get("/q/openapi");

        // Then
        response.then().statusCode(200).body(containsString("/api/me"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/q/openapi", "/q/openapi?format=json", "/q/swagger-ui/", "/q/dev-ui/", "/q/dev/"})
    void shouldRefuseOperationsDocumentsWhenCallerIsAnonymous(String path) {
        // When
        var response = given().accept("application/json").when().get(path);

        // Then
        response.then().statusCode(401).body(not(containsString("/api/me")));
    }
}
