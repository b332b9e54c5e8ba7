package dev.drydock.server.gateway.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.jspecify.annotations.Nullable;

/**
 * A chat completion request in OpenAI's shape. {@code messages} and {@code tools} are kept as JSON so
 * that every message form (tool results, content parts) passes through unchanged.
 */
public record ChatRequest(
        ArrayNode messages,
        @Nullable ArrayNode tools,
        @Nullable JsonNode toolChoice,
        boolean jsonMode,
        @Nullable Integer maxTokens,
        @Nullable Double temperature,
        boolean stream) {

    public ChatRequest withMessages(ArrayNode m) {
        return new ChatRequest(m, tools, toolChoice, jsonMode, maxTokens, temperature, stream);
    }

    public boolean hasTools() {
        return tools != null && !tools.isEmpty();
    }
}
