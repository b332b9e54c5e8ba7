package dev.drydock.server.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The shipped {@code drydock} realm ({@code realm/drydock-realm.json}) filled in for one
 * installation: portal URL, client secrets and initial users. Keycloak imports it once (create
 * only); later changes go through the Admin API.
 */
public final class RealmTemplate {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RESOURCE = "/realm/drydock-realm.json";

    /** A user created at import time. */
    public record InitialUser(
            String username, String password, String firstName, String lastName, String email, List<String> groups) {}

    private final ObjectNode realm;

    private RealmTemplate(ObjectNode realm) {
        this.realm = realm;
    }

    /**
     * The shipped realm with its placeholders replaced. {@code serverSecret} is the secret of the
     * {@code drydock-server} client, with which the server reads API-key owners' current groups.
     */
    public static RealmTemplate shipped(
            String portalUrl, String portalSecret, String automationSecret, String serverSecret) {
        String text;
        try (InputStream in = RealmTemplate.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + RESOURCE + " in the server jar");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Map.Entry<String, String> p : Map.of(
                        "DRYDOCK_PORTAL_URL", portalUrl,
                        "DRYDOCK_PORTAL_SECRET", portalSecret,
                        "DRYDOCK_AUTOMATION_SECRET", automationSecret,
                        "DRYDOCK_SERVER_SECRET", serverSecret)
                .entrySet()) {
            text = text.replace("${" + p.getKey() + "}", jsonEscape(p.getValue()));
        }
        try {
            return new RealmTemplate((ObjectNode) JSON.readTree(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds a user with a permanent password and the given group paths. */
    public RealmTemplate withUser(InitialUser user) {
        ObjectNode node = ((ArrayNode) realm.get("users")).addObject();
        node.put("username", user.username());
        node.put("enabled", true);
        node.put("emailVerified", true);
        node.put("firstName", user.firstName());
        node.put("lastName", user.lastName());
        node.put("email", user.email());
        ObjectNode credential = node.putArray("credentials").addObject();
        credential.put("type", "password");
        credential.put("value", user.password());
        credential.put("temporary", false);
        ArrayNode groups = node.putArray("groups");
        user.groups().forEach(groups::add);
        return this;
    }

    /** Adds a workspace group {@code /workspaces/<slug>} with its admins, members and viewers subgroups. */
    public RealmTemplate withWorkspace(String slug, String displayName) {
        for (JsonNode group : realm.get("groups")) {
            if (group.get("name").asText().equals("workspaces")) {
                ObjectNode ws = ((ArrayNode) group.get("subGroups")).addObject();
                ws.put("name", slug);
                ws.put("path", "/workspaces/" + slug);
                ws.putObject("attributes").putArray("displayName").add(displayName);
                ArrayNode subs = ws.putArray("subGroups");
                for (String[] sub :
                        new String[][] {{"admins", "workspace-admin"}, {"members", "member"}, {"viewers", "viewer"}}) {
                    ObjectNode s = subs.addObject();
                    s.put("name", sub[0]);
                    s.put("path", "/workspaces/" + slug + "/" + sub[0]);
                    s.putArray("realmRoles").add(sub[1]);
                }
            }
        }
        return this;
    }

    /**
     * Adds a public client that may use the password grant. Only for test realms: the shipped realm
     * allows no direct password grants.
     */
    public RealmTemplate withPasswordGrantClient(String clientId) {
        passwordGrantClient(clientId);
        return this;
    }

    /** Like {@link #withPasswordGrantClient(String)}, with access tokens that expire after {@code lifespan}. */
    public RealmTemplate withPasswordGrantClient(String clientId, java.time.Duration lifespan) {
        passwordGrantClient(clientId)
                .putObject("attributes")
                .put("access.token.lifespan", Long.toString(lifespan.toSeconds()));
        return this;
    }

    private ObjectNode passwordGrantClient(String clientId) {
        ObjectNode client = ((ArrayNode) realm.get("clients")).addObject();
        client.put("clientId", clientId);
        client.put("enabled", true);
        client.put("publicClient", true);
        client.put("standardFlowEnabled", false);
        client.put("directAccessGrantsEnabled", true);
        for (JsonNode other : realm.get("clients")) {
            if (other.get("clientId").asText().equals("drydock-cli")) {
                client.set("protocolMappers", other.get("protocolMappers").deepCopy());
            }
        }
        return client;
    }

    /** Realm JSON ready for {@code data/import}. */
    public String toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(realm);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String jsonEscape(String value) {
        String quoted;
        try {
            quoted = JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return quoted.substring(1, quoted.length() - 1);
    }
}
