package dev.drydock.sandbox;

/** The backend cannot work on this host or cluster (bubblewrap missing, API server unreachable). */
public class SandboxUnavailableException extends SandboxException {
    public SandboxUnavailableException(String message) {
        super(message);
    }

    public SandboxUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
