package dev.drydock.server.mirror;

import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.mirror.PackageMirrors.ChoiceView;
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
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/** {@code /api/workspaces/{ws}/package-mirrors}: the mirrors a workspace's sandboxes may reach, chosen by its admins (issue #18). */
@Path("/api/workspaces/{workspace}/package-mirrors")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class WorkspaceMirrorResource {
    @Inject
    CurrentUser currentUser;

    @Inject
    PackageMirrors mirrors;

    /** Body of a workspace's choice: the workspace secret ({@code token} or {@code user:password}) its setup steps authenticate with, if any. */
    public record ChoiceInput(@Nullable String credentialsSecret) {}

    @GET
    @Operation(summary = "The package mirrors the workspace's sandboxes may reach")
    public List<ChoiceView> chosen(@PathParam("workspace") String workspace) {
        return mirrors.chosen(currentUser.principal(), workspace);
    }

    @PUT
    @Path("/{mirror}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "Let the workspace's sandboxes reach a declared mirror, optionally naming the secret its setup steps use; workspace admins")
    public ChoiceView choose(
            @PathParam("workspace") String workspace, @PathParam("mirror") String mirror, @Nullable ChoiceInput in) {
        return mirrors.choose(currentUser.principal(), workspace, mirror, in == null ? null : in.credentialsSecret());
    }

    @DELETE
    @Path("/{mirror}")
    @Operation(summary = "Stop the workspace's sandboxes reaching a mirror; workspace admins")
    public Response unchoose(@PathParam("workspace") String workspace, @PathParam("mirror") String mirror) {
        mirrors.unchoose(currentUser.principal(), workspace, mirror);
        return Response.noContent().build();
    }
}
