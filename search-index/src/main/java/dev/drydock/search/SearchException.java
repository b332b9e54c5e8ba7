package dev.drydock.search;

/**
 * A problem the caller can fix (missing source, empty repository, incompatible or corrupt index),
 * with a message meant for people: one line, saying what to do.
 */
public class SearchException extends RuntimeException {
    public SearchException(String message) {
        super(message);
    }

    public SearchException(String message, Throwable cause) {
        super(message, cause);
    }
}
