package dev.drydock.server.appliance;

/**
 * A start-up failure the operator can fix: it names the component and the fix, and is shown as one
 * message without a stack trace.
 */
public final class ApplianceException extends RuntimeException {
    private final String component;

    public ApplianceException(String component, String message) {
        super(message);
        this.component = component;
    }

    public ApplianceException(String component, String message, Throwable cause) {
        super(message, cause);
        this.component = component;
    }

    /** The component that failed: {@code postgresql}, {@code keycloak}, {@code http}, … */
    public String component() {
        return component;
    }
}
