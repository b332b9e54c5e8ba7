package dev.drydock.server.delivery;

import dev.drydock.server.auth.CurrentUser;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/** {@code /api/sessions/{id}/delivery}: a session's agent branch, its push and its merge request. */
@Path("/api/sessions/{id}/delivery")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class DeliveryResource {
    @Inject
    CurrentUser currentUser;

    @Inject
    DeliveryService delivery;

    @Context
    UriInfo uri;

    @GET
    @Operation(
            summary = "The session's agent branch (kept in the server's mirror), its last push and its merge request")
    public DeliveryService.DeliveryView get(@PathParam("id") String id) {
        return delivery.view(currentUser.principal(), id);
    }

    @GET
    @Path("/patch")
    @Produces({"text/x-patch", MediaType.APPLICATION_JSON})
    @Operation(
            summary =
                    "The agent branch's commits as git format-patch writes them (apply with git am); anyone who may read the session")
    public jakarta.ws.rs.core.Response patch(@PathParam("id") String id) {
        DeliveryService.Patch patch = delivery.patch(currentUser.principal(), id);
        return jakarta.ws.rs.core.Response.ok(patch.text(), "text/x-patch; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + patch.filename() + "\"")
                .build();
    }

    @POST
    @Path("/push")
    @Operation(
            summary =
                    "Push the agent branch to the repository's git server (drydock/* branches only); workspace members")
    @Consumes(MediaType.APPLICATION_JSON)
    public DeliveryService.DeliveryView push(
            @PathParam("id") String id, DeliveryService.@Nullable PushRequest request) {
        return delivery.push(currentUser.principal(), id, request);
    }

    @POST
    @Path("/merge-request")
    @Operation(
            summary =
                    "Push the agent branch and open its merge request, or update it when the session continued; workspace members")
    public DeliveryService.DeliveryView mergeRequest(@PathParam("id") String id) {
        return delivery.deliver(currentUser.principal(), id, sessionLink(uri.getBaseUri(), id));
    }

    public static URI sessionLink(URI base, String id) {
        // the id as the caller sent it, encoded: a session that does not exist is refused after this
        return jakarta.ws.rs.core.UriBuilder.fromUri(base)
                .replacePath("/portal/sessions/{id}")
                .build(id);
    }
}
