package dev.drydock.server.portal;

import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.delivery.Deliverables;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code /portal/workspaces/{slug}/deliverables}: the workspace's sessions with their branch, merge
 * request (link, state, merged at, approvals, governance violation) and code churn after 7 and 30 days,
 * read through {@link Deliverables} (viewers read, outsiders get 404).
 */
@Path("/portal/workspaces/{slug}/deliverables")
@Authenticated
public class PortalDeliverablesResource {
    @Inject
    CurrentUser currentUser;

    @Inject
    Deliverables deliverables;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance deliverables(Principal user, Deliverables.View view);
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance page(@PathParam("slug") String slug) {
        Principal user = currentUser.principal();
        return Templates.deliverables(user, deliverables.view(user, slug));
    }
}
