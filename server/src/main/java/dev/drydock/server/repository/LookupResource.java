package dev.drydock.server.repository;

import dev.drydock.server.auth.CurrentUser;
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
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code /api/workspaces/{ws}/lookup}: completions for {@code @}-mentions in a task. */
@Path("/api/workspaces/{workspace}/lookup")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class LookupResource {
    @Inject
    CurrentUser currentUser;

    @Inject
    MentionLookup lookup;

    @GET
    @Operation(
            summary =
                    "Repositories, paths and symbol names of the workspace's indexed repositories that complete q (prefix first, then fuzzy)")
    public List<MentionView> lookup(
            @PathParam("workspace") String workspace,
            @QueryParam("q") String q,
            @QueryParam("limit") @DefaultValue("10") int limit) {
        return lookup.lookup(currentUser.principal(), workspace, q, limit);
    }
}
