package dev.drydock.inference;

/**
 * A model could not be loaded: a missing file, a checksum mismatch, a bad setting, inputs the
 * pipeline cannot feed. The message says what is wrong and where, without a stack trace being
 * needed.
 */
public final class ModelLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
