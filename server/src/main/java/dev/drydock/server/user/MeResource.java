package dev.drydock.server.user;

import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.auth.CurrentUser.Principal;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/** {@code /api/me}: the caller as Drydock sees them. */
@Path("/api/me")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {
    @Inject
    CurrentUser currentUser;

    @Inject
    UserService users;

    /** The caller's identity, realm roles and workspaces. */
    public record MeView(
            String subject,
            String username,
            String displayName,
            @Nullable String email,
            List<String> roles,
            List<WorkspaceView> workspaces) {}

    /** One workspace membership. */
    public record WorkspaceView(String slug, String role) {}

    @GET
    @Operation(summary = "Who am I: identity, roles and workspaces from the access token")
    public MeView me() {
        Principal p = currentUser.principal();
        users.recordSeen(p);
        return new MeView(
                p.subject(),
                p.username(),
                p.displayName(),
                p.email(),
                p.roles(),
                p.workspaces().stream()
                        .map(m -> new WorkspaceView(m.workspace(), m.role().label()))
                        .toList());
    }
}
