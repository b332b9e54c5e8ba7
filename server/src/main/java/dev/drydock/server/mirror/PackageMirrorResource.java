package dev.drydock.server.mirror;

import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.mirror.PackageMirrors.MirrorView;
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

/** {@code /api/admin/package-mirrors}: drydock-admins declare the company's repository managers (issue #18); everyone signed in may list them. */
@Path("/api/admin/package-mirrors")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class PackageMirrorResource {
    @Inject
    CurrentUser currentUser;

    @Inject
    PackageMirrors mirrors;

    /** Body of a declared mirror. */
    public record MirrorInput(
            @Nullable String kind, @Nullable String url) {}

    @GET
    @Operation(summary = "The declared package mirrors (repository managers)")
    public List<MirrorView> list() {
        return mirrors.list(currentUser.principal());
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "Declare or replace a package mirror: kind (maven, gradle, npm, pypi, go, debian) and URL; drydock-admins")
    public MirrorView declare(@PathParam("name") String name, @Nullable MirrorInput in) {
        return mirrors.declare(
                currentUser.principal(), name, in == null ? null : in.kind(), in == null ? null : in.url());
    }

    @DELETE
    @Path("/{name}")
    @Operation(summary = "Remove a package mirror (and every workspace's choice of it); drydock-admins")
    public Response remove(@PathParam("name") String name) {
        mirrors.remove(currentUser.principal(), name);
        return Response.noContent().build();
    }
}
