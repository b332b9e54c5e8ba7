package dev.drydock.server.portal;

import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.repository.MentionLookup;
import dev.drydock.server.repository.MentionLookup.MentionView;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * What the new-session form's {@code @}-mention field asks as the person types (the portal's cookie
 * session; the same lookup and access rule as {@code GET /api/workspaces/{ws}/lookup}).
 */
@Path("/portal/workspaces/{workspace}/lookup")
@Authenticated
public class PortalLookupResource {
    @Inject
    CurrentUser currentUser;

    @Inject
    MentionLookup lookup;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<MentionView> lookup(
            @PathParam("workspace") String workspace,
            @QueryParam("q") String q,
            @QueryParam("limit") @DefaultValue("8") int limit) {
        return lookup.lookup(currentUser.principal(), workspace, q, limit);
    }
}
