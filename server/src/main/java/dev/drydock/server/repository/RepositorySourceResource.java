package dev.drydock.server.repository;

import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.auth.Roles;
import dev.drydock.server.repository.RepositorySources.SourcesView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/**
 * {@code /api/admin/repository-sources}: the local roots and allowed git hosts repositories may be
 * registered from, configured and added at runtime; changes apply at once and are audited.
 */
@Path("/api/admin/repository-sources")
@RolesAllowed(Roles.DRYDOCK_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class RepositorySourceResource {
    @Inject
    CurrentUser currentUser;

    @Inject
    RepositorySources sources;

    /** Body of an added local root; {@code workspaces} limits it to those workspaces (absent or empty: every workspace). */
    public record LocalRootInput(
            @Nullable String path, @Nullable List<String> workspaces) {}

    /** Body of an added git host. */
    public record HostInput(@Nullable String host) {}

    @GET
    @Operation(summary = "Local roots and allowed git hosts, with where each comes from (config or runtime)")
    public SourcesView list() {
        return sources.view(currentUser.principal());
    }

    @POST
    @Path("/local-roots")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a server folder under which repositories may be registered by path")
    public SourcesView addLocalRoot(@Nullable LocalRootInput in) {
        return sources.addLocalRoot(
                currentUser.principal(), in == null ? null : in.path(), in == null ? null : in.workspaces());
    }

    @DELETE
    @Path("/local-roots")
    @Operation(summary = "Remove a local root added at runtime")
    public SourcesView removeLocalRoot(@QueryParam("path") @Nullable String path) {
        return sources.removeLocalRoot(currentUser.principal(), path);
    }

    @POST
    @Path("/allowed-hosts")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Allow a git host for registration and fetches (joins the egress allow-list)")
    public SourcesView addAllowedHost(@Nullable HostInput in) {
        return sources.addAllowedHost(currentUser.principal(), in == null ? null : in.host());
    }

    @DELETE
    @Path("/allowed-hosts/{host}")
    @Operation(summary = "Remove a git host added at runtime")
    public SourcesView removeAllowedHost(@PathParam("host") String host) {
        return sources.removeAllowedHost(currentUser.principal(), host);
    }
}
