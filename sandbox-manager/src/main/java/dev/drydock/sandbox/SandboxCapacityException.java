package dev.drydock.sandbox;

import org.jspecify.annotations.Nullable;

/**
 * The host or cluster has no room for another sandbox now (every sandbox uid of the host is leased,
 * the namespace's resource quota is used up): the same request can succeed once a sandbox ends, so a
 * caller queues it rather than failing it.
 */
public class SandboxCapacityException extends SandboxUnavailableException {
    public SandboxCapacityException(String message) {
        super(message);
    }

    public SandboxCapacityException(@Nullable String message, Throwable cause) {
        super(message, cause);
    }
}
