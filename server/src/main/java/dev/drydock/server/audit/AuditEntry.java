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
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        details = new TreeMap<>(details);
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
