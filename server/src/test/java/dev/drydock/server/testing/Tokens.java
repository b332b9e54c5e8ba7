package dev.drydock.server.testing;

import static io.restassured.RestAssured.given;

import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

/** Real access tokens from the test Keycloak (password grant on the test-only client), cached per user. */
public final class Tokens {
    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private Tokens() {}

    /** A bearer token for one of {@link RealServices#USERS}. */
    public static String of(String username) {
        return CACHE.computeIfAbsent(username, Tokens::fetch);
    }

    private static String fetch(String username) {
        return fresh(username, RealServices.TEST_CLIENT);
    }

    /** A new token (not cached) for a user of the test realm, issued to {@code client}. */
    public static String fresh(String username, String client) {
        return given()
                .formParam("grant_type", "password")
                .formParam("client_id", client)
                .formParam("username", username)
                .formParam("password", username + "-pass")
                .formParam("scope", "openid")
                .post(RealServices.get().keycloak().realmUrl() + "/protocol/openid-connect/token")
                .then()
                .statusCode(200)
                .extract()
                .path("access_token");
    }
}
