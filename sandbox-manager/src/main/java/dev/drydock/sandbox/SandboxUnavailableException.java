package dev.drydock.sandbox;

import org.jspecify.annotations.Nullable;

/** The backend cannot work on this host or cluster (bubblewrap missing, API server unreachable). */
public class SandboxUnavailableException extends SandboxException {
    public SandboxUnavailableException(String message) {
        super(message);
    }

    public SandboxUnavailableException(@Nullable String message, Throwable cause) {
        super(message, cause);
    }
}
