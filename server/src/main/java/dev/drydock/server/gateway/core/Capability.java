package dev.drydock.server.gateway.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What an endpoint's model can do natively. */
public enum Capability {
    TOOLS,
    STREAMING,
    JSON_MODE;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<Capability> parse(String text) {
        return Arrays.stream(values())
                .filter(c -> c.label().equals(text.trim().toLowerCase(Locale.ROOT)))
                .findFirst();
    }
}
