package dev.drydock.server.gateway.core;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * The parts of one {@code chat.completion.chunk} the gateway uses, read with Jackson's streaming
 * parser: the first choice's content delta, tool-call deltas and finish reason, the usage and an
 * error. A streamed answer is dozens to thousands of chunks, and building a full tree of each (ids,
 * model names, timestamps and all) was the largest part of the gateway's own work per stream. Fields
 * it does not use are skipped without being materialised; the rare parts (tool calls, usage, error)
 * are read as trees, exactly as before.
 *
 * @param error        the {@code error} member, when present (an endpoint failing mid-stream)
 * @param usage        the {@code usage} member when present and not null
 * @param hasChoice    whether {@code choices[0]} exists
 * @param content      the first choice's {@code delta.content} when it is a string
 * @param toolCalls    the first choice's {@code delta.tool_calls}, when present
 * @param finishReason the first choice's {@code finish_reason} as text, when present and not null
 */
record OpenAiChunk(
        @Nullable JsonNode error,
        @Nullable JsonNode usage,
        boolean hasChoice,
        @Nullable String content,
        @Nullable JsonNode toolCalls,
        @Nullable String finishReason) {

    /**
     * Reads one chunk.
     *
     * @throws NotAnObject             when the text is valid JSON but not an object (or empty)
     * @throws JsonProcessingException when it is not JSON
     * @throws IOException             never for a string, but the parser declares it
     */
    static OpenAiChunk read(ObjectMapper json, String text) throws IOException, NotAnObject {
        try (JsonParser p = json.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new NotAnObject();
            }
            JsonNode error = null;
            JsonNode usage = null;
            Choice choice = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "error" -> error = json.readTree(p);
                    case "usage" -> usage = value == JsonToken.VALUE_NULL ? null : json.readTree(p);
                    case "choices" -> choice = value == JsonToken.START_ARRAY ? firstChoice(json, p) : skip(p);
                    default -> p.skipChildren();
                }
            }
            return choice == null
                    ? new OpenAiChunk(error, usage, false, null, null, null)
                    : new OpenAiChunk(error, usage, true, choice.content, choice.toolCalls, choice.finishReason);
        }
    }

    /** Reads {@code choices} (the parser is on its {@code [}): the first element in detail, the rest skipped. */
    private static @Nullable Choice firstChoice(ObjectMapper json, JsonParser p) throws IOException {
        Choice first = null;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
            if (first != null) {
                p.skipChildren();
            } else if (t == JsonToken.START_OBJECT) {
                first = choice(json, p);
            } else {
                // a choice that is not an object carries nothing the gateway reads, but it is the first
                first = new Choice();
                p.skipChildren();
            }
        }
        return first;
    }

    private static Choice choice(ObjectMapper json, JsonParser p) throws IOException {
        Choice c = new Choice();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("delta") && value == JsonToken.START_OBJECT) {
                delta(json, p, c);
            } else if (name.equals("finish_reason") && value != JsonToken.VALUE_NULL) {
                c.finishReason = value.isScalarValue()
                        ? p.getValueAsString()
                        : json.<JsonNode>readTree(p).asText();
            } else {
                p.skipChildren();
            }
        }
        return c;
    }

    private static void delta(ObjectMapper json, JsonParser p, Choice c) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("content")) {
                c.content = value == JsonToken.VALUE_STRING ? p.getText() : null;
                p.skipChildren();
            } else if (name.equals("tool_calls")) {
                c.toolCalls = json.readTree(p);
            } else {
                p.skipChildren();
            }
        }
    }

    private static @Nullable Choice skip(JsonParser p) throws IOException {
        p.skipChildren();
        return null;
    }

    /** The first choice while it is read. */
    private static final class Choice {
        @Nullable
        String content;

        @Nullable
        JsonNode toolCalls;

        @Nullable
        String finishReason;
    }

    /** Valid JSON that is not an object. */
    static final class NotAnObject extends Exception {
        NotAnObject() {
            super(null, null, false, false);
        }
    }
}
