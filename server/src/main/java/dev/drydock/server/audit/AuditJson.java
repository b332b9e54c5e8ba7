package dev.drydock.server.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.drydock.server.agent.tool.Json;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The JSON-lines shape of an exported record (the same for the API and the CLI), and its parser. */
public final class AuditJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private AuditJson() {}

    /**
     * Reads a line written by {@link #line}, keeping {@code details} exactly as exported (the canonical
     * text the hash covers), so that a copy of the log can be verified away from the server.
     *
     * @throws IllegalArgumentException when the line is not such a record
     */
    public static AuditRecord parse(String line) {
        Map<String, String> text = new HashMap<>();
        long seq = -1;
        String details = null;
        try (JsonParser p = FACTORY.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("details") && value == JsonToken.START_OBJECT) {
                    int start = (int) p.currentTokenLocation().getCharOffset();
                    p.skipChildren();
                    details = line.substring(start, (int) p.currentLocation().getCharOffset());
                } else if (name.equals("seq") && value == JsonToken.VALUE_NUMBER_INT) {
                    seq = p.getLongValue();
                } else if (value == JsonToken.VALUE_STRING) {
                    text.put(name, p.getText());
                } else if (value != JsonToken.VALUE_NULL) {
                    throw new IllegalArgumentException("unexpected value of '" + name + "'");
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "not valid JSON: "
                            + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                                    ? j.getOriginalMessage()
                                    : e.getMessage()),
                    e);
        }
        for (String required : List.of("at", "actor", "action", "target", "prevHash", "hash")) {
            if (!text.containsKey(required)) {
                throw new IllegalArgumentException("missing '" + required + "'");
            }
        }
        if (seq < 1 || details == null) {
            throw new IllegalArgumentException(seq < 1 ? "missing 'seq'" : "missing 'details'");
        }
        return new AuditRecord(
                seq,
                present(text, "at"),
                present(text, "actor"),
                text.get("workspace"),
                text.get("session"),
                present(text, "action"),
                present(text, "target"),
                details,
                present(text, "prevHash"),
                present(text, "hash"));
    }

    public static String line(AuditRecord r) {
        return "{\"seq\":" + r.seq()
                + ",\"at\":" + Json.quote(r.recordedAt())
                + ",\"actor\":" + Json.quote(r.actor())
                + ",\"workspace\":" + (r.workspace() == null ? "null" : Json.quote(r.workspace()))
                + ",\"session\":" + (r.sessionId() == null ? "null" : Json.quote(r.sessionId()))
                + ",\"action\":" + Json.quote(r.action())
                + ",\"target\":" + Json.quote(r.target())
                + ",\"details\":" + r.details()
                + ",\"prevHash\":\"" + r.prevHash() + "\""
                + ",\"hash\":\"" + r.hash() + "\"}";
    }

    /** A field checked as required above (Jackson's text of a present field is never null). */
    private static String present(Map<String, String> text, String name) {
        return Objects.requireNonNull(text.get(name), name);
    }
}
