package dev.drydock.server.portal;

import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.user.UserService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The portal's pages, rendered on the server from Qute templates and served from the jar (no CDN).
 * Signed in through the {@code portal} OIDC tenant (authorization code + PKCE).
 */
@Path("/portal")
@Authenticated
public class PortalResource {
    @Inject CurrentUser currentUser;
    @Inject UserService users;

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
                .map(m -> new WorkspaceRow(m.workspace(), users.workspaceName(m.workspace()), m.role().label()))
                .toList();
        return Templates.home(user, rows);
    }
}
