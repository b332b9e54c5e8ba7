package dev.drydock.server.session;

import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.problem.Problem;
import dev.drydock.server.problem.ProblemException;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code /api/admin/dependency-caches}: what the workspaces' dependency caches hold against their bound (issue #18); drydock-admins. */
@Path("/api/admin/dependency-caches")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class DependencyCacheResource {
    @Inject
    CurrentUser currentUser;

    @Inject
    SessionSandboxes sandboxes;

    @GET
    @Operation(
            summary =
                    "The dependency caches (per workspace, build tool and lock-file hash), least recently used first, their total against drydock.dependency-caches.max-size, and the evictions since start; drydock-admins")
    public SessionSandboxes.CacheReport caches() {
        if (!currentUser.principal().isDrydockAdmin()) {
            throw new ProblemException(
                    Problem.of(403, "forbidden", "Forbidden", "only a drydock-admin sees the dependency caches"));
        }
        return sandboxes.caches();
    }
}
