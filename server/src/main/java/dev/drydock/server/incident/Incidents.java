package dev.drydock.server.incident;

import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.WorkspaceAccess;
import dev.drydock.server.auth.WorkspaceRole;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** A workspace's incidents as its viewers read them. */
@ApplicationScoped
public class Incidents {
    @Inject
    IncidentStore store;

    public List<IncidentStore.Incident> list(Principal who, String workspace, int limit) {
        WorkspaceAccess.require(who, workspace, WorkspaceRole.VIEWER);
        return store.list(workspace, Math.max(1, Math.min(500, limit)));
    }
}
