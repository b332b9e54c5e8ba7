package dev.drydock.server.workspace;

import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.auth.Roles;
import dev.drydock.server.user.UserService;
import dev.drydock.server.workspace.WorkspaceService.PolicyView;
import dev.drydock.server.workspace.WorkspaceService.WorkspaceView;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code /api/workspaces}: the caller's workspaces and their policies. */
@Path("/api/workspaces")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class WorkspaceResource {
    @Inject
    CurrentUser currentUser;

    @Inject
    WorkspaceService workspaces;

    @Inject
    UserService users;

    /** Body of a create request. */
    public record CreateWorkspace(String slug, String displayName) {}

    @GET
    @Operation(summary = "The workspaces the caller belongs to (all of them for drydock admins)")
    public List<WorkspaceView> list() {
        var principal = currentUser.principal();
        users.recordSeen(principal);
        return workspaces.list(principal);
    }

    @POST
    @RolesAllowed(Roles.DRYDOCK_ADMIN)
    @Operation(summary = "Create a workspace (its Keycloak groups /workspaces/<slug>/… are managed in Keycloak)")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(CreateWorkspace body) {
        if (body == null) {
            throw dev.drydock.server.problem.ProblemException.badRequest(
                    "a body with slug and displayName is required");
        }
        WorkspaceView created = workspaces.create(currentUser.principal(), body.slug(), body.displayName());
        return Response.created(URI.create("/api/workspaces/" + created.slug()))
                .entity(created)
                .build();
    }

    @GET
    @Path("/{slug}")
    @Operation(summary = "One workspace with its policy")
    public WorkspaceView get(@PathParam("slug") String slug) {
        return workspaces.get(currentUser.principal(), slug);
    }

    @PUT
    @Path("/{slug}/policy")
    @Operation(summary = "Replace a workspace's policy (workspace admins)")
    @Consumes(MediaType.APPLICATION_JSON)
    public WorkspaceView updatePolicy(@PathParam("slug") String slug, PolicyView policy) {
        return workspaces.updatePolicy(currentUser.principal(), slug, policy);
    }
}
