package dev.drydock.installer.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Takes secrets out of what goes into a support bundle: chart values, rendered objects and log lines.
 * Rules, in order: every value of a Secret's {@code data}/{@code stringData}; every value under a key
 * named {@code credentials}; every scalar under a key that names a secret (password, secret, token,
 * credential, private key, api key) unless the key only names where a secret lives ({@code existingSecret},
 * {@code …Key}, {@code …Name}, {@code adminSecret}); an env entry whose name names a secret; and in free
 * text, {@code key=value} / {@code key: value} pairs with such keys, bearer tokens and PEM private keys.
 */
public final class Redaction {
    /** What a removed value is replaced with. */
    public static final String REDACTED = "<redacted>";

    private static final Pattern SECRET_KEY =
            Pattern.compile("(?i).*(password|passwd|secret|token|credential|private|api[-_]?key|access[-_]?key).*");
    private static final Pattern REFERENCE_KEY = Pattern.compile(
            "(?i)(existingSecret|adminSecret|.*Key|.*Name|.*Names|imagePullSecrets|secretRef|secretKeyRef|credentialsSecret)");
    private static final Pattern TEXT_PAIR = Pattern.compile(
            "(?i)((?:password|passwd|secret|token|credential|api[-_]?key|access[-_]?key)[\\w.-]*[\"']?\\s*[:=]\\s*[\"']?)([^\\s\"',;&]+)");
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+");
    private static final Pattern PEM =
            Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?-----END [A-Z ]*PRIVATE KEY-----");
    private static final Pattern URL_USERINFO = Pattern.compile("(://[^/\\s:@]+:)[^@\\s/]+@");

    private Redaction() {}

    /** A copy of chart values without secrets. */
    public static JsonNode values(JsonNode values) {
        JsonNode copy = values.deepCopy();
        redactTree(copy, false);
        return copy;
    }

    /** A copy of a rendered object (Secret, Deployment, Pod …) without secrets. */
    public static JsonNode object(JsonNode object) {
        JsonNode copy = object.deepCopy();
        if ("Secret".equals(copy.path("kind").asText()) && copy instanceof ObjectNode o) {
            for (String field : List.of("data", "stringData")) {
                if (o.get(field) instanceof ObjectNode data) {
                    List<String> keys = new ArrayList<>();
                    data.fieldNames().forEachRemaining(keys::add);
                    keys.forEach(k -> data.put(k, REDACTED));
                }
            }
        }
        redactTree(copy, false);
        return copy;
    }

    /** Free text (logs, event messages, Helm's output) without recognisable secrets. */
    public static String text(String text) {
        String t = PEM.matcher(text).replaceAll(REDACTED);
        t = BEARER.matcher(t).replaceAll("$1" + REDACTED);
        t = URL_USERINFO.matcher(t).replaceAll("$1" + REDACTED + "@");
        return TEXT_PAIR.matcher(t).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1) + REDACTED));
    }

    private static void redactTree(JsonNode node, boolean underCredentials) {
        if (node instanceof ObjectNode o) {
            boolean envEntry = o.has("name") && (o.has("value") || o.has("valueFrom"));
            if (envEntry
                    && SECRET_KEY.matcher(o.path("name").asText()).matches()
                    && o.get("value") instanceof TextNode) {
                o.put("value", REDACTED);
            }
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            o.fields().forEachRemaining(fields::add);
            for (Map.Entry<String, JsonNode> f : fields) {
                String key = f.getKey();
                JsonNode v = f.getValue();
                boolean credentials = underCredentials || key.equalsIgnoreCase("credentials");
                boolean secretKey = SECRET_KEY.matcher(key).matches()
                        && !REFERENCE_KEY.matcher(key).matches();
                if ((v.isTextual() || v.isNumber())
                        && (credentials || secretKey)
                        && !v.asText().isEmpty()) {
                    o.put(key, REDACTED);
                } else if (v.isTextual()) {
                    o.put(key, text(v.asText()));
                } else {
                    redactTree(v, credentials);
                }
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                JsonNode v = a.get(i);
                if (v.isTextual()) {
                    a.set(i, TextNode.valueOf(underCredentials ? REDACTED : text(v.asText())));
                } else {
                    redactTree(v, underCredentials);
                }
            }
        }
    }
}
