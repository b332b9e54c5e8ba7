package dev.drydock.cli.realm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.cli.CliException;
import dev.drydock.cli.CliExit;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Applies the shipped realm's roles, groups and clients to a running Keycloak through its Admin API,
 * idempotently: what is missing is created, what differs in the fields Drydock owns is updated, and
 * nothing else (users, secrets, operator-added settings) is touched, except that a client's service
 * account gets the roles the shipped realm grants it and the realm gets the shipped password policy
 * (existing passwords stay valid until they are next changed). Realm import only creates; this
 * is how day-2 changes reach an existing installation.
 */
public final class RealmApply {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Client fields Drydock owns; anything else an operator set stays as it is. */
    private static final List<String> CLIENT_FIELDS = List.of(
            "name",
            "enabled",
            "publicClient",
            "bearerOnly",
            "standardFlowEnabled",
            "implicitFlowEnabled",
            "directAccessGrantsEnabled",
            "serviceAccountsEnabled",
            "redirectUris",
            "webOrigins",
            "attributes",
            "protocolMappers");

    /** What a run did. */
    public record Report(List<String> created, List<String> updated, int unchanged) {}

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String realm;
    private final String token;

    private RealmApply(String baseUrl, String realm, String token) {
        this.baseUrl = baseUrl;
        this.realm = realm;
        this.token = token;
    }

    /** Signs in to the master realm as an administrator (admin-cli, password grant). */
    public static RealmApply connect(String baseUrl, String realm, String adminUser, String adminPassword) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String form = "grant_type=password&client_id=admin-cli&username=" + enc(adminUser) + "&password="
                + enc(adminPassword);
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/realms/master/protocol/openid-connect/token"))
                            .timeout(Duration.ofSeconds(15))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 401 || r.statusCode() == 400) {
                throw new CliException(
                        "Keycloak refused the administrator credentials for user '" + adminUser + "'", CliExit.FAILED);
            }
            if (r.statusCode() != 200) {
                throw new CliException(
                        "Keycloak answered " + r.statusCode() + " to the admin sign-in at " + base,
                        CliExit.UNAVAILABLE);
            }
            return new RealmApply(
                    base, realm, JSON.readTree(r.body()).path("access_token").asText());
        } catch (IOException e) {
            throw new CliException("Keycloak unreachable at " + base + ": " + e.getMessage(), CliExit.UNAVAILABLE, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", CliExit.FAILED, e);
        }
    }

    /** Applies {@code desired} (a realm representation) and reports each change to {@code log}. */
    public Report apply(JsonNode desired, Consumer<String> log) {
        return apply(desired, Map.of(), log);
    }

    /**
     * Like {@link #apply(JsonNode, Consumer)}; a confidential client that has to be created gets its
     * secret from {@code newClientSecrets} (by client id), or a fresh one from Keycloak when absent.
     * Secrets of existing clients are never changed.
     */
    public Report apply(JsonNode desired, Map<String, String> newClientSecrets, Consumer<String> log) {
        List<String> created = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        int unchanged = 0;
        if (call("GET", "", null).statusCode() == 404) {
            throw new CliException(
                    "realm '" + realm + "' does not exist in Keycloak at " + baseUrl
                            + "; import the shipped realm first (./drydock up does)",
                    CliExit.DATA);
        }
        if (desired.hasNonNull("passwordPolicy")) {
            String policy = desired.path("passwordPolicy").asText();
            if (read(call("GET", "", null)).path("passwordPolicy").asText().equals(policy)) {
                unchanged++;
            } else {
                expect(
                        call("PUT", "", JSON.createObjectNode().put("passwordPolicy", policy)),
                        204,
                        "set the realm's password policy");
                updated.add("password policy");
            }
        }
        for (JsonNode role : desired.path("roles").path("realm")) {
            String name = role.path("name").asText();
            HttpResponse<String> current = call("GET", "/roles/" + enc(name), null);
            if (current.statusCode() == 404) {
                expect(call("POST", "/roles", role), 201, "create role " + name);
                created.add("role " + name);
            } else if (!read(current)
                    .path("description")
                    .asText()
                    .equals(role.path("description").asText())) {
                ObjectNode update = (ObjectNode) read(current);
                update.put("description", role.path("description").asText());
                expect(call("PUT", "/roles/" + enc(name), update), 204, "update role " + name);
                updated.add("role " + name);
            } else {
                unchanged++;
            }
        }
        for (JsonNode group : desired.path("groups")) {
            unchanged += applyGroup(group, null, created);
        }
        for (JsonNode client : desired.path("clients")) {
            String clientId = client.path("clientId").asText();
            JsonNode found = read(call("GET", "/clients?clientId=" + enc(clientId), null));
            if (found.isEmpty()) {
                ObjectNode rep = client.deepCopy();
                rep.remove("secret"); // Keycloak generates a fresh secret for a new confidential client
                if (newClientSecrets.containsKey(clientId)) {
                    rep.put("secret", newClientSecrets.get(clientId));
                }
                expect(call("POST", "/clients", rep), 201, "create client " + clientId);
                created.add("client " + clientId);
                continue;
            }
            ObjectNode current = (ObjectNode) found.get(0);
            ObjectNode merged = current.deepCopy();
            for (String field : CLIENT_FIELDS) {
                if (client.has(field)) {
                    merged.set(
                            field, field.equals("protocolMappers") ? withoutIds(client.get(field)) : client.get(field));
                }
            }
            if (sameOwnedFields(current, merged)) {
                unchanged++;
            } else {
                merged.remove("secret");
                expect(
                        call("PUT", "/clients/" + current.path("id").asText(), merged),
                        204,
                        "update client " + clientId);
                updated.add("client " + clientId);
            }
        }
        for (JsonNode user : desired.path("users")) {
            if (user.hasNonNull("serviceAccountClientId")) {
                unchanged += applyServiceAccountRoles(user, created);
            }
        }
        created.forEach(c -> log.accept("created " + c));
        updated.forEach(u -> log.accept("updated " + u));
        return new Report(created, updated, unchanged);
    }

    /** Grants a client's service account the client roles it has in the shipped realm; never removes any. */
    private int applyServiceAccountRoles(JsonNode user, List<String> created) {
        String clientId = user.path("serviceAccountClientId").asText();
        JsonNode client = read(call("GET", "/clients?clientId=" + enc(clientId), null));
        if (client.isEmpty()) {
            throw new CliException("client " + clientId + " has no service account to grant roles to", CliExit.FAILED);
        }
        String account = read(call(
                        "GET", "/clients/" + client.get(0).path("id").asText() + "/service-account-user", null))
                .path("id")
                .asText();
        int unchanged = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = user.path("clientRoles").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode owner = read(call("GET", "/clients?clientId=" + enc(e.getKey()), null));
            if (owner.isEmpty()) {
                throw new CliException(
                        "client " + e.getKey() + " does not exist; cannot grant its roles to " + clientId,
                        CliExit.FAILED);
            }
            String ownerId = owner.get(0).path("id").asText();
            JsonNode held = read(call("GET", "/users/" + account + "/role-mappings/clients/" + ownerId, null));
            var missing = JSON.createArrayNode();
            for (JsonNode role : e.getValue()) {
                boolean has = false;
                for (JsonNode h : held) {
                    has |= h.path("name").asText().equals(role.asText());
                }
                if (has) {
                    unchanged++;
                } else {
                    HttpResponse<String> r = call("GET", "/clients/" + ownerId + "/roles/" + enc(role.asText()), null);
                    expect(r, 200, "read role " + e.getKey() + "/" + role.asText());
                    missing.add(read(r));
                    created.add("role " + e.getKey() + "/" + role.asText() + " of service account " + clientId);
                }
            }
            if (!missing.isEmpty()) {
                expect(
                        call("POST", "/users/" + account + "/role-mappings/clients/" + ownerId, missing),
                        204,
                        "grant roles to service account " + clientId);
            }
        }
        return unchanged;
    }

    private int applyGroup(JsonNode group, @Nullable String parentId, List<String> created) {
        String path = group.path("path").asText();
        HttpResponse<String> found = call("GET", "/group-by-path" + path, null);
        String id;
        int unchanged = 0;
        if (found.statusCode() == 404) {
            ObjectNode rep = JSON.createObjectNode();
            rep.put("name", group.path("name").asText());
            if (group.has("attributes")) {
                rep.set("attributes", group.get("attributes"));
            }
            HttpResponse<String> r =
                    call("POST", parentId == null ? "/groups" : "/groups/" + parentId + "/children", rep);
            expect(r, 201, "create group " + path);
            id = read(call("GET", "/group-by-path" + path, null)).path("id").asText();
            created.add("group " + path);
            List<JsonNode> roles = new ArrayList<>();
            for (JsonNode roleName : group.path("realmRoles")) {
                roles.add(read(call("GET", "/roles/" + enc(roleName.asText()), null)));
            }
            if (!roles.isEmpty()) {
                expect(
                        call("POST", "/groups/" + id + "/role-mappings/realm", JSON.valueToTree(roles)),
                        204,
                        "map roles of " + path);
            }
        } else {
            id = read(found).path("id").asText();
            unchanged++;
        }
        for (JsonNode sub : group.path("subGroups")) {
            unchanged += applyGroup(sub, id, created);
        }
        return unchanged;
    }

    private static boolean sameOwnedFields(JsonNode current, JsonNode merged) {
        for (String field : CLIENT_FIELDS) {
            JsonNode a = current.path(field);
            JsonNode b = merged.path(field);
            if (field.equals("protocolMappers")) {
                if (!sameMappers(a, b)) {
                    return false;
                }
            } else if (field.equals("attributes")) {
                // Keycloak adds defaults to attributes; only the keys Drydock sets must match.
                for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
                    String key = it.next();
                    if (!b.path(key).equals(a.path(key))) {
                        return false;
                    }
                }
            } else if (!a.equals(b)) {
                return false;
            }
        }
        return true;
    }

    /** Same count, and each desired mapper present by name with the same type and the config values Drydock sets. */
    private static boolean sameMappers(JsonNode current, JsonNode desired) {
        if (current.size() != desired.size()) {
            return false;
        }
        for (JsonNode want : desired) {
            JsonNode have = null;
            for (JsonNode m : current) {
                if (m.path("name").asText().equals(want.path("name").asText())) {
                    have = m;
                }
            }
            if (have == null || !have.path("protocolMapper").equals(want.path("protocolMapper"))) {
                return false;
            }
            for (Iterator<String> it = want.path("config").fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!want.path("config").path(key).equals(have.path("config").path(key))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static JsonNode withoutIds(JsonNode mappers) {
        var out = JSON.createArrayNode();
        for (JsonNode m : mappers) {
            ObjectNode copy = m.deepCopy();
            copy.remove("id");
            copy.remove("consentRequired");
            out.add(copy);
        }
        return out;
    }

    private HttpResponse<String> call(String method, String path, @Nullable JsonNode body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + "/admin/realms/" + enc(realm) + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/json");
            if (body != null) {
                b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CliException("Keycloak Admin API unreachable: " + e.getMessage(), CliExit.UNAVAILABLE, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", CliExit.FAILED, e);
        }
    }

    private static void expect(HttpResponse<String> r, int status, String what) {
        if (r.statusCode() != status && !(status == 201 && r.statusCode() == 204)) {
            throw new CliException(
                    "could not " + what + ": Keycloak answered " + r.statusCode() + " " + r.body(), CliExit.FAILED);
        }
    }

    private static JsonNode read(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new CliException("Keycloak answered something that is not JSON: " + e.getMessage(), CliExit.DATA);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
