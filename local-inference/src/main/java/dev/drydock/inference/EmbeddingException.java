package dev.drydock.inference;

import org.jspecify.annotations.Nullable;

/** The inference runtime failed while embedding. Not caused by the texts: any text is valid input. */
public final class EmbeddingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EmbeddingException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
