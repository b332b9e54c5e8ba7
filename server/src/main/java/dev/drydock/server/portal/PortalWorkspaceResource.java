package dev.drydock.server.portal;

import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.WorkspaceRole;
import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.repository.RepositoryRegistry;
import dev.drydock.server.repository.RepositoryView;
import dev.drydock.server.session.MemoryService;
import dev.drydock.server.session.SessionService;
import dev.drydock.server.session.SessionView;
import dev.drydock.server.workspace.WorkspaceService;
import dev.drydock.server.workspace.WorkspaceService.WorkspaceView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jspecify.annotations.Nullable;

/**
 * {@code /portal/workspaces/{slug}}: a workspace's repositories and sessions, and the form that
 * starts a session. Authorization is the services' (outsiders 404, viewers read only).
 */
@Path("/portal/workspaces/{slug}")
@Authenticated
public class PortalWorkspaceResource {
    @Inject
    CurrentUser currentUser;

    @Inject
    WorkspaceService workspaces;

    @Inject
    RepositoryRegistry repositories;

    @Inject
    SessionService sessions;

    @Inject
    MemoryService memories;

    private final Clock clock = Clock.systemUTC();

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance workspace(
                Principal user,
                WorkspaceView workspace,
                boolean canStart,
                List<RepositoryView> repositories,
                List<SessionRow> sessions,
                SessionService.Choices choices,
                List<MemoryService.MemoryView> memories);
    }

    /** One line of the sessions table, formatted for people. */
    public record SessionRow(
            String id,
            String title,
            String droid,
            String repo,
            String status,
            String outcome,
            long tokens,
            String cost,
            String createdBy,
            String createdAt,
            String age) {
        static SessionRow of(SessionView.Summary s, Instant now) {
            return new SessionRow(
                    s.id(),
                    s.title(),
                    s.droid(),
                    s.repo(),
                    s.queuePosition() == null ? s.status().replace('_', ' ') : "queued, position " + s.queuePosition(),
                    s.outcome() == null ? "" : s.outcome().replace('_', ' '),
                    s.totals().promptTokens() + s.totals().completionTokens(),
                    PortalFormat.cost(s.totals().costMicros()),
                    s.createdBy(),
                    s.createdAt().toString(),
                    PortalFormat.age(s.createdAt(), now));
        }
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance page(@PathParam("slug") String slug) {
        Principal user = currentUser.principal();
        WorkspaceView ws = workspaces.get(user, slug);
        Instant now = clock.instant();
        List<SessionRow> rows = sessions.list(user, slug, 100).stream()
                .map(s -> SessionRow.of(s, now))
                .toList();
        boolean canStart =
                user.roleIn(slug).filter(r -> r.atLeast(WorkspaceRole.MEMBER)).isPresent();
        return Templates.workspace(
                user,
                ws,
                canStart,
                repositories.list(user, slug),
                rows,
                sessions.choices(user, slug),
                memories.list(user, slug));
    }

    @POST
    @Path("/sessions")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response start(
            @PathParam("slug") String slug,
            @FormParam("droid") @Nullable String droid,
            @FormParam("repo") @Nullable String repo,
            @FormParam("task") @Nullable String task,
            @FormParam("title") @Nullable String title) {
        if (droid == null || droid.isBlank()) {
            throw ProblemException.badRequest("Choose a droid.");
        }
        if (task == null || task.isBlank()) {
            throw ProblemException.badRequest("Describe the task for the droid.");
        }
        SessionView v = sessions.create(
                currentUser.principal(), new SessionService.CreateSession(slug, droid, task, repo, null, title));
        return Response.seeOther(URI.create("/portal/sessions/" + v.id())).build();
    }

    @POST
    @Path("/memories/{id}/delete")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response forget(@PathParam("slug") String slug, @PathParam("id") long id) {
        memories.delete(currentUser.principal(), slug, id);
        return Response.seeOther(URI.create("/portal/workspaces/" + slug + "#memories"))
                .build();
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return ErrorPage.of(e, back(uri));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        return ErrorPage.of(e, uri.getPath(), back(uri));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        return ErrorPage.unexpected(e, uri.getPath(), back(uri));
    }

    /** Where the error page links back to: the workspace page after a failed form, else the home page. */
    private static String back(UriInfo uri) {
        String slug = uri.getPathParameters().getFirst("slug");
        return slug != null
                        && (uri.getPath().endsWith("/sessions") || uri.getPath().endsWith("/delete"))
                ? "/portal/workspaces/" + slug
                : "/portal";
    }
}
