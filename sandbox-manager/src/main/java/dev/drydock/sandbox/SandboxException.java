package dev.drydock.sandbox;

import org.jspecify.annotations.Nullable;

/** Base of every error the sandbox manager reports to its callers. Messages are meant for humans. */
public class SandboxException extends RuntimeException {
    public SandboxException(String message) {
        super(message);
    }

    public SandboxException(@Nullable String message, Throwable cause) {
        super(message, cause);
    }
}
