package dev.drydock.server.classification;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Data classification, lowest first: of workspaces, repositories and paths in them (their labels),
 * of a model request (the highest label of the content in it), and of model endpoints (the highest
 * level they are cleared for).
 */
public enum Classification {
    PUBLIC,
    INTERNAL,
    CONFIDENTIAL,
    SECRET;

    /** The lower-case name used in configuration and JSON. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when content of {@code level} may be sent to an endpoint cleared for this level. */
    public boolean clears(Classification level) {
        return compareTo(level) >= 0;
    }

    /** The higher of the two. */
    public Classification max(Classification other) {
        return compareTo(other) >= 0 ? this : other;
    }

    public static Optional<Classification> parse(String text) {
        return Arrays.stream(values())
                .filter(c -> c.label().equals(text.trim().toLowerCase(Locale.ROOT)))
                .findFirst();
    }

    public static String labels() {
        return String.join(
                ", ", Arrays.stream(values()).map(Classification::label).toList());
    }
}
