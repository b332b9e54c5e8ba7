package dev.drydock.server.mirror;

import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.mirror.RepositorySetups.SetupView;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/** {@code /api/workspaces/{ws}/repositories/{repo}/setup}: the command a repository's sandboxes run before the droid starts (issue #18). */
@Path("/api/workspaces/{workspace}/repositories/{repo}/setup")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class RepositorySetupResource {
    @Inject
    CurrentUser currentUser;

    @Inject
    RepositorySetups setups;

    /** Body of a setup step. */
    public record SetupInput(@Nullable String command) {}

    @GET
    @Operation(summary = "A repository's registered setup command")
    public SetupView setup(@PathParam("workspace") String workspace, @PathParam("repo") String repo) {
        return setups.get(currentUser.principal(), workspace, repo);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "Register the command run when a sandbox is created, before the droid, with the mirror credentials; workspace admins")
    public SetupView putSetup(
            @PathParam("workspace") String workspace, @PathParam("repo") String repo, @Nullable SetupInput in) {
        return setups.put(currentUser.principal(), workspace, repo, in == null ? null : in.command());
    }

    @DELETE
    @Operation(summary = "Remove a repository's registered setup command; workspace admins")
    public Response deleteSetup(@PathParam("workspace") String workspace, @PathParam("repo") String repo) {
        setups.delete(currentUser.principal(), workspace, repo);
        return Response.noContent().build();
    }
}
