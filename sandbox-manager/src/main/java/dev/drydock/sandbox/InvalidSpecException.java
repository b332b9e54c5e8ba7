package dev.drydock.sandbox;

/** A spec, limit, request or option is invalid. Nothing was created or started. */
public class InvalidSpecException extends SandboxException {
    public InvalidSpecException(String message) {
        super(message);
    }
}
