package dev.drydock.server.session;

import dev.drydock.server.auth.CurrentUser;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code /api/workspaces/{workspace}/memories}: what droids remembered for later sessions. */
@Path("/api/workspaces/{workspace}/memories")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class MemoryResource {
    @Inject
    CurrentUser currentUser;

    @Inject
    MemoryService memories;

    @GET
    @Operation(summary = "Facts droids remembered in the workspace, newest first (viewers and up)")
    public List<MemoryService.MemoryView> list(@PathParam("workspace") String workspace) {
        return memories.list(currentUser.principal(), workspace);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Forget one remembered fact (members and up)")
    public void delete(@PathParam("workspace") String workspace, @PathParam("id") long id) {
        memories.delete(currentUser.principal(), workspace, id);
    }
}
