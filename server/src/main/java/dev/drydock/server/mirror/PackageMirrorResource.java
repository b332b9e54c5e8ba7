package dev.drydock.server.mirror;

import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.mirror.PackageMirrors.ChoiceView;
import dev.drydock.server.mirror.PackageMirrors.MirrorView;
import dev.drydock.server.mirror.RepositorySetups.SetupView;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/**
 * Build environments as policy (issue #18): {@code /api/admin/package-mirrors} (drydock-admins
 * declare repository managers), {@code /api/workspaces/{ws}/package-mirrors} (workspace admins choose
 * which their sandboxes may reach, with the secret setup steps use) and {@code
 * /api/workspaces/{ws}/repositories/{repo}/setup} (a repository's setup command).
 */
@Path("/api")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class PackageMirrorResource {
    @Inject CurrentUser currentUser;
    @Inject PackageMirrors mirrors;
    @Inject RepositorySetups setups;

    /** Body of a declared mirror. */
    public record MirrorInput(@Nullable String kind, @Nullable String url) {}

    /** Body of a workspace's choice: the workspace secret ({@code token} or {@code user:password}) its setup steps authenticate with, if any. */
    public record ChoiceInput(@Nullable String credentialsSecret) {}

    /** Body of a setup step. */
    public record SetupInput(@Nullable String command) {}

    @GET
    @Path("/admin/package-mirrors")
    @Operation(summary = "The declared package mirrors (repository managers)")
    public List<MirrorView> list() {
        return mirrors.list(currentUser.principal());
    }

    @PUT
    @Path("/admin/package-mirrors/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Declare or replace a package mirror: kind (maven, gradle, npm, pypi, go, debian) and URL; drydock-admins")
    public MirrorView declare(@PathParam("name") String name, @Nullable MirrorInput in) {
        return mirrors.declare(currentUser.principal(), name, in == null ? null : in.kind(), in == null ? null : in.url());
    }

    @DELETE
    @Path("/admin/package-mirrors/{name}")
    @Operation(summary = "Remove a package mirror (and every workspace's choice of it); drydock-admins")
    public Response remove(@PathParam("name") String name) {
        mirrors.remove(currentUser.principal(), name);
        return Response.noContent().build();
    }

    @GET
    @Path("/workspaces/{workspace}/package-mirrors")
    @Operation(summary = "The package mirrors the workspace's sandboxes may reach")
    public List<ChoiceView> chosen(@PathParam("workspace") String workspace) {
        return mirrors.chosen(currentUser.principal(), workspace);
    }

    @PUT
    @Path("/workspaces/{workspace}/package-mirrors/{mirror}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Let the workspace's sandboxes reach a declared mirror, optionally naming the secret its setup steps use; workspace admins")
    public ChoiceView choose(@PathParam("workspace") String workspace, @PathParam("mirror") String mirror, @Nullable ChoiceInput in) {
        return mirrors.choose(currentUser.principal(), workspace, mirror, in == null ? null : in.credentialsSecret());
    }

    @DELETE
    @Path("/workspaces/{workspace}/package-mirrors/{mirror}")
    @Operation(summary = "Stop the workspace's sandboxes reaching a mirror; workspace admins")
    public Response unchoose(@PathParam("workspace") String workspace, @PathParam("mirror") String mirror) {
        mirrors.unchoose(currentUser.principal(), workspace, mirror);
        return Response.noContent().build();
    }

    @GET
    @Path("/workspaces/{workspace}/repositories/{repo}/setup")
    @Operation(summary = "A repository's registered setup command")
    public SetupView setup(@PathParam("workspace") String workspace, @PathParam("repo") String repo) {
        return setups.get(currentUser.principal(), workspace, repo);
    }

    @PUT
    @Path("/workspaces/{workspace}/repositories/{repo}/setup")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register the command run when a sandbox is created, before the droid, with the mirror credentials; workspace admins")
    public SetupView putSetup(@PathParam("workspace") String workspace, @PathParam("repo") String repo, @Nullable SetupInput in) {
        return setups.put(currentUser.principal(), workspace, repo, in == null ? null : in.command());
    }

    @DELETE
    @Path("/workspaces/{workspace}/repositories/{repo}/setup")
    @Operation(summary = "Remove a repository's registered setup command; workspace admins")
    public Response deleteSetup(@PathParam("workspace") String workspace, @PathParam("repo") String repo) {
        setups.delete(currentUser.principal(), workspace, repo);
        return Response.noContent().build();
    }
}
