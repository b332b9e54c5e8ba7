package dev.drydock.server.testing;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real access tokens from the test Keycloak (password grant on the test-only client), cached per user
 * until a minute before they expire, so that a long test run never sends an expired one.
 */
public final class Tokens {
    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();
    private static final Pattern EXP = Pattern.compile("\"exp\"\\s*:\\s*(\\d+)");

    private Tokens() {}

    /** A bearer token for one of {@link RealServices#USERS}. */
    public static String of(String username) {
        return CACHE.compute(
                username, (user, cached) -> cached != null && secondsLeft(cached) > 60 ? cached : fetch(user));
    }

    private static long secondsLeft(String token) {
        String[] parts = token.split("\\.");
        Matcher m = EXP.matcher(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        return m.find() ? Long.parseLong(m.group(1)) - Instant.now().getEpochSecond() : 0;
    }

    private static String fetch(String username) {
        return fresh(username, RealServices.TEST_CLIENT);
    }

    /** A new token (not cached) for a user of the test realm, issued to {@code client}. */
    public static String fresh(String username, String client) {
        return given().formParam("grant_type", "password")
                .formParam("client_id", client)
                .formParam("username", username)
                .formParam("password", RealServices.password(username))
                .formParam("scope", "openid")
                .post(RealServices.get().keycloak().realmUrl() + "/protocol/openid-connect/token")
                .then()
                .statusCode(200)
                .extract()
                .path("access_token");
    }
}
