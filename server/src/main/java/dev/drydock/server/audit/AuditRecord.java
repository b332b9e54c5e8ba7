package dev.drydock.server.audit;

import dev.drydock.server.agent.tool.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One sealed record of the audit chain. Its hash covers every field and the previous record's hash:
 * {@code sha256(prevHash + "\n" + canonical(fields))}. Pure: no database, no clock.
 */
public record AuditRecord(
        long seq,
        String recordedAt,
        String actor,
        @Nullable String workspace,
        @Nullable String sessionId,
        String action,
        String target,
        String details,
        String prevHash,
        String hash) {

    /** The previous hash of the first record. */
    public static final String GENESIS = "0".repeat(64);

    /** Seals an entry after {@code prevHash} as record number {@code seq}. */
    public static AuditRecord seal(long seq, String recordedAt, AuditEntry entry, String prevHash) {
        String details = canonicalJson(entry.details());
        String hash = hashOf(
                seq,
                recordedAt,
                entry.actor(),
                entry.workspace(),
                entry.sessionId(),
                entry.action(),
                entry.target(),
                details,
                prevHash);
        return new AuditRecord(
                seq,
                recordedAt,
                entry.actor(),
                entry.workspace(),
                entry.sessionId(),
                entry.action(),
                entry.target(),
                details,
                prevHash,
                hash);
    }

    /** Recomputes this record's hash from its fields (what verification compares). */
    public String recomputeHash() {
        return hashOf(seq, recordedAt, actor, workspace, sessionId, action, target, details, prevHash);
    }

    static String hashOf(
            long seq,
            String at,
            String actor,
            @Nullable String workspace,
            @Nullable String session,
            String action,
            String target,
            String details,
            String prevHash) {
        String canonical = String.join(
                "\n",
                Long.toString(seq),
                at,
                escape(actor),
                escape(workspace),
                escape(session),
                escape(action),
                escape(target),
                details);
        return sha256(prevHash + "\n" + canonical);
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sorted keys, JSON string values, no whitespace: the same map always gives the same text. */
    static String canonicalJson(Map<String, String> details) {
        StringBuilder out = new StringBuilder("{");
        details.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(Json.quote(e.getKey())).append(':').append(Json.quote(e.getValue()));
        });
        return out.append('}').toString();
    }

    private static String escape(@Nullable String s) {
        return s == null ? "\u0000" : s.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
