package dev.drydock.server.portal;

import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.user.UserService;
import dev.drydock.server.workspace.WorkspaceService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The portal's pages, rendered on the server from Qute templates and served from the jar (no CDN).
 * Signed in through the {@code portal} OIDC tenant (authorization code + PKCE).
 */
@Path("/portal")
@Authenticated
public class PortalResource {
    @Inject CurrentUser currentUser;
    @Inject UserService users;
    @Inject WorkspaceService workspaces;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance home(Principal user, List<WorkspaceRow> workspaces);
    }

    /** One row of the workspaces table. */
    public record WorkspaceRow(String slug, String name, String role) {}

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance home() {
        Principal user = currentUser.principal();
        users.recordSeen(user);
        List<WorkspaceRow> rows = user.workspaces().stream()
                .map(m -> new WorkspaceRow(m.workspace(), workspaces.displayName(m.workspace()), m.role().label()))
                .toList();
        return Templates.home(user, rows);
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return ErrorPage.of(e, "/portal");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        return ErrorPage.of(e, uri.getPath(), "/portal");
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        return ErrorPage.unexpected(e, uri.getPath(), "/portal");
    }
}
