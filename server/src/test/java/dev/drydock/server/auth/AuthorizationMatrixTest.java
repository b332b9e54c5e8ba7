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
        MATRIX.put("GET /api/cli-config", new Row("/api/cli-config", null, 200, 200, 200, 200, 200, 200));
        MATRIX.put("GET /api/workspaces", new Row("/api/workspaces", null, 401, 200, 200, 200, 200, 200));
        MATRIX.put("POST /api/workspaces", new Row("/api/workspaces", "{}", 401, 403, 403, 403, 403, 400));
        MATRIX.put("GET /api/workspaces/{slug}", new Row("/api/workspaces/demo", null, 401, 200, 200, 404, 200, 200));
        MATRIX.put("PUT /api/workspaces/{slug}/policy", new Row("/api/workspaces/demo/policy", "{}", 401, 403, 403, 404, 400, 400));
        MATRIX.put("GET /api/workspaces/{workspace}/repositories", new Row("/api/workspaces/demo/repositories", null, 401, 200, 200, 404, 200, 200));
        MATRIX.put("POST /api/workspaces/{workspace}/repositories", new Row("/api/workspaces/demo/repositories", "{}", 401, 403, 403, 404, 400, 400));
        MATRIX.put("GET /api/workspaces/{workspace}/repositories/{name}", new Row("/api/workspaces/demo/repositories/nope", null, 401, 404, 404, 404, 404, 404));
        MATRIX.put("DELETE /api/workspaces/{workspace}/repositories/{name}", new Row("/api/workspaces/demo/repositories/nope", null, 401, 403, 403, 404, 404, 404));
        MATRIX.put("PUT /api/workspaces/{workspace}/repositories/{name}/path-labels", new Row("/api/workspaces/demo/repositories/nope/path-labels", "[]", 401, 403, 403, 404, 404, 404));
        MATRIX.put("POST /api/workspaces/{workspace}/repositories/{name}/sync", new Row("/api/workspaces/demo/repositories/nope/sync", null, 401, 403, 404, 404, 404, 404));
        // What droids remembered: viewers list, members delete (#15 hole 4).
        MATRIX.put("GET /api/workspaces/{workspace}/memories", new Row("/api/workspaces/demo/memories", null, 401, 200, 200, 404, 200, 200));
        MATRIX.put("DELETE /api/workspaces/{workspace}/memories/{id}", new Row("/api/workspaces/demo/memories/999999999", null, 401, 403, 404, 404, 404, 404));
        MATRIX.put("GET /api/workspaces/{workspace}/search", new Row("/api/workspaces/demo/search", null, 401, 400, 400, 404, 400, 400));
        MATRIX.put("GET /api/admin/audit/verify", new Row("/api/admin/audit/verify", null, 401, 403, 403, 403, 403, 200));
        // Model gateway administration: drydock admins only.
        MATRIX.put("GET /api/admin/model-endpoints", new Row("/api/admin/model-endpoints", null, 401, 403, 403, 403, 403, 200));
        MATRIX.put("GET /api/admin/model-endpoints/{name}", new Row("/api/admin/model-endpoints/nope", null, 401, 403, 403, 403, 403, 404));
        MATRIX.put("PUT /api/admin/model-endpoints/{name}", new Row("/api/admin/model-endpoints/nope", "{}", 401, 403, 403, 403, 403, 400));
        MATRIX.put("DELETE /api/admin/model-endpoints/{name}", new Row("/api/admin/model-endpoints/nope", null, 401, 403, 403, 403, 403, 404));
        MATRIX.put("GET /api/admin/model-routes", new Row("/api/admin/model-routes", null, 401, 403, 403, 403, 403, 200));
        MATRIX.put("PUT /api/admin/model-routes/{name}", new Row("/api/admin/model-routes/nope", "{}", 401, 403, 403, 403, 403, 400));
        MATRIX.put("DELETE /api/admin/model-routes/{name}", new Row("/api/admin/model-routes/nope", null, 401, 403, 403, 403, 403, 404));
        MATRIX.put("GET /api/admin/model-budgets", new Row("/api/admin/model-budgets", null, 401, 403, 403, 403, 403, 200));
        MATRIX.put("POST /api/admin/model-budgets", new Row("/api/admin/model-budgets", "{}", 401, 403, 403, 403, 403, 400));
        MATRIX.put("DELETE /api/admin/model-budgets/{id}", new Row("/api/admin/model-budgets/999999999", null, 401, 403, 403, 403, 403, 404));
        MATRIX.put("GET /api/admin/model-requests", new Row("/api/admin/model-requests", null, 401, 403, 403, 403, 403, 200));
        MATRIX.put("GET /api/admin/egress-refusals", new Row("/api/admin/egress-refusals", null, 401, 403, 403, 403, 403, 200));
        // Repository sources added at runtime (local roots, allowed git hosts): drydock admins only.
        MATRIX.put("GET /api/admin/repository-sources", new Row("/api/admin/repository-sources", null, 401, 403, 403, 403, 403, 200));
        MATRIX.put("POST /api/admin/repository-sources/local-roots", new Row("/api/admin/repository-sources/local-roots", "{}", 401, 403, 403, 403, 403, 400));
        MATRIX.put("DELETE /api/admin/repository-sources/local-roots", new Row("/api/admin/repository-sources/local-roots?path=/nope", null, 401, 403, 403, 403, 403, 404));
        MATRIX.put("POST /api/admin/repository-sources/allowed-hosts", new Row("/api/admin/repository-sources/allowed-hosts", "{}", 401, 403, 403, 403, 403, 400));
        MATRIX.put("DELETE /api/admin/repository-sources/allowed-hosts/{host}", new Row("/api/admin/repository-sources/allowed-hosts/nope.example", null, 401, 403, 403, 403, 403, 404));
        // Personal API keys for the OpenAI-compatible front door.
        MATRIX.put("GET /api/me/api-keys", new Row("/api/me/api-keys", null, 401, 200, 200, 200, 200, 200));
        MATRIX.put("POST /api/me/api-keys", new Row("/api/me/api-keys", "{\"name\": \"\"}", 401, 400, 400, 400, 400, 400));
        MATRIX.put("DELETE /api/me/api-keys/{id}", new Row("/api/me/api-keys/999999999", null, 401, 404, 404, 404, 404, 404));
        // Droid sessions: ids of sessions that do not exist (or belong to nobody the caller may see) are 404.
        MATRIX.put("GET /api/sessions", new Row("/api/sessions", null, 401, 200, 200, 200, 200, 200));
        MATRIX.put("POST /api/sessions", new Row("/api/sessions", "{}", 401, 400, 400, 400, 400, 400));
        MATRIX.put("GET /api/sessions/{id}", new Row("/api/sessions/00000000-0000-0000-0000-000000000000", null, 401, 404, 404, 404, 404, 404));
        MATRIX.put("GET /api/sessions/{id}/events", new Row("/api/sessions/00000000-0000-0000-0000-000000000000/events", null, 401, 404, 404, 404, 404, 404));
        MATRIX.put("GET /api/sessions/{id}/artifacts", new Row("/api/sessions/00000000-0000-0000-0000-000000000000/artifacts", null, 401, 404, 404, 404, 404, 404));
        MATRIX.put("POST /api/sessions/{id}/cancel", new Row("/api/sessions/00000000-0000-0000-0000-000000000000/cancel", null, 401, 404, 404, 404, 404, 404));
        MATRIX.put("POST /api/sessions/{id}/answer", new Row("/api/sessions/00000000-0000-0000-0000-000000000000/answer", "{}", 401, 404, 404, 404, 404, 404));
        MATRIX.put("POST /api/sessions/{id}/approve", new Row("/api/sessions/00000000-0000-0000-0000-000000000000/approve", "{}", 401, 404, 404, 404, 404, 404));
        MATRIX.put("POST /api/sessions/{id}/deny", new Row("/api/sessions/00000000-0000-0000-0000-000000000000/deny", "{}", 401, 404, 404, 404, 404, 404));
        MATRIX.put("POST /api/sessions/{id}/resume", new Row("/api/sessions/00000000-0000-0000-0000-000000000000/resume", null, 401, 404, 404, 404, 404, 404));
        MATRIX.put("POST /api/sessions/{id}/messages", new Row("/api/sessions/00000000-0000-0000-0000-000000000000/messages", "{}", 401, 404, 404, 404, 404, 404));
        // Delivery: a session's agent branch, push and merge request; a repository's git server; the signing key.
        MATRIX.put("GET /api/sessions/{id}/delivery", new Row("/api/sessions/00000000-0000-0000-0000-000000000000/delivery", null, 401, 404, 404, 404, 404, 404));
        MATRIX.put("POST /api/sessions/{id}/delivery/push", new Row("/api/sessions/00000000-0000-0000-0000-000000000000/delivery/push", "{}", 401, 404, 404, 404, 404, 404));
        MATRIX.put("POST /api/sessions/{id}/delivery/merge-request", new Row("/api/sessions/00000000-0000-0000-0000-000000000000/delivery/merge-request", null, 401, 404, 404, 404, 404, 404));
        MATRIX.put("GET /api/workspaces/{workspace}/repositories/{name}/delivery", new Row("/api/workspaces/demo/repositories/nope/delivery", null, 401, 404, 404, 404, 404, 404));
        MATRIX.put("PUT /api/workspaces/{workspace}/repositories/{name}/delivery", new Row("/api/workspaces/demo/repositories/nope/delivery", "{}", 401, 403, 403, 404, 404, 404));
        MATRIX.put("GET /api/delivery/signing-key", new Row("/api/delivery/signing-key", null, 401, 200, 200, 200, 200, 200));
        // Workspace secrets: workspace admins only; model hosts on the egress allow-list: drydock admins only (issue 15).
        MATRIX.put("GET /api/workspaces/{workspace}/secrets", new Row("/api/workspaces/demo/secrets", null, 401, 403, 403, 404, 200, 200));
        MATRIX.put("PUT /api/workspaces/{workspace}/secrets/{name}", new Row("/api/workspaces/demo/secrets/matrix", "{}", 401, 403, 403, 404, 400, 400));
        MATRIX.put("DELETE /api/workspaces/{workspace}/secrets/{name}", new Row("/api/workspaces/demo/secrets/nope", null, 401, 403, 403, 404, 404, 404));
        MATRIX.put("GET /api/admin/model-hosts", new Row("/api/admin/model-hosts", null, 401, 403, 403, 403, 403, 200));
        MATRIX.put("POST /api/admin/model-hosts", new Row("/api/admin/model-hosts", "{}", 401, 403, 403, 403, 403, 400));
        MATRIX.put("DELETE /api/admin/model-hosts/{host}", new Row("/api/admin/model-hosts/nope.example", null, 401, 403, 403, 403, 403, 404));
        // Package mirrors (#18): drydock admins declare, everyone signed in lists; workspace admins choose and register setup steps.
        MATRIX.put("GET /api/admin/package-mirrors", new Row("/api/admin/package-mirrors", null, 401, 200, 200, 200, 200, 200));
        MATRIX.put("PUT /api/admin/package-mirrors/{name}", new Row("/api/admin/package-mirrors/matrix", "{}", 401, 403, 403, 403, 403, 400));
        MATRIX.put("DELETE /api/admin/package-mirrors/{name}", new Row("/api/admin/package-mirrors/nope", null, 401, 403, 403, 403, 403, 404));
        MATRIX.put("GET /api/workspaces/{workspace}/package-mirrors", new Row("/api/workspaces/demo/package-mirrors", null, 401, 200, 200, 404, 200, 200));
        MATRIX.put("PUT /api/workspaces/{workspace}/package-mirrors/{mirror}", new Row("/api/workspaces/demo/package-mirrors/nope", "{}", 401, 403, 403, 404, 404, 404));
        MATRIX.put("DELETE /api/workspaces/{workspace}/package-mirrors/{mirror}", new Row("/api/workspaces/demo/package-mirrors/nope", null, 401, 403, 403, 404, 404, 404));
        MATRIX.put("GET /api/workspaces/{workspace}/repositories/{repo}/setup", new Row("/api/workspaces/demo/repositories/nope/setup", null, 401, 404, 404, 404, 404, 404));
        MATRIX.put("PUT /api/workspaces/{workspace}/repositories/{repo}/setup", new Row("/api/workspaces/demo/repositories/nope/setup", "{}", 401, 403, 403, 404, 400, 400));
        MATRIX.put("DELETE /api/workspaces/{workspace}/repositories/{repo}/setup", new Row("/api/workspaces/demo/repositories/nope/setup", null, 401, 403, 403, 404, 404, 404));
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
