package dev.drydock.server.delivery;

import dev.drydock.server.auth.CurrentUser;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code /api/workspaces/{ws}/deliverables}: sessions → branches → merge requests → merged or closed, with churn. */
@Path("/api/workspaces/{workspace}/deliverables")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class DeliverablesResource {
    @Inject
    CurrentUser currentUser;

    @Inject
    Deliverables deliverables;

    @GET
    @Operation(
            summary =
                    "A workspace's deliverables: counts, and per session its branch, merge request (state, approvals, governance violation) and code churn; viewers")
    public Deliverables.View get(@PathParam("workspace") String workspace) {
        return deliverables.view(currentUser.principal(), workspace);
    }
}
