package dev.drydock.server.mcp;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A {@code tools/call} result as text for the model: text blocks verbatim, images, audio and
 * resources summarised by type, URI and size (their bytes never reach the model), structured
 * content when there is nothing else, cut at a limit with a marker.
 */
final class McpResults {
    private McpResults() {}

    static String summary(JsonNode result, int maxChars) {
        StringBuilder b = new StringBuilder();
        for (JsonNode block : result.path("content")) {
            if (!b.isEmpty()) {
                b.append('\n');
            }
            String type = block.path("type").asText("");
            switch (type) {
                case "text" -> b.append(block.path("text").asText(""));
                case "image", "audio" ->
                    b.append("[")
                            .append(type)
                            .append(' ')
                            .append(block.path("mimeType").asText("of unknown type"))
                            .append(", ")
                            .append(decodedSize(block.path("data").asText("")))
                            .append(" bytes, not shown]");
                case "resource" -> {
                    JsonNode r = block.path("resource");
                    b.append("[resource ")
                            .append(r.path("uri").asText("?"))
                            .append(
                                    r.has("mimeType")
                                            ? " (" + r.path("mimeType").asText() + ")"
                                            : "");
                    if (r.has("text")) {
                        b.append("]\n").append(r.path("text").asText(""));
                    } else {
                        b.append(", ")
                                .append(decodedSize(r.path("blob").asText("")))
                                .append(" bytes, not shown]");
                    }
                }
                case "resource_link" ->
                    b.append("[resource link ")
                            .append(block.path("uri").asText("?"))
                            .append(
                                    block.has("name")
                                            ? " \"" + block.path("name").asText() + "\""
                                            : "")
                            .append(']');
                default -> b.append("[content of type '").append(type).append("', not shown]");
            }
        }
        if (b.isEmpty() && result.has("structuredContent")) {
            b.append(result.get("structuredContent").toString());
        }
        if (b.length() > maxChars) {
            int cut = b.length() - maxChars;
            b.setLength(maxChars);
            b.append("\n[… ").append(cut).append(" more characters cut]");
        }
        return b.toString();
    }

    private static long decodedSize(String base64) {
        return base64.length() / 4L * 3L;
    }
}
