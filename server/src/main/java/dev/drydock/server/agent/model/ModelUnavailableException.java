package dev.drydock.server.agent.model;

/** The model endpoint could not be reached or failed; a transient condition the loop retries. */
public class ModelUnavailableException extends RuntimeException {
    public ModelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public ModelUnavailableException(String message) {
        super(message);
    }
}
