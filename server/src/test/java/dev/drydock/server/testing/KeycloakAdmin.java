package dev.drydock.server.testing;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;

/** Day-2 changes to the test realm through the real Keycloak Admin API, as an administrator would make them. */
public final class KeycloakAdmin {
    /** The bootstrap administrator of the test Keycloak's master realm. */
    public static final String USER = "admin";

    public static final String PASSWORD = "test-bootstrap-admin";

    private KeycloakAdmin() {}

    /** An access token of the master realm's administrator. */
    public static String token() {
        return given().formParam("grant_type", "password")
                .formParam("client_id", "admin-cli")
                .formParam("username", USER)
                .formParam("password", PASSWORD)
                .post(RealServices.get().keycloak().baseUrl() + "/realms/master/protocol/openid-connect/token")
                .then()
                .statusCode(200)
                .extract()
                .path("access_token");
    }

    /** Removes a user of the {@code drydock} realm from a group, e.g. {@code /workspaces/demo/members}. */
    public static void removeFromGroup(String username, String groupPath) {
        String admin = token();
        String group = given().auth()
                .oauth2(admin)
                .get(api() + "/group-by-path" + groupPath)
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        given().auth()
                .oauth2(admin)
                .delete(api() + "/users/" + userId(username) + "/groups/" + group)
                .then()
                .statusCode(204);
    }

    /** Adds a user of the {@code drydock} realm to a group (again). */
    public static void addToGroup(String username, String groupPath) {
        String admin = token();
        String group = given().auth()
                .oauth2(admin)
                .get(api() + "/group-by-path" + groupPath)
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        given().auth()
                .oauth2(admin)
                .put(api() + "/users/" + userId(username) + "/groups/" + group)
                .then()
                .statusCode(204);
    }

    /** Enables or disables a user of the {@code drydock} realm. */
    public static void setEnabled(String username, boolean enabled) {
        given().auth()
                .oauth2(token())
                .contentType("application/json")
                .body(Map.of("enabled", enabled))
                .put(api() + "/users/" + userId(username))
                .then()
                .statusCode(204);
    }

    /** The Keycloak id (the tokens' {@code sub}) of a user of the {@code drydock} realm. */
    public static String userId(String username) {
        List<String> users = given().auth()
                .oauth2(token())
                .queryParam("username", username)
                .queryParam("exact", true)
                .get(api() + "/users")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        return users.getFirst();
    }

    /**
     * Creates a workspace group {@code /workspaces/<slug>} with its {@code admins}, {@code members} and
     * {@code viewers} subgroups, each granting its realm role, as the shipped realm's {@code demo}.
     */
    public static void createWorkspace(String slug) {
        String admin = token();
        String parent = given().auth()
                .oauth2(admin)
                .get(api() + "/group-by-path/workspaces")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body(Map.of("name", slug))
                .post(api() + "/groups/" + parent + "/children")
                .then()
                .statusCode(201);
        String ws = given().auth()
                .oauth2(admin)
                .get(api() + "/group-by-path/workspaces/" + slug)
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        for (String[] sub :
                new String[][] {{"admins", "workspace-admin"}, {"members", "member"}, {"viewers", "viewer"}}) {
            given().auth()
                    .oauth2(admin)
                    .contentType("application/json")
                    .body(Map.of("name", sub[0]))
                    .post(api() + "/groups/" + ws + "/children")
                    .then()
                    .statusCode(201);
            String id = given().auth()
                    .oauth2(admin)
                    .get(api() + "/group-by-path/workspaces/" + slug + "/" + sub[0])
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("id");
            Object role = given().auth()
                    .oauth2(admin)
                    .get(api() + "/roles/" + sub[1])
                    .then()
                    .statusCode(200)
                    .extract()
                    .as(Map.class);
            given().auth()
                    .oauth2(admin)
                    .contentType("application/json")
                    .body(List.of(role))
                    .post(api() + "/groups/" + id + "/role-mappings/realm")
                    .then()
                    .statusCode(204);
        }
    }

    /** Creates a user of the {@code drydock} realm with password {@link RealServices#password} in the given groups. */
    public static void createUser(String username, String... groupPaths) {
        given().auth()
                .oauth2(token())
                .contentType("application/json")
                .body(Map.of(
                        "username",
                        username,
                        "enabled",
                        true,
                        "emailVerified",
                        true,
                        "firstName",
                        username,
                        "lastName",
                        "Test",
                        "email",
                        username + "@example.test",
                        "groups",
                        List.of(groupPaths),
                        "credentials",
                        List.of(Map.of(
                                "type", "password", "value", RealServices.password(username), "temporary", false))))
                .post(api() + "/users")
                .then()
                .statusCode(201);
    }

    /** Sets a user's password through the Admin API; returns Keycloak's HTTP status (204, or 400 when the realm's password policy refuses it). */
    public static int setPassword(String username, String password) {
        return given().auth()
                .oauth2(token())
                .contentType("application/json")
                .body(Map.of("type", "password", "value", password, "temporary", false))
                .put(api() + "/users/" + userId(username) + "/reset-password")
                .then()
                .extract()
                .statusCode();
    }

    private static String api() {
        return RealServices.get().keycloak().baseUrl() + "/admin/realms/drydock";
    }
}
