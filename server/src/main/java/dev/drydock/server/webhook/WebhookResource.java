package dev.drydock.server.webhook;

import dev.drydock.server.auth.CurrentUser;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/** {@code /api/workspaces/{ws}/webhooks}: a workspace's receivers of signed event deliveries; workspace admins. */
@Path("/api/workspaces/{workspace}/webhooks")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {
    @Inject
    CurrentUser currentUser;

    @Inject
    Webhooks webhooks;

    @GET
    @Operation(summary = "The workspace's webhooks")
    public List<Webhooks.WebhookView> list(@PathParam("workspace") String workspace) {
        return webhooks.list(currentUser.principal(), workspace);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "Register a receiver: url, events (session.finished, approval.needed, merge-request.opened), secret (a workspace secret's name that signs)")
    public Response create(@PathParam("workspace") String workspace, Webhooks.@Nullable CreateRequest request) {
        return Response.status(201)
                .entity(webhooks.create(currentUser.principal(), workspace, request))
                .build();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Remove a receiver and its delivery log")
    public Response delete(@PathParam("workspace") String workspace, @PathParam("id") String id) {
        webhooks.delete(currentUser.principal(), workspace, id);
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/deliveries")
    @Operation(summary = "A receiver's deliveries, newest first: state, attempts, last status and error")
    public List<Webhooks.DeliveryView> deliveries(
            @PathParam("workspace") String workspace,
            @PathParam("id") String id,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        return webhooks.deliveries(currentUser.principal(), workspace, id, limit);
    }

    @POST
    @Path("/{id}/deliveries/{delivery}/redeliver")
    @Operation(summary = "Queue a delivery again with the same body")
    public Response redeliver(
            @PathParam("workspace") String workspace,
            @PathParam("id") String id,
            @PathParam("delivery") String delivery) {
        return Response.accepted(webhooks.redeliver(currentUser.principal(), workspace, id, delivery))
                .build();
    }

    @POST
    @Path("/{id}/ping")
    @Operation(summary = "Queue a signed ping to the receiver, to check its setup")
    public Response ping(@PathParam("workspace") String workspace, @PathParam("id") String id) {
        return Response.accepted(webhooks.ping(currentUser.principal(), workspace, id))
                .build();
    }
}
