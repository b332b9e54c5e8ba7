package dev.drydock.server.workspace;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Data classification of code and content, lowest first; model endpoints carry a clearance on the same scale. */
public enum Classification {
    PUBLIC,
    INTERNAL,
    CONFIDENTIAL,
    SECRET;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Classification> parse(String label) {
        return Arrays.stream(values()).filter(c -> c.label().equals(label)).findFirst();
    }
}
