package dev.drydock.server.secret;

import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.secret.WorkspaceSecrets.SecretView;
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

/** {@code /api/workspaces/{ws}/secrets}: a workspace's named secrets; workspace admins; values go in, never out. */
@Path("/api/workspaces/{workspace}/secrets")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class WorkspaceSecretResource {
    @Inject
    CurrentUser currentUser;

    @Inject
    WorkspaceSecrets secrets;

    /** Body of a stored secret. */
    public record SecretInput(@Nullable String value) {}

    @GET
    @Operation(
            summary =
                    "Names of the workspace's secrets, with who stored them and when (never the values); workspace admins")
    public List<SecretView> list(@PathParam("workspace") String workspace) {
        return secrets.list(currentUser.principal(), workspace);
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "Store or replace a secret of the workspace (e.g. a git token); workspace admins; the value is never returned")
    public SecretView put(
            @PathParam("workspace") String workspace, @PathParam("name") String name, @Nullable SecretInput in) {
        return secrets.put(currentUser.principal(), workspace, name, in == null ? null : in.value());
    }

    @DELETE
    @Path("/{name}")
    @Operation(summary = "Remove a secret of the workspace; workspace admins")
    public Response delete(@PathParam("workspace") String workspace, @PathParam("name") String name) {
        secrets.delete(currentUser.principal(), workspace, name);
        return Response.noContent().build();
    }
}
