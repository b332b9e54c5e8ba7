package dev.drydock.server.gateway.core;

import dev.drydock.server.classification.Classification;
import org.jspecify.annotations.Nullable;

/**
 * Who asks, for what, and how sensitive the content is. {@code model} is what the caller named: an
 * endpoint name, or a purpose resolved through the routes (null: the purpose field decides).
 */
public record CallContext(
        String userSubject,
        String username,
        String workspace,
        @Nullable String sessionId,
        String droid,
        String purpose,
        @Nullable String model,
        Classification classification,
        String channel) {

    public static CallContext of(String username, String workspace, String purpose, Classification classification) {
        return new CallContext(
                username, username, workspace, null, RouteSpec.ANY, purpose, null, classification, "java");
    }

    public CallContext withModel(@Nullable String m) {
        return new CallContext(userSubject, username, workspace, sessionId, droid, purpose, m, classification, channel);
    }

    public CallContext withSession(@Nullable String s) {
        return new CallContext(userSubject, username, workspace, s, droid, purpose, model, classification, channel);
    }
}
