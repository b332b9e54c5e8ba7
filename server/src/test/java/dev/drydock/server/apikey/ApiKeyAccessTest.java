package dev.drydock.server.apikey;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import dev.drydock.server.testing.KeycloakAdmin;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * API keys as personal access tokens on {@code /api}: a key acts as its owner with the owner's
 * workspace roles and never more; expired, revoked and unknown keys get a 401 problem that says why;
 * a key's value is only in the answer that created it; creations and revocations are on record.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class ApiKeyAccessTest {
    @Inject
    DataSource ds;

    @Test
    void shouldReadOwnWorkspaceWhenMemberCallsApiWithKey() {
        // Given a key of mike, member of demo
        String key = create("mike", 90).path("key");

        // When he reads demo with it
        Response r = withKey(key).get("/api/workspaces/demo");

        // Then he sees it, as himself
        r.then().statusCode(200).body("slug", equalTo("demo"));
        withKey(key)
                .get("/api/me")
                .then()
                .statusCode(200)
                .body("username", equalTo("mike"))
                .body("workspaces.slug", hasItem("demo"));
    }

    @Test
    void shouldAnswer404WhenKeyReadsAnotherWorkspace() {
        // Given a key of mike, who is not in workspace other
        String key = create("mike", 90).path("key");

        // When he reads other with it
        Response r = withKey(key).get("/api/workspaces/other");

        // Then other does not exist for him
        r.then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void shouldAnswer403WhenMembersKeyCallsAdminEndpoint() {
        // Given a key of mike, a member
        String key = create("mike", 90).path("key");

        // When he changes demo's policy with it
        Response r = withKey(key).contentType(ContentType.JSON).body("{}").put("/api/workspaces/demo/policy");

        // Then his role is too low
        r.then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void shouldAnswer403WhenDrydockAdminsKeyAdministersTheAppliance() {
        // Given a key of alice, drydock-admin
        String key = create("alice", 30).path("key");

        // When she lists the model endpoints with it
        Response r = withKey(key).get("/api/admin/model-endpoints");

        // Then keys never carry drydock-admin: administration needs a Keycloak sign-in
        r.then().statusCode(403).contentType("application/problem+json");
        given().auth()
                .oauth2(Tokens.of("alice"))
                .get("/api/admin/model-endpoints")
                .then()
                .statusCode(200);
    }

    @Test
    void shouldAnswer401WhenKeyHasExpired() throws SQLException {
        // Given a key of mike whose expiry has passed
        Response created = create("mike", 1);
        sql("update gateway_api_key set expires_at = now() - interval '1 minute' where id = "
                + created.jsonPath().getLong("id"));

        // When he calls the API with it
        Response r = withKey(created.path("key")).get("/api/workspaces/demo");

        // Then it is refused, and the problem says it expired
        r.then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("detail", containsString("expired on"))
                .body("detail", containsString("/portal/me"));
    }

    @Test
    void shouldAnswer401WhenKeyWasRevoked() {
        // Given a key of mike that he revoked
        Response created = create("mike", 90);
        given().auth()
                .oauth2(Tokens.of("mike"))
                .delete("/api/me/api-keys/" + created.jsonPath().getLong("id"))
                .then()
                .statusCode(204);

        // When he calls the API with it
        Response r = withKey(created.path("key")).get("/api/workspaces/demo");

        // Then it is refused, and the problem says it was revoked
        r.then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("detail", containsString("was revoked on"));
    }

    @Test
    void shouldAnswer401WhenKeyIsUnknown() {
        // Given a value that looks like a key but was never issued
        String forged = ApiKeys.PREFIX + "x".repeat(40);

        // When it is sent to the API
        Response r = withKey(forged).get("/api/me");

        // Then it is refused with a message that says what to do
        r.then().statusCode(401).contentType("application/problem+json").body("detail", containsString("not known"));
    }

    @Test
    void shouldNeverListTheKeyValueWhenKeysAreListed() {
        // Given a new key of vera
        Response created = create("vera", 90);
        String key = created.path("key");

        // When she lists her keys
        Response list = given().auth().oauth2(Tokens.of("vera")).get("/api/me/api-keys");

        // Then the key is listed by name, prefix and dates, never by value
        list.then().statusCode(200);
        assertThat(list.asString()).doesNotContain(key).contains(key.substring(0, 10));
        Map<String, Object> row =
                list.jsonPath().getMap("find { it.id == " + created.jsonPath().getLong("id") + " }");
        assertThat(row)
                .containsKeys("name", "prefix", "createdAt", "expiresAt", "lastUsedAt", "state")
                .doesNotContainKey("key");
        assertThat(row.get("state")).isEqualTo("active");
    }

    @Test
    void shouldRefuseKeyCreationWhenCallerUsesAKey() {
        // Given a key of mike
        String key = create("mike", 90).path("key");

        // When he tries to create another key with it
        Response r = withKey(key)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "successor"))
                .post("/api/me/api-keys");

        // Then only a Keycloak sign-in may create keys
        r.then().statusCode(403).body("detail", containsString("cannot create API keys"));
    }

    @Test
    void shouldAnswer400WhenExpiryIsBeyondAYear() {
        // Given mike signed in

        // When he asks for a key that lives 400 days
        Response r = given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(Map.of("name", "forever", "expiresInDays", 400))
                .post("/api/me/api-keys");

        // Then the problem says the limit
        r.then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("between 1 and 365"));
    }

    @Test
    void shouldRecordCreationAndRevocationWhenKeysChange() throws SQLException {
        // Given a key of wanda
        Response created = create("wanda", 30);
        long id = created.jsonPath().getLong("id");

        // When she revokes it
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .delete("/api/me/api-keys/" + id)
                .then()
                .statusCode(204);

        // Then both are sealed into the audit trail, with her as the actor and without the key
        List<String> rows = audit("api-key:" + id);
        String subject = KeycloakAdmin.userId("wanda");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0))
                .startsWith("api-key.created|" + subject)
                .contains(created.<String>path("prefix"))
                .doesNotContain(created.<String>path("key"));
        assertThat(rows.get(1)).startsWith("api-key.revoked|" + subject);
    }

    private static Response create(String user, int days) {
        Response r = given().auth()
                .oauth2(Tokens.of(user))
                .contentType(ContentType.JSON)
                .body(Map.of("name", "test " + UUID.randomUUID(), "expiresInDays", days))
                .post("/api/me/api-keys");
        r.then().statusCode(201).body("key", startsWith(ApiKeys.PREFIX));
        return r;
    }

    private static io.restassured.specification.RequestSpecification withKey(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    private void sql(String statement) throws SQLException {
        try (var c = ds.getConnection();
                var s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }

    private List<String> audit(String target) throws SQLException {
        List<String> out = new ArrayList<>();
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "select action, actor, details from audit_record where target = ? order by seq")) {
            ps.setString(1, target);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
                }
            }
        }
        return out;
    }
}
