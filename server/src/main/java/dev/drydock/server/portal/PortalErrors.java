package dev.drydock.server.portal;

import dev.drydock.server.problem.DatabaseUnavailable;
import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.problem.ProblemMappers;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place that decides how an error under {@code /portal} is answered: as the readable
 * {@link ErrorPage} with a link back to where the person came from. Everything else, and the few
 * portal paths a script reads as JSON (a session's event stream, a migration board, the mention
 * lookup), keeps the API's problem+json from {@link ProblemMappers}. These mappers rank before
 * {@link ProblemMappers}' for the same exception types, so they see every such exception first.
 */
public class PortalErrors {
    /** Before {@link ProblemMappers}' mappers of the same types (lower runs first). */
    private static final int BEFORE_API = Priorities.USER - 100;

    private static final Pattern SESSION = Pattern.compile("/portal/sessions/([^/]+)(/[^/]+)?(/.*)?");
    private static final Pattern MIGRATION = Pattern.compile("/portal/workspaces/([^/]+)/migrations(/([^/]+).*)?");
    private static final Pattern WORKSPACE = Pattern.compile("/portal/workspaces/([^/]+)(/.*)?");
    private static final Pattern SCRIPT_READ = Pattern.compile(
            "/portal/sessions/[^/]+/events|/portal/workspaces/[^/]+/migrations/[^/]+/board|/portal/workspaces/[^/]+/lookup(/.*)?");

    @Inject
    ProblemMappers api;

    @ServerExceptionMapper(priority = BEFORE_API)
    public Response problem(ProblemException e, UriInfo uri, HttpServerRequest request) {
        String path = uri.getPath();
        return page(path) ? ErrorPage.of(e, back(path)) : api.problem(e, uri, request);
    }

    @ServerExceptionMapper(priority = BEFORE_API)
    public Response web(WebApplicationException e, UriInfo uri) {
        String path = uri.getPath();
        return page(path) ? ErrorPage.of(e, path, back(path)) : api.web(e, uri);
    }

    @ServerExceptionMapper(priority = BEFORE_API)
    public Response unexpected(Throwable e, UriInfo uri) {
        String path = uri.getPath();
        // a client that closed the connection during a long answer (an export) reads no page: the API's
        // mapper notes it at debug level instead of logging an error
        if (page(path) && DatabaseUnavailable.is(e)) {
            // the API's mapper logs the one line; the person reads the page and tries again
            api.unexpected(e, uri);
            return Response.fromResponse(ErrorPage.of(ProblemMappers.databaseUnavailable(), back(path)))
                    .header("Retry-After", DatabaseUnavailable.RETRY_AFTER_SECONDS)
                    .build();
        }
        return page(path) && !ProblemMappers.clientGone(e)
                ? ErrorPage.unexpected(e, path, back(path))
                : api.unexpected(e, uri);
    }

    /** Whether {@code path} is a portal page or form (answered in HTML) rather than the API or a script's JSON. */
    static boolean page(String path) {
        return (path.equals("/portal") || path.startsWith("/portal/"))
                && !SCRIPT_READ.matcher(path).matches();
    }

    /**
     * Where the error page links back to: the page the failed form or action belongs to (a session, a
     * migration's board, a workspace), the section's own page (Me, Repositories, Search), else home.
     */
    static String back(String path) {
        Matcher session = SESSION.matcher(path);
        if (session.matches()) {
            // an action of a session (approve, review, record…) goes back to the session; the session itself home
            return session.group(2) != null ? "/portal/sessions/" + session.group(1) : "/portal";
        }
        Matcher migration = MIGRATION.matcher(path);
        if (migration.matches()) {
            String migrations = "/portal/workspaces/" + migration.group(1) + "/migrations";
            return migration.group(3) == null ? migrations : migrations + "/" + migration.group(3);
        }
        Matcher workspace = WORKSPACE.matcher(path);
        if (workspace.matches()) {
            String rest = workspace.group(2);
            boolean form = rest != null
                    && (rest.startsWith("/settings") || rest.equals("/sessions") || rest.endsWith("/delete"));
            return form ? "/portal/workspaces/" + workspace.group(1) : "/portal";
        }
        if (path.startsWith("/portal/admin/models/")) {
            return "/portal/admin/models";
        }
        for (String section :
                new String[] {"/portal/me", "/portal/repositories", "/portal/search", "/portal/admin/mcp"}) {
            if (path.equals(section) || path.startsWith(section + "/")) {
                return section;
            }
        }
        return "/portal";
    }
}
