package dev.drydock.server.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every API operation in the OpenAPI document × every kind of caller, with the status each must get.
 * Requests are authorization probes: bodies are empty or ids do not exist, so an authorized caller
 * gets a 2xx or a validation 4xx and nothing changes. Adding an endpoint without a row fails the test.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class AuthorizationMatrixTest {
    /** Callers, in the column order of {@link Row#expected}. */
    private static final List<String> CALLERS = List.of("anonymous", "vera", "mike", "otto", "wanda", "alice");

    /** One operation: the concrete request and the status per caller (anonymous, viewer, member, other-admin, ws-admin, drydock-admin). */
    record Row(String path, String body, int... expected) {}

    private static final Map<String, Row> MATRIX = new LinkedHashMap<>();

    static {
        MATRIX.put("GET /api/me", new Row("/api/me", null, 401, 200, 200, 200, 200, 200));
        MATRIX.put("GET /api/workspaces", new Row("/api/workspaces", null, 401, 200, 200, 200, 200, 200));
        MATRIX.put("POST /api/workspaces", new Row("/api/workspaces", "{}", 401, 403, 403, 403, 403, 400));
        MATRIX.put("GET /api/workspaces/{slug}", new Row("/api/workspaces/demo", null, 401, 200, 200, 404, 200, 200));
        MATRIX.put("PUT /api/workspaces/{slug}/policy", new Row("/api/workspaces/demo/policy", "{}", 401, 403, 403, 404, 400, 400));
        MATRIX.put("GET /api/workspaces/{workspace}/repositories", new Row("/api/workspaces/demo/repositories", null, 401, 200, 200, 404, 200, 200));
        MATRIX.put("POST /api/workspaces/{workspace}/repositories", new Row("/api/workspaces/demo/repositories", "{}", 401, 403, 403, 404, 400, 400));
        MATRIX.put("GET /api/workspaces/{workspace}/repositories/{name}", new Row("/api/workspaces/demo/repositories/nope", null, 401, 404, 404, 404, 404, 404));
        MATRIX.put("DELETE /api/workspaces/{workspace}/repositories/{name}", new Row("/api/workspaces/demo/repositories/nope", null, 401, 403, 403, 404, 404, 404));
        MATRIX.put("POST /api/workspaces/{workspace}/repositories/{name}/sync", new Row("/api/workspaces/demo/repositories/nope/sync", null, 401, 403, 404, 404, 404, 404));
        MATRIX.put("GET /api/workspaces/{workspace}/search", new Row("/api/workspaces/demo/search", null, 401, 400, 400, 404, 400, 400));
        MATRIX.put("GET /api/admin/audit/verify", new Row("/api/admin/audit/verify", null, 401, 403, 403, 403, 403, 200));
        MATRIX.put("GET /api/admin/audit/export", new Row("/api/admin/audit/export?afterSeq=999999999", null, 401, 403, 403, 403, 403, 200));
    }

    @Test
    void shouldHaveAMatrixRowForEveryApiOperation() {
        // When
        Set<String> documented = operationsInOpenApi();

        // Then
        assertThat(new TreeSet<>(MATRIX.keySet()))
                .as("every /api operation needs a row in AuthorizationMatrixTest.MATRIX (and no stale rows)")
                .isEqualTo(documented);
    }

    @Test
    void shouldGiveEveryCallerTheExpectedStatus() {
        // Given
        List<String> mismatches = new ArrayList<>();

        // When
        for (Map.Entry<String, Row> entry : MATRIX.entrySet()) {
            String method = entry.getKey().substring(0, entry.getKey().indexOf(' '));
            Row row = entry.getValue();
            for (int i = 0; i < CALLERS.size(); i++) {
                int status = request(CALLERS.get(i), row.body()).request(method, row.path()).then().extract().statusCode();
                if (status != row.expected()[i]) {
                    mismatches.add(entry.getKey() + " as " + CALLERS.get(i) + ": expected " + row.expected()[i] + ", got " + status);
                }
            }
        }

        // Then
        assertThat(mismatches).isEmpty();
    }

    private static RequestSpecification request(String caller, String body) {
        RequestSpecification spec = given().redirects().follow(false);
        if (!caller.equals("anonymous")) {
            spec = spec.auth().oauth2(Tokens.of(caller));
        }
        if (body != null) {
            spec = spec.contentType(ContentType.JSON).body(body);
        }
        return spec;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> operationsInOpenApi() {
        Map<String, Map<String, Object>> paths = given().accept(ContentType.JSON).get("/q/openapi?format=json").then().statusCode(200).extract().path("paths");
        Set<String> out = new TreeSet<>();
        paths.forEach((path, operations) -> {
            if (path.startsWith("/api/")) {
                for (String method : operations.keySet()) {
                    if (Set.of("get", "put", "post", "delete", "patch").contains(method)) {
                        out.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path);
                    }
                }
            }
        });
        return out;
    }
}
