package dev.drydock.server.audit;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What happened, before it is sealed into the chain: who did what to which target, in which
 * workspace and session, with details (string values; sorted for a canonical hash).
 */
public record AuditEntry(
        String actor,
        @Nullable String workspace,
        @Nullable String sessionId,
        String action,
        String target,
        Map<String, String> details) {

    public AuditEntry {
        // PostgreSQL keeps no NUL in text: a caller's NUL (a body field, a header) is recorded as U+FFFD
        // rather than losing the record
        actor = printable(Objects.requireNonNull(actor, "actor"));
        action = printable(Objects.requireNonNull(action, "action"));
        target = printable(Objects.requireNonNull(target, "target"));
        workspace = workspace == null ? null : printable(workspace);
        sessionId = sessionId == null ? null : printable(sessionId);
        Map<String, String> sorted = new TreeMap<>();
        details.forEach((k, v) -> sorted.put(printable(k), printable(v)));
        details = sorted;
    }

    private static String printable(String text) {
        return text.indexOf('\0') < 0 ? text : text.replace('\0', '\uFFFD');
    }

    public static AuditEntry of(String actor, String action, String target) {
        return new AuditEntry(actor, null, null, action, target, Map.of());
    }

    public AuditEntry inWorkspace(@Nullable String ws) {
        return new AuditEntry(actor, ws, sessionId, action, target, details);
    }

    public AuditEntry inSession(@Nullable String session) {
        return new AuditEntry(actor, workspace, session, action, target, details);
    }

    public AuditEntry with(String key, @Nullable Object value) {
        Map<String, String> more = new TreeMap<>(details);
        more.put(key, String.valueOf(value));
        return new AuditEntry(actor, workspace, sessionId, action, target, more);
    }
}
