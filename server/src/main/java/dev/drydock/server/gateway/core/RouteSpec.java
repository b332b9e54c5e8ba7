package dev.drydock.server.gateway.core;

import java.util.List;

/**
 * Maps (workspace, droid, purpose) to an ordered list of endpoint names; {@code *} matches anything.
 * The most specific matching route wins (an exact workspace beats an exact droid beats an exact purpose).
 */
public record RouteSpec(String name, String workspace, String droid, String purpose, List<String> endpoints) {
    public static final String ANY = "*";

    public RouteSpec {
        endpoints = List.copyOf(endpoints);
    }

    public boolean matches(String ws, String dr, String pu) {
        return (workspace.equals(ANY) || workspace.equals(ws))
                && (droid.equals(ANY) || droid.equals(dr))
                && (purpose.equals(ANY) || purpose.equals(pu));
    }

    /** Higher is more specific. */
    public int specificity() {
        return (workspace.equals(ANY) ? 0 : 4) + (droid.equals(ANY) ? 0 : 2) + (purpose.equals(ANY) ? 0 : 1);
    }
}
