package dev.drydock.server.portal;

import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.mcp.McpServers;
import dev.drydock.server.mcp.McpServers.Registration;
import dev.drydock.server.mcp.McpServers.ServerView;
import dev.drydock.server.problem.ProblemException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/**
 * {@code /portal/admin/mcp}: the drydock-admin's page for MCP tool servers (issue #19): the registered
 * servers with their tools, each tool's risk class and switch, a form to register one, refresh and
 * removal. Everyone else gets 403; the service checks the role again.
 */
@Path("/portal/admin/mcp")
@Authenticated
public class PortalMcpResource {
    private static final List<String> FIELDS =
            List.of("name", "transport", "url", "command", "credentialSecret", "credentialHeader", "workspaces");

    @Inject
    CurrentUser currentUser;

    @Inject
    McpServers servers;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance mcp(
                Principal user, List<ServerView> servers, McpForm form, FormErrors errors, String done);
    }

    /** The register form's fields as typed, so a refused form keeps them. */
    public record McpForm(
            String name,
            String transport,
            String url,
            String command,
            String credentialSecret,
            String credentialHeader,
            String workspaces) {
        static final McpForm EMPTY = new McpForm("", "http", "", "", "", "", "");
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance page(
            @QueryParam("done") @Nullable String done, @QueryParam("value") @Nullable String value) {
        Principal user = admin();
        String v = PortalAdminResource.text(value);
        String message = switch (PortalAdminResource.text(done)) {
            case "registered" -> "MCP server " + v + " registered.";
            case "removed" -> "MCP server " + v + " removed.";
            case "refreshed" -> "Tools of " + v + " listed again.";
            case "tool" -> "Tool " + v + " saved.";
            default -> "";
        };
        return Templates.mcp(user, servers.list(user), McpForm.EMPTY, FormErrors.NONE, message);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response register(
            @FormParam("name") @Nullable String name,
            @FormParam("transport") @Nullable String transport,
            @FormParam("url") @Nullable String url,
            @FormParam("command") @Nullable String command,
            @FormParam("credentialSecret") @Nullable String credentialSecret,
            @FormParam("credentialHeader") @Nullable String credentialHeader,
            @FormParam("workspaces") @Nullable String workspaces) {
        Principal user = admin();
        McpForm form = new McpForm(
                PortalAdminResource.text(name).strip(),
                PortalAdminResource.text(transport),
                PortalAdminResource.text(url).strip(),
                PortalAdminResource.text(command).strip(),
                PortalAdminResource.text(credentialSecret).strip(),
                PortalAdminResource.text(credentialHeader).strip(),
                PortalAdminResource.text(workspaces).strip());
        List<String> slugs = Arrays.stream(form.workspaces().split("[,\\s]+"))
                .filter(s -> !s.isBlank())
                .toList();
        try {
            servers.register(
                    user,
                    form.name(),
                    new Registration(
                            form.transport(),
                            form.transport().equals("http") ? form.url() : null,
                            form.transport().equals("stdio") ? form.command() : null,
                            form.credentialSecret(),
                            form.credentialHeader(),
                            slugs));
            return done("registered", form.name());
        } catch (ProblemException e) {
            return PortalAdminResource.html(
                    e.problem().status(),
                    Templates.mcp(user, servers.list(user), form, FormErrors.of(e, FIELDS, Map.of()), ""));
        }
    }

    @POST
    @Path("/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response remove(@FormParam("name") @Nullable String name) {
        Principal user = admin();
        try {
            servers.remove(user, PortalAdminResource.text(name));
            return done("removed", PortalAdminResource.text(name));
        } catch (ProblemException e) {
            return failed(user, e);
        }
    }

    @POST
    @Path("/refresh")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response refresh(@FormParam("name") @Nullable String name) {
        Principal user = admin();
        try {
            servers.refresh(user, PortalAdminResource.text(name));
            return done("refreshed", PortalAdminResource.text(name));
        } catch (ProblemException e) {
            return failed(user, e);
        }
    }

    @POST
    @Path("/tool")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response tool(
            @FormParam("server") @Nullable String server,
            @FormParam("tool") @Nullable String tool,
            @FormParam("risk") @Nullable String risk,
            @FormParam("enabled") @Nullable String enabled) {
        Principal user = admin();
        try {
            servers.setTool(
                    user,
                    PortalAdminResource.text(server),
                    PortalAdminResource.text(tool),
                    risk == null || risk.isBlank() ? null : risk,
                    enabled != null);
            return done("tool", PortalAdminResource.text(server) + "/" + PortalAdminResource.text(tool));
        } catch (ProblemException e) {
            return failed(user, e);
        }
    }

    private Response failed(Principal user, ProblemException e) {
        return PortalAdminResource.html(
                e.problem().status(),
                Templates.mcp(
                        user,
                        servers.list(user),
                        McpForm.EMPTY,
                        new FormErrors(e.problem().detail(), Map.of()),
                        ""));
    }

    private Principal admin() {
        Principal user = currentUser.principal();
        if (!user.isDrydockAdmin()) {
            throw ProblemException.forbidden(
                    "This page is for drydock-admins; ask one to give you the drydock-admin role in Keycloak.");
        }
        return user;
    }

    private static Response done(String what, String value) {
        return Response.seeOther(URI.create("/portal/admin/mcp?done=" + what + "&value="
                        + URLEncoder.encode(value, StandardCharsets.UTF_8)))
                .build();
    }
}
