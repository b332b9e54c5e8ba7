package dev.drydock.server.delivery;

import dev.drydock.server.auth.CurrentUser;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/** {@code /api/workspaces/{ws}/repositories/{name}/delivery}: where a repository's merge requests are opened. */
@Path("/api/workspaces/{workspace}/repositories/{name}/delivery")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class DeliverySettingsResource {
    @Inject
    CurrentUser currentUser;

    @Inject
    DeliveryService delivery;

    @GET
    @Operation(summary = "A repository's git server for merge requests (kind, API URL, project, protected branches)")
    public DeliveryService.SettingsView get(@PathParam("workspace") String workspace, @PathParam("name") String name) {
        return delivery.settings(currentUser.principal(), workspace, name);
    }

    @PUT
    @Operation(summary = "Set a repository's git server for merge requests; workspace admins")
    @Consumes(MediaType.APPLICATION_JSON)
    public DeliveryService.SettingsView put(
            @PathParam("workspace") String workspace,
            @PathParam("name") String name,
            DeliveryService.@Nullable SettingsRequest request) {
        return delivery.saveSettings(currentUser.principal(), workspace, name, request);
    }
}
