package dev.drydock.server.portal;

import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.WorkspaceRole;
import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.repository.RepositoryRegistry;
import dev.drydock.server.repository.RepositoryRegistry.Registration;
import dev.drydock.server.repository.RepositorySources;
import dev.drydock.server.repository.RepositoryView;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/**
 * {@code /portal/repositories}: the repositories of every workspace the caller sees, with their
 * sync and index status (polled live by the page), a Retry button on failures, and the form that
 * adds one by git URL or server path (workspace admins; a drydock-admin may allow the URL's host in
 * the same step, audited). Every rule is {@link RepositoryRegistry}'s and {@link RepositorySources}'.
 */
@Path("/portal/repositories")
@Authenticated
public class PortalRepositoriesResource {
    private static final List<String> FIELDS = List.of("workspace", "name", "url", "path", "branch", "classification");

    @Inject
    CurrentUser currentUser;

    @Inject
    WorkspaceService workspaces;

    @Inject
    RepositoryRegistry repositories;

    @Inject
    RepositorySources sources;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance repositories(
                Principal user,
                List<Row> rows,
                List<String> adminWorkspaces,
                AddForm form,
                FormErrors errors,
                List<String> localRoots);
    }

    /** The add form's fields as typed. */
    public record AddForm(
            String workspace,
            String name,
            String source,
            String url,
            String path,
            String branch,
            String classification,
            boolean allowHost) {}

    /** One repository as the table shows it; {@code canSync} when the caller may retry its sync. */
    public record Row(
            String workspace,
            String name,
            String source,
            String branch,
            String status,
            String detail,
            int percent,
            int files,
            String commit,
            boolean canSync) {
        static Row of(RepositoryView r, boolean canSync) {
            return new Row(
                    r.workspace(),
                    r.name(),
                    r.url() != null ? r.url() : String.valueOf(r.path()),
                    r.branch(),
                    r.status(),
                    r.statusDetail() == null ? "" : r.statusDetail(),
                    (int) Math.round(r.progress() * 100),
                    r.files(),
                    r.indexedCommit() == null
                            ? ""
                            : r.indexedCommit()
                                    .substring(0, Math.min(10, r.indexedCommit().length())),
                    canSync);
        }

        public String id() {
            return "repo-" + workspace + "-" + name;
        }
    }

    /** What the page polls: each repository's status. */
    public record Status(
            String id, String status, String detail, int percent, int files, String commit, boolean canSync) {}

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance page() {
        Principal user = currentUser.principal();
        List<String> admin = adminWorkspaces(user);
        String first = admin.contains("demo") ? "demo" : admin.isEmpty() ? "" : admin.getFirst();
        AddForm form = new AddForm(first, "", "path", "", "", "main", "", false);
        return Templates.repositories(user, rows(user), admin, form, FormErrors.NONE, roots(user));
    }

    @GET
    @Path("/status")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public List<Status> status() {
        return rows(currentUser.principal()).stream()
                .map(r -> new Status(r.id(), r.status(), r.detail(), r.percent(), r.files(), r.commit(), r.canSync()))
                .toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response add(
            @FormParam("workspace") @Nullable String workspace,
            @FormParam("name") @Nullable String name,
            @FormParam("source") @Nullable String source,
            @FormParam("url") @Nullable String url,
            @FormParam("path") @Nullable String path,
            @FormParam("branch") @Nullable String branch,
            @FormParam("classification") @Nullable String classification,
            @FormParam("allowHost") @Nullable String allowHost) {
        Principal user = currentUser.principal();
        boolean byUrl = "url".equals(source);
        AddForm form = new AddForm(
                PortalAdminResource.text(workspace).strip(),
                PortalAdminResource.text(name).strip(),
                byUrl ? "url" : "path",
                PortalAdminResource.text(url).strip(),
                PortalAdminResource.text(path).strip(),
                PortalAdminResource.text(branch).strip(),
                PortalAdminResource.text(classification),
                allowHost != null);
        try {
            if (form.workspace().isEmpty()) {
                throw ProblemException.badRequest("workspace is required: the workspace the repository belongs to");
            }
            if (byUrl && form.url().isEmpty()) {
                throw ProblemException.badRequest(
                        "url is required: the git URL to clone, e.g. https://git.internal.example/team/app.git");
            }
            if (!byUrl && form.path().isEmpty()) {
                throw ProblemException.badRequest("path is required: the folder of a git repository on the server");
            }
            if (byUrl && form.allowHost()) {
                allowHostOf(user, form.url());
            }
            repositories.register(
                    user,
                    form.workspace(),
                    new Registration(
                            form.name(),
                            byUrl ? form.url() : null,
                            byUrl ? null : form.path(),
                            form.branch().isEmpty() ? null : form.branch(),
                            form.classification().isBlank() ? null : form.classification(),
                            null,
                            null,
                            null));
            return Response.seeOther(URI.create("/portal/repositories")).build();
        } catch (ProblemException e) {
            FormErrors errors = FormErrors.of(
                    e,
                    FIELDS,
                    Map.of(
                            "host-not-allowed",
                            "url",
                            "path-not-allowed",
                            "path",
                            "give",
                            byUrl ? "url" : "path",
                            "workspace",
                            "workspace",
                            "repository",
                            "name",
                            "do",
                            "url"));
            if (e.problem().status() == 404 && e.problem().detail().startsWith("Workspace")) {
                errors = new FormErrors("", Map.of("workspace", e.problem().detail()));
            }
            return PortalAdminResource.html(
                    e.problem().status(),
                    Templates.repositories(user, rows(user), adminWorkspaces(user), form, errors, roots(user)));
        }
    }

    @POST
    @Path("/{workspace}/{name}/sync")
    @Operation(hidden = true)
    public Response sync(@PathParam("workspace") String workspace, @PathParam("name") String name) {
        repositories.requestSync(currentUser.principal(), workspace, name);
        return Response.seeOther(URI.create("/portal/repositories")).build();
    }

    /** Allows the URL's host (drydock-admins only, audited) unless it already is. */
    private void allowHostOf(Principal user, String url) {
        String host;
        try {
            host = URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("url is not a valid URL: " + e.getMessage());
        }
        if (host == null) {
            throw ProblemException.badRequest("url must be an https://, ssh:// or git:// URL with a host");
        }
        if (!sources.allowedHosts().contains(host.toLowerCase(Locale.ROOT))) {
            sources.addAllowedHost(user, host);
        }
    }

    private List<Row> rows(Principal user) {
        List<Row> out = new ArrayList<>();
        for (WorkspaceView ws : workspaces.list(user)) {
            boolean canSync = user.roleIn(ws.slug())
                    .filter(r -> r.atLeast(WorkspaceRole.MEMBER))
                    .isPresent();
            repositories.list(user, ws.slug()).forEach(r -> out.add(Row.of(r, canSync)));
        }
        return out;
    }

    private List<String> adminWorkspaces(Principal user) {
        return workspaces.list(user).stream()
                .map(WorkspaceView::slug)
                .filter(s -> user.roleIn(s)
                        .filter(r -> r.atLeast(WorkspaceRole.ADMIN))
                        .isPresent())
                .toList();
    }

    /** The local roots, shown to drydock-admins as a hint for the path field. */
    private List<String> roots(Principal user) {
        return user.isDrydockAdmin() ? sources.localRoots() : List.of();
    }
}
