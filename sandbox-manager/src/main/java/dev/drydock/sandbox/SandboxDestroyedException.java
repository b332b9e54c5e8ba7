package dev.drydock.sandbox;

/** An operation was attempted on a sandbox that has been destroyed (explicitly or by its TTL). */
public class SandboxDestroyedException extends SandboxException {
    public SandboxDestroyedException(SandboxId id) {
        super("sandbox " + id.value() + " has been destroyed");
    }
}
