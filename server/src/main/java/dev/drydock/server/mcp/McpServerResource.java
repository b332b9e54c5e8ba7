package dev.drydock.server.mcp;

import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.mcp.McpServers.Registration;
import dev.drydock.server.mcp.McpServers.ServerView;
import dev.drydock.server.mcp.McpServers.ToolView;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/** {@code /api/admin/mcp-servers}: drydock-admins register MCP tool servers and class their tools (issue #19). */
@Path("/api/admin/mcp-servers")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class McpServerResource {
    @Inject
    CurrentUser currentUser;

    @Inject
    McpServers servers;

    /** Body of a tool's settings. */
    public record ToolInput(@Nullable String risk, @Nullable Boolean enabled) {}

    @GET
    @Operation(summary = "The registered MCP tool servers with their tools; drydock-admins")
    public List<ServerView> list() {
        return servers.list(currentUser.principal());
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "One MCP tool server with its tools; drydock-admins")
    public ServerView get(@PathParam("name") String name) {
        return servers.get(currentUser.principal(), name);
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "Register or replace an MCP tool server: transport http (url on the egress allow-list, optional credentialSecret and credentialHeader) or stdio (command run in each session's sandbox), and the workspaces that may use it; drydock-admins")
    public ServerView register(@PathParam("name") String name, @Nullable Registration in) {
        return servers.register(
                currentUser.principal(), name, in == null ? new Registration(null, null, null, null, null, null) : in);
    }

    @DELETE
    @Path("/{name}")
    @Operation(summary = "Remove an MCP tool server and its tools; drydock-admins")
    public Response remove(@PathParam("name") String name) {
        servers.remove(currentUser.principal(), name);
        return Response.noContent().build();
    }

    @POST
    @Path("/{name}/refresh")
    @Operation(summary = "List an MCP server's tools again (stdio: in the next session's sandbox); drydock-admins")
    public ServerView refresh(@PathParam("name") String name) {
        return servers.refresh(currentUser.principal(), name);
    }

    @PUT
    @Path("/{name}/tools/{tool}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "Set a tool's risk class (read-only, writes-workspace, network, destructive) and whether droids may call it; drydock-admins")
    public ToolView tool(@PathParam("name") String name, @PathParam("tool") String tool, @Nullable ToolInput in) {
        return servers.setTool(
                currentUser.principal(), name, tool, in == null ? null : in.risk(), in == null ? null : in.enabled());
    }
}
