package dev.drydock.server.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.drydock.server.agent.tool.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A signed statement "the audit chain had {@code seq} records and its newest hash was {@code
 * headHash} at {@code time}", written outside the database. Deleting the newest rows or rewriting a
 * row and rehashing everything after it cannot reproduce a checkpointed hash without the private key,
 * so {@link AuditVerification} reports both. Pure: no files, no clock.
 *
 * @param key the signing key's fingerprint ({@link CheckpointKey#fingerprint})
 * @param signature base64 Ed25519 signature over {@link #payload()}
 */
public record AuditCheckpoint(long seq, String headHash, String time, String key, String signature) {
    private static final JsonFactory FACTORY = new JsonFactory();

    /** The exact bytes that are signed. */
    public byte[] payload() {
        return payload(seq, headHash, time);
    }

    static byte[] payload(long seq, String headHash, String time) {
        return ("drydock-audit-checkpoint\n" + seq + "\n" + headHash + "\n" + time).getBytes(StandardCharsets.UTF_8);
    }

    /** One JSON line, as appended to {@code checkpoints.jsonl}. */
    public String line() {
        return "{\"seq\":" + seq + ",\"headHash\":" + Json.quote(headHash) + ",\"time\":" + Json.quote(time)
                + ",\"key\":" + Json.quote(key) + ",\"signature\":" + Json.quote(signature) + "}";
    }

    /**
     * Reads a line written by {@link #line()}; the signature is not checked here.
     *
     * @throws IllegalArgumentException when the line is not a checkpoint
     */
    public static AuditCheckpoint parse(String line) {
        Map<String, String> text = new HashMap<>();
        long seq = -1;
        try (JsonParser p = FACTORY.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (text.containsKey(name) || (name.equals("seq") && seq >= 0)) {
                    throw new IllegalArgumentException("duplicate '" + name + "'");
                }
                if (name.equals("seq") && value == JsonToken.VALUE_NUMBER_INT) {
                    seq = p.getLongValue();
                } else if (value == JsonToken.VALUE_STRING) {
                    text.put(name, p.getText());
                } else {
                    throw new IllegalArgumentException("unexpected value of '" + name + "'");
                }
            }
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("text after the object");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON", e);
        }
        for (String required : List.of("headHash", "time", "key", "signature")) {
            if (!text.containsKey(required)) {
                throw new IllegalArgumentException("missing '" + required + "'");
            }
        }
        if (seq < 0) {
            throw new IllegalArgumentException("missing 'seq'");
        }
        return new AuditCheckpoint(
                seq,
                present(text, "headHash"),
                present(text, "time"),
                present(text, "key"),
                present(text, "signature"));
    }

    /** A field checked as required above (Jackson's text of a present field is never null). */
    private static String present(Map<String, String> text, String name) {
        return Objects.requireNonNull(text.get(name), name);
    }
}
