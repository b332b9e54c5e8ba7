package dev.drydock.server.gateway.frontdoor;

import dev.drydock.server.auth.Roles;
import dev.drydock.server.auth.WorkspaceMembership;
import dev.drydock.server.auth.WorkspaceRole;
import java.util.List;
import java.util.Optional;

/** Who calls the front door, from a verified Keycloak token or an API key. */
public record Caller(String subject, String username, List<String> roles, List<WorkspaceMembership> workspaces, String via) {
    public boolean isDrydockAdmin() {
        return roles.contains(Roles.DRYDOCK_ADMIN);
    }

    public Optional<WorkspaceRole> roleIn(String workspace) {
        if (isDrydockAdmin()) {
            return Optional.of(WorkspaceRole.ADMIN);
        }
        return workspaces.stream().filter(m -> m.workspace().equals(workspace)).map(WorkspaceMembership::role).findFirst();
    }
}
