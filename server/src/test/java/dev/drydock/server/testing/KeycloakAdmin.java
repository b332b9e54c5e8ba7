package dev.drydock.server.testing;

import static io.restassured.RestAssured.given;

import java.util.List;

/** Day-2 changes to the test realm through the real Keycloak Admin API, as an administrator would make them. */
public final class KeycloakAdmin {
    /** The bootstrap administrator of the test Keycloak's master realm. */
    public static final String USER = "admin";

    public static final String PASSWORD = "test-bootstrap-admin";

    private KeycloakAdmin() {}

    /** An access token of the master realm's administrator. */
    public static String token() {
        return given().formParam("grant_type", "password").formParam("client_id", "admin-cli")
                .formParam("username", USER).formParam("password", PASSWORD)
                .post(RealServices.get().keycloak().baseUrl() + "/realms/master/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    /** Removes a user of the {@code drydock} realm from a group, e.g. {@code /workspaces/demo/members}. */
    public static void removeFromGroup(String username, String groupPath) {
        String admin = token();
        String group = given().auth().oauth2(admin).get(api() + "/group-by-path" + groupPath).then().statusCode(200).extract().path("id");
        given().auth().oauth2(admin).delete(api() + "/users/" + userId(username) + "/groups/" + group).then().statusCode(204);
    }

    /** Adds a user of the {@code drydock} realm to a group (again). */
    public static void addToGroup(String username, String groupPath) {
        String admin = token();
        String group = given().auth().oauth2(admin).get(api() + "/group-by-path" + groupPath).then().statusCode(200).extract().path("id");
        given().auth().oauth2(admin).put(api() + "/users/" + userId(username) + "/groups/" + group).then().statusCode(204);
    }

    /** Enables or disables a user of the {@code drydock} realm. */
    public static void setEnabled(String username, boolean enabled) {
        given().auth().oauth2(token()).contentType("application/json").body(java.util.Map.of("enabled", enabled))
                .put(api() + "/users/" + userId(username)).then().statusCode(204);
    }

    /** The Keycloak id (the tokens' {@code sub}) of a user of the {@code drydock} realm. */
    public static String userId(String username) {
        List<String> users = given().auth().oauth2(token()).queryParam("username", username).queryParam("exact", true)
                .get(api() + "/users").then().statusCode(200).extract().path("id");
        return users.getFirst();
    }

    private static String api() {
        return RealServices.get().keycloak().baseUrl() + "/admin/realms/drydock";
    }
}
