package dev.drydock.server.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a tool call's arguments against the tool's input schema before the call leaves the server:
 * the JSON Schema keywords MCP tools use ({@code type}, {@code properties}, {@code required}, {@code
 * additionalProperties: false}, {@code enum}, {@code items}); keywords it does not know are left to the
 * tool server, which validates again.
 */
final class SchemaCheck {
    private static final int MAX_PROBLEMS = 5;

    private SchemaCheck() {}

    /** What is wrong with {@code value}; empty when it fits. */
    static List<String> problems(JsonNode schema, JsonNode value) {
        List<String> out = new ArrayList<>();
        check(schema, value, "arguments", out);
        return out.size() > MAX_PROBLEMS ? out.subList(0, MAX_PROBLEMS) : out;
    }

    private static void check(JsonNode schema, JsonNode value, String at, List<String> out) {
        if (!schema.isObject() || out.size() > MAX_PROBLEMS) {
            return;
        }
        JsonNode type = schema.get("type");
        if (type != null && !typeMatches(type, value)) {
            out.add(at + " must be " + (type.isArray() ? "one of " + type : "a " + type.asText()) + ", got "
                    + kind(value));
            return;
        }
        JsonNode allowed = schema.get("enum");
        if (allowed != null && allowed.isArray()) {
            boolean found = false;
            for (JsonNode a : allowed) {
                found |= a.equals(value)
                        || a.isNumber() && value.isNumber() && a.decimalValue().compareTo(value.decimalValue()) == 0;
            }
            if (!found) {
                out.add(at + " must be one of " + allowed);
            }
        }
        if (value.isObject()) {
            JsonNode properties = schema.path("properties");
            for (JsonNode r : schema.path("required")) {
                if (!value.has(r.asText())) {
                    out.add(at + " misses the required property '" + r.asText() + "'");
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode p = properties.get(e.getKey());
                if (p != null) {
                    check(p, e.getValue(), at + "." + e.getKey(), out);
                } else if (schema.path("additionalProperties").isBoolean()
                        && !schema.path("additionalProperties").asBoolean()) {
                    out.add(at + " has the unknown property '" + e.getKey() + "'");
                }
            }
        }
        if (value.isArray() && schema.has("items")) {
            int i = 0;
            for (JsonNode item : value) {
                check(schema.get("items"), item, at + "[" + i++ + "]", out);
            }
        }
    }

    private static boolean typeMatches(JsonNode type, JsonNode value) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (typeMatches(t, value)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.asText()) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "boolean" -> value.isBoolean();
            case "null" -> value.isNull();
            case "number" -> value.isNumber();
            case "integer" ->
                value.isIntegralNumber()
                        || value.isNumber()
                                && value.decimalValue().stripTrailingZeros().scale() <= 0;
            default -> true;
        };
    }

    private static String kind(JsonNode value) {
        return switch (value.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case BOOLEAN -> "a boolean";
            case NUMBER -> "a number";
            case NULL -> "null";
            default -> value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
