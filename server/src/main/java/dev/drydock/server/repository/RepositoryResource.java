package dev.drydock.server.repository;

import dev.drydock.search.FileHit;
import dev.drydock.search.Hit;
import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.repository.RepositoryRegistry.Registration;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code /api/workspaces/{ws}/repositories} and {@code /search}: a workspace's code. */
@Path("/api/workspaces/{workspace}")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class RepositoryResource {
    @Inject
    CurrentUser currentUser;

    @Inject
    RepositoryRegistry repositories;

    @Inject
    RepositoryContent content;

    @GET
    @Path("/repositories")
    @Operation(summary = "Repositories of the workspace with their mirror and index status")
    public List<RepositoryView> list(@PathParam("workspace") String workspace) {
        return repositories.list(currentUser.principal(), workspace);
    }

    @POST
    @Path("/repositories")
    @Operation(
            summary =
                    "Register a repository by git URL (allow-listed host) or server path (under a local root); workspace admins")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(@PathParam("workspace") String workspace, Registration registration) {
        RepositoryView view = repositories.register(currentUser.principal(), workspace, registration);
        return Response.created(URI.create("/api/workspaces/" + workspace + "/repositories/" + view.name()))
                .entity(view)
                .build();
    }

    @GET
    @Path("/repositories/{name}")
    @Operation(summary = "One repository with its index status and progress")
    public RepositoryView get(@PathParam("workspace") String workspace, @PathParam("name") String name) {
        return repositories.get(currentUser.principal(), workspace, name);
    }

    @DELETE
    @Path("/repositories/{name}")
    @Operation(summary = "Remove a repository, its mirror and its index; workspace admins")
    public Response delete(@PathParam("workspace") String workspace, @PathParam("name") String name) {
        repositories.delete(currentUser.principal(), workspace, name);
        return Response.noContent().build();
    }

    @PUT
    @Path("/repositories/{name}/path-labels")
    @Operation(
            summary =
                    "Replace the classification labels on the repository's paths (globs such as deploy/prod or **/*.pem); workspace admins")
    @Consumes(MediaType.APPLICATION_JSON)
    public RepositoryView pathLabels(
            @PathParam("workspace") String workspace, @PathParam("name") String name, List<PathLabels.Label> labels) {
        return repositories.updatePathLabels(currentUser.principal(), workspace, name, labels);
    }

    @POST
    @Path("/repositories/{name}/sync")
    @Operation(
            summary =
                    "Fetch now and re-index incrementally (the git server's webhook target); members and automation accounts")
    public Response sync(@PathParam("workspace") String workspace, @PathParam("name") String name) {
        return Response.accepted(repositories.requestSync(currentUser.principal(), workspace, name))
                .build();
    }

    @GET
    @Path("/search")
    @Operation(summary = "Hybrid code search over the workspace's repositories (chunks, or files with files=true)")
    public List<?> search(
            @PathParam("workspace") String workspace,
            @QueryParam("q") String q,
            @QueryParam("k") @DefaultValue("10") int k,
            @QueryParam("files") @DefaultValue("false") boolean files) {
        if (files) {
            List<FileHit> hits = content.searchFiles(currentUser.principal(), workspace, q, k);
            return hits;
        }
        List<Hit> hits = content.search(currentUser.principal(), workspace, q, k);
        return hits;
    }
}
