package dev.drydock.server.portal;

import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.gateway.admin.ModelEndpoints;
import dev.drydock.server.repository.RepositoryRegistry;
import dev.drydock.server.session.SessionService;
import dev.drydock.server.user.UserService;
import dev.drydock.server.workspace.WorkspaceService;
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
import org.jspecify.annotations.Nullable;

/**
 * The portal's pages, rendered on the server from Qute templates and served from the jar (no CDN).
 * Signed in through the {@code portal} OIDC tenant (authorization code + PKCE).
 */
@Path("/portal")
@Authenticated
public class PortalResource {
    @Inject
    CurrentUser currentUser;

    @Inject
    UserService users;

    @Inject
    ModelEndpoints endpoints;

    @Inject
    WorkspaceService workspaces;

    @Inject
    RepositoryRegistry repositories;

    @Inject
    SessionService sessions;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance home(
                Principal user,
                List<WorkspaceRow> workspaces,
                List<SessionRow> sessions,
                @Nullable Checklist checklist);
    }

    /**
     * A drydock-admin's first steps on a fresh install, each ticked when done: a model endpoint
     * exists, a repository exists, a session exists; {@code sessionLink} is where to start one.
     */
    public record Checklist(boolean model, boolean repository, boolean session, String sessionLink) {
        public boolean done() {
            return model && repository && session;
        }

        public int count() {
            return (model ? 1 : 0) + (repository ? 1 : 0) + (session ? 1 : 0);
        }
    }

    /** One workspace of mine with its repositories. */
    public record WorkspaceRow(String slug, String name, String role, List<RepositoryRow> repositories) {}

    /** A repository and how far its mirror and index are ({@code ready}, {@code indexing}, {@code failed} …). */
    public record RepositoryRow(String name, String status, String detail) {}

    /** One of my recent sessions, with its outcome, tokens and cost. */
    public record SessionRow(
            String id,
            String workspace,
            String droid,
            String repo,
            String title,
            String status,
            String outcome,
            long tokens,
            String cost,
            java.time.Instant createdAt,
            String age) {}

    /** How many of my sessions the home page lists. */
    static final int RECENT_SESSIONS = 15;

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance home() {
        Principal user = currentUser.principal();
        users.recordSeen(user);
        List<WorkspaceRow> rows = user.isDrydockAdmin()
                ? workspaces.list(user).stream()
                        .map(w -> new WorkspaceRow(w.slug(), w.displayName(), w.role(), repositories(user, w.slug())))
                        .toList()
                : user.workspaces().stream()
                        .map(m -> new WorkspaceRow(
                                m.workspace(),
                                workspaces.displayName(m.workspace()),
                                m.role().label(),
                                repositories(user, m.workspace())))
                        .toList();
        java.time.Instant now = java.time.Instant.now();
        List<SessionRow> mine = sessions.list(user, null, 200).stream()
                .filter(s -> s.createdBy().equals(user.username()))
                .limit(RECENT_SESSIONS)
                .map(s -> new SessionRow(
                        s.id(),
                        s.workspace(),
                        s.droid(),
                        s.repo(),
                        s.title(),
                        s.queuePosition() == null
                                ? s.status().replace('_', ' ')
                                : "queued, position " + s.queuePosition(),
                        s.outcome() == null ? "" : s.outcome().replace('_', ' '),
                        s.totals().promptTokens() + s.totals().completionTokens(),
                        PortalFormat.cost(s.totals().costMicros()),
                        s.createdAt(),
                        PortalFormat.age(s.createdAt(), now)))
                .toList();
        return Templates.home(user, rows, mine, user.isDrydockAdmin() ? checklist(user) : null);
    }

    private List<RepositoryRow> repositories(Principal user, String workspace) {
        return repositories.list(user, workspace).stream()
                .map(r -> new RepositoryRow(r.name(), r.status(), r.statusDetail() == null ? "" : r.statusDetail()))
                .toList();
    }

    private Checklist checklist(Principal user) {
        String withRepository = null;
        for (var ws : workspaces.list(user)) {
            if (!repositories.list(user, ws.slug()).isEmpty()) {
                withRepository = ws.slug();
                break;
            }
        }
        boolean session = !sessions.list(user, null, 1).isEmpty();
        return new Checklist(
                !endpoints.list().isEmpty(),
                withRepository != null,
                session,
                withRepository == null
                        ? "/portal/repositories"
                        : "/portal/workspaces/" + withRepository + "#new-session");
    }
}
