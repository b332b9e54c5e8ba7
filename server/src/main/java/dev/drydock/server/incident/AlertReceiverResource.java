package dev.drydock.server.incident;

import dev.drydock.server.auth.CurrentUser;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/** {@code /api/workspaces/{ws}/alert-receivers} (workspace admins) and {@code /incidents} (viewers). */
@Path("/api/workspaces/{workspace}")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class AlertReceiverResource {
    @Inject
    CurrentUser currentUser;

    @Inject
    AlertReceivers receivers;

    @Inject
    Incidents incidents;

    @GET
    @Path("/alert-receivers")
    @Operation(summary = "The workspace's Alertmanager receivers (credentials by secret name only); workspace admins")
    public List<AlertReceivers.Receiver> list(@PathParam("workspace") String workspace) {
        return receivers.list(currentUser.principal(), workspace);
    }

    @PUT
    @Path("/alert-receivers/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "Register or change an Alertmanager receiver: bearer or basic auth with a workspace secret, the repository its reliability sessions run on, where the RCA goes; workspace admins")
    public AlertReceivers.Receiver put(
            @PathParam("workspace") String workspace,
            @PathParam("name") String name,
            AlertReceivers.@Nullable Request request) {
        return receivers.put(currentUser.principal(), workspace, name, request);
    }

    @DELETE
    @Path("/alert-receivers/{name}")
    @Operation(summary = "Remove an Alertmanager receiver; workspace admins")
    public Response delete(@PathParam("workspace") String workspace, @PathParam("name") String name) {
        receivers.delete(currentUser.principal(), workspace, name);
        return Response.noContent().build();
    }

    @GET
    @Path("/incidents")
    @Operation(
            summary =
                    "Alert groups that started sessions, newest first: session, whether it resolved, where the RCA went; viewers")
    public List<IncidentStore.Incident> incidents(
            @PathParam("workspace") String workspace, @QueryParam("limit") @DefaultValue("100") int limit) {
        return incidents.list(currentUser.principal(), workspace, limit);
    }
}
