package dev.drydock.server.auth;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One workspace a person belongs to, derived from a Keycloak group path {@code
 * /workspaces/<slug>/<admins|members|viewers>}. A person in several subgroups of one workspace holds
 * the highest of those roles.
 */
public record WorkspaceMembership(String workspace, WorkspaceRole role) {
    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /** Memberships from the {@code groups} claim; paths that are not workspace groups are ignored. */
    public static List<WorkspaceMembership> fromGroups(Collection<String> groupPaths) {
        Map<String, WorkspaceRole> best = new TreeMap<>();
        for (String path : groupPaths) {
            parse(path).ifPresent(m -> best.merge(m.workspace(), m.role(), (a, b) -> a.atLeast(b) ? a : b));
        }
        return best.entrySet().stream()
                .map(e -> new WorkspaceMembership(e.getKey(), e.getValue()))
                .toList();
    }

    static Optional<WorkspaceMembership> parse(String path) {
        String[] parts = path.split("/", -1);
        if (parts.length != 4
                || !parts[0].isEmpty()
                || !parts[1].equals("workspaces")
                || !SLUG.matcher(parts[2]).matches()) {
            return Optional.empty();
        }
        return WorkspaceRole.ofGroupName(parts[3]).map(role -> new WorkspaceMembership(parts[2], role));
    }
}
