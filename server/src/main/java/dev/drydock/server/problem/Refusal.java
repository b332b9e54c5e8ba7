package dev.drydock.server.problem;

import org.jspecify.annotations.Nullable;

/**
 * A request that the security layer refused and {@link ProblemMappers} answered, announced as a CDI
 * event so that the audit side can record it. The problem package does not know who listens.
 */
public sealed interface Refusal {
    /** The request path. */
    String path();

    /** The client's address. */
    String client();

    /** A bearer token was refused (401); {@code token} is the raw, unverified token, null when none was sent. */
    record TokenRefused(@Nullable String token, String path, String client) implements Refusal {}

    /** A signed-in caller's roles do not allow the operation (403). */
    record RolesRefused(String subject, String username, String path, String client) implements Refusal {}
}
