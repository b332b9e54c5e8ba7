package dev.drydock.server.ticket;

import dev.drydock.server.auth.CurrentUser;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/**
 * {@code /api/workspaces/{ws}/tickets}: the workspace's Jira Data Center connection (workspace
 * admins) and sessions started from a ticket (members).
 */
@Path("/api/workspaces/{workspace}/tickets")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class TicketResource {
    @Inject
    CurrentUser currentUser;

    @Inject
    TicketService tickets;

    @Context
    UriInfo uri;

    @GET
    @Path("/jira")
    @Operation(
            summary = "The workspace's Jira Data Center connection (the token by its secret's name); workspace admins")
    public TicketService.JiraView jira(@PathParam("workspace") String workspace) {
        return tickets.jira(currentUser.principal(), workspace);
    }

    @PUT
    @Path("/jira")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "Connect the workspace to Jira Data Center: base URL (on the egress allow-list), the workspace secret holding a personal access token, optionally project keys; workspace admins")
    public TicketService.JiraView saveJira(
            @PathParam("workspace") String workspace, TicketService.@Nullable JiraRequest request) {
        return tickets.saveJira(currentUser.principal(), workspace, request);
    }

    @DELETE
    @Path("/jira")
    @Operation(summary = "Disconnect the workspace from Jira; workspace admins")
    public Response deleteJira(@PathParam("workspace") String workspace) {
        tickets.deleteJira(currentUser.principal(), workspace);
        return Response.noContent().build();
    }

    @POST
    @Path("/sessions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "Start a session from a ticket (Jira key or URL, or a GitLab issue #iid or URL of the repository): the summary is the task, description, comments and text attachments are attached; the outcome is commented back; members")
    public Response start(@PathParam("workspace") String workspace, TicketService.@Nullable StartRequest request) {
        TicketService.Started started = tickets.start(currentUser.principal(), workspace, request, uri.getBaseUri());
        return Response.created(URI.create("/api/sessions/" + started.session().id()))
                .entity(started)
                .build();
    }
}
