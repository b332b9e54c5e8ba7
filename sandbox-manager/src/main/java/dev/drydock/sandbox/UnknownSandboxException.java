package dev.drydock.sandbox;

/** No sandbox with this id exists in the backend (never created, destroyed, or reaped). */
public class UnknownSandboxException extends SandboxException {
    public UnknownSandboxException(SandboxId id) {
        super("unknown sandbox id: " + id.value());
    }

    public UnknownSandboxException(String message) {
        super(message);
    }
}
