package dev.drydock.server.portal;

import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.mirror.PackageMirrors;
import dev.drydock.server.mirror.PackageMirrors.MirrorView;
import dev.drydock.server.problem.ProblemException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/**
 * {@code /portal/admin/mirrors}: the drydock-admin's form for package mirrors (issue #18): the
 * declared repository managers, a form to declare one (name, kind, URL) and removal. Workspace admins
 * choose among them through the API. Everyone else gets 403; the service checks the role again.
 */
@Path("/portal/admin/mirrors")
@Authenticated
public class PortalMirrorsResource {
    private static final List<String> FIELDS = List.of("name", "kind", "url");

    @Inject
    CurrentUser currentUser;

    @Inject
    PackageMirrors mirrors;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance mirrors(
                Principal user, List<MirrorView> mirrors, MirrorForm form, FormErrors errors, String done);
    }

    /** The declare form's fields as typed, so a refused form keeps them. */
    public record MirrorForm(String name, String kind, String url) {
        static final MirrorForm EMPTY = new MirrorForm("", "maven", "");
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance page(
            @QueryParam("done") @Nullable String done, @QueryParam("value") @Nullable String value) {
        Principal user = admin();
        String message = switch (PortalAdminResource.text(done)) {
            case "declared" -> "Mirror " + PortalAdminResource.text(value) + " declared.";
            case "removed" -> "Mirror " + PortalAdminResource.text(value) + " removed.";
            default -> "";
        };
        return Templates.mirrors(user, mirrors.list(user), MirrorForm.EMPTY, FormErrors.NONE, message);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response declare(
            @FormParam("name") @Nullable String name,
            @FormParam("kind") @Nullable String kind,
            @FormParam("url") @Nullable String url) {
        Principal user = admin();
        MirrorForm form = new MirrorForm(
                PortalAdminResource.text(name).strip(),
                PortalAdminResource.text(kind),
                PortalAdminResource.text(url).strip());
        try {
            mirrors.declare(user, form.name(), form.kind(), form.url());
            return done("declared", form.name());
        } catch (ProblemException e) {
            FormErrors errors = FormErrors.of(e, FIELDS, Map.of());
            return PortalAdminResource.html(
                    e.problem().status(), Templates.mirrors(user, mirrors.list(user), form, errors, ""));
        }
    }

    @POST
    @Path("/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response remove(@FormParam("name") @Nullable String name) {
        Principal user = admin();
        try {
            mirrors.remove(user, PortalAdminResource.text(name));
            return done("removed", PortalAdminResource.text(name));
        } catch (ProblemException e) {
            return PortalAdminResource.html(
                    e.problem().status(),
                    Templates.mirrors(
                            user,
                            mirrors.list(user),
                            MirrorForm.EMPTY,
                            new FormErrors(e.problem().detail(), Map.of()),
                            ""));
        }
    }

    private Principal admin() {
        Principal user = currentUser.principal();
        if (!user.isDrydockAdmin()) {
            throw ProblemException.forbidden(
                    "This page is for drydock-admins; ask one to give you the drydock-admin role in Keycloak.");
        }
        return user;
    }

    private static Response done(String what, String value) {
        return Response.seeOther(URI.create("/portal/admin/mirrors?done=" + what + "&value="
                        + URLEncoder.encode(value, StandardCharsets.UTF_8)))
                .build();
    }
}
