package dev.drydock.server.gateway.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.jspecify.annotations.Nullable;

/**
 * A chat completion request in OpenAI's shape. {@code messages} and {@code tools} are kept as JSON so
 * that every message form (tool results, content parts) passes through unchanged. {@code
 * encodedMessages}, when set, is {@code messages} serialised exactly as they are sent (and
 * fingerprinted); protocol clients that send OpenAI's shape write these bytes instead of serialising
 * again.
 */
public record ChatRequest(
        ArrayNode messages,
        @Nullable ArrayNode tools,
        @Nullable JsonNode toolChoice,
        boolean jsonMode,
        @Nullable Integer maxTokens,
        @Nullable Double temperature,
        boolean stream,
        @Nullable EncodedJson encodedMessages) {

    public ChatRequest(
            ArrayNode messages,
            @Nullable ArrayNode tools,
            @Nullable JsonNode toolChoice,
            boolean jsonMode,
            @Nullable Integer maxTokens,
            @Nullable Double temperature,
            boolean stream) {
        this(messages, tools, toolChoice, jsonMode, maxTokens, temperature, stream, null);
    }

    public ChatRequest withMessages(ArrayNode m) {
        return new ChatRequest(m, tools, toolChoice, jsonMode, maxTokens, temperature, stream, null);
    }

    /** The same request carrying its messages' serialised form, which must be {@code messages} exactly. */
    public ChatRequest withEncodedMessages(EncodedJson encoded) {
        return new ChatRequest(messages, tools, toolChoice, jsonMode, maxTokens, temperature, stream, encoded);
    }

    public boolean hasTools() {
        return tools != null && !tools.isEmpty();
    }
}
