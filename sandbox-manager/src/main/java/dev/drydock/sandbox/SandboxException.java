package dev.drydock.sandbox;

/** Base of every error the sandbox manager reports to its callers. Messages are meant for humans. */
public class SandboxException extends RuntimeException {
    public SandboxException(String message) {
        super(message);
    }

    public SandboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
