package dev.drydock.server.portal;

import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.WorkspaceAccess;
import dev.drydock.server.auth.WorkspaceRole;
import dev.drydock.server.mirror.PackageMirrors;
import dev.drydock.server.mirror.PackageMirrors.ChoiceView;
import dev.drydock.server.mirror.PackageMirrors.MirrorView;
import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.webhook.WebhookEvent;
import dev.drydock.server.webhook.Webhooks;
import dev.drydock.server.webhook.Webhooks.WebhookView;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/**
 * {@code /portal/workspaces/{slug}/settings}: a workspace admin's page for the package mirrors the
 * workspace's sandboxes may reach (chosen among those a drydock-admin declared) and the webhook
 * receivers of its events. Everything goes through {@link PackageMirrors} and {@link Webhooks}, the
 * services of the API, which check the role again and audit each change; outsiders get 404, members
 * and viewers 403.
 */
@Path("/portal/workspaces/{slug}/settings")
@Authenticated
public class PortalWorkspaceSettingsResource {
    private static final List<String> MIRROR_FIELDS = List.of("mirror", "credentialsSecret");
    private static final List<String> HOOK_FIELDS = List.of("url", "events", "secret");
    /** The events a receiver may subscribe to (ping is sent on request only). */
    static final List<String> EVENTS = Arrays.stream(WebhookEvent.values())
            .filter(e -> e != WebhookEvent.PING)
            .map(WebhookEvent::wireName)
            .toList();

    @Inject
    CurrentUser currentUser;

    @Inject
    PackageMirrors mirrors;

    @Inject
    Webhooks webhooks;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance settings(
                Principal user,
                String slug,
                List<ChoiceView> chosen,
                List<MirrorView> declared,
                List<WebhookView> hooks,
                List<String> events,
                MirrorForm mirrorForm,
                FormErrors mirrorErrors,
                HookForm hookForm,
                FormErrors hookErrors,
                String done);
    }

    /** The choose-a-mirror form as typed. */
    public record MirrorForm(String mirror, String credentialsSecret) {
        static final MirrorForm EMPTY = new MirrorForm("", "");
    }

    /** The add-a-webhook form as typed. */
    public record HookForm(String url, List<String> events, String secret) {
        static final HookForm EMPTY = new HookForm("", List.of("session.finished"), "");

        public boolean has(String event) {
            return events.contains(event);
        }
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance page(
            @PathParam("slug") String slug,
            @QueryParam("done") @Nullable String done,
            @QueryParam("value") @Nullable String value) {
        Principal user = admin(slug);
        String what = PortalAdminResource.text(value);
        String message = switch (PortalAdminResource.text(done)) {
            case "mirror-chosen" -> "Sandboxes of " + slug + " may now reach mirror " + what + ".";
            case "mirror-removed" -> "Mirror " + what + " removed from " + slug + ".";
            case "webhook-added" -> "Webhook to " + what + " added.";
            case "webhook-removed" -> "Webhook to " + what + " removed.";
            case "webhook-pinged" -> "Ping queued for " + what + ".";
            default -> "";
        };
        return page(user, slug, MirrorForm.EMPTY, FormErrors.NONE, HookForm.EMPTY, FormErrors.NONE, message);
    }

    @POST
    @Path("/mirrors")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response choose(
            @PathParam("slug") String slug,
            @FormParam("mirror") @Nullable String mirror,
            @FormParam("credentialsSecret") @Nullable String credentialsSecret) {
        Principal user = admin(slug);
        MirrorForm form = new MirrorForm(
                PortalAdminResource.text(mirror),
                PortalAdminResource.text(credentialsSecret).strip());
        try {
            mirrors.choose(user, slug, form.mirror(), form.credentialsSecret());
            return done(slug, "mirror-chosen", form.mirror());
        } catch (ProblemException e) {
            FormErrors errors = FormErrors.of(e, MIRROR_FIELDS, Map.of());
            return PortalAdminResource.html(
                    e.problem().status(), page(user, slug, form, errors, HookForm.EMPTY, FormErrors.NONE, ""));
        }
    }

    @POST
    @Path("/mirrors/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response unchoose(@PathParam("slug") String slug, @FormParam("mirror") @Nullable String mirror) {
        Principal user = admin(slug);
        try {
            mirrors.unchoose(user, slug, PortalAdminResource.text(mirror));
            return done(slug, "mirror-removed", PortalAdminResource.text(mirror));
        } catch (ProblemException e) {
            return PortalAdminResource.html(
                    e.problem().status(),
                    page(
                            user,
                            slug,
                            MirrorForm.EMPTY,
                            new FormErrors(e.problem().detail(), Map.of()),
                            HookForm.EMPTY,
                            FormErrors.NONE,
                            ""));
        }
    }

    @POST
    @Path("/webhooks")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response addWebhook(
            @PathParam("slug") String slug,
            @FormParam("url") @Nullable String url,
            @FormParam("events") @Nullable List<String> events,
            @FormParam("secret") @Nullable String secret) {
        Principal user = admin(slug);
        HookForm form = new HookForm(
                PortalAdminResource.text(url).strip(),
                events == null ? List.of() : List.copyOf(events),
                PortalAdminResource.text(secret).strip());
        try {
            WebhookView created =
                    webhooks.create(user, slug, new Webhooks.CreateRequest(form.url(), form.events(), form.secret()));
            return done(slug, "webhook-added", created.url());
        } catch (ProblemException e) {
            FormErrors errors = FormErrors.of(e, HOOK_FIELDS, Map.of("body", "url"));
            return PortalAdminResource.html(
                    e.problem().status(), page(user, slug, MirrorForm.EMPTY, FormErrors.NONE, form, errors, ""));
        }
    }

    @POST
    @Path("/webhooks/{id}/delete")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response removeWebhook(@PathParam("slug") String slug, @PathParam("id") String id) {
        Principal user = admin(slug);
        String url = webhooks.list(user, slug).stream()
                .filter(h -> h.id().equals(id))
                .map(WebhookView::url)
                .findFirst()
                .orElse(id);
        webhooks.delete(user, slug, id);
        return done(slug, "webhook-removed", url);
    }

    @POST
    @Path("/webhooks/{id}/ping")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response ping(@PathParam("slug") String slug, @PathParam("id") String id) {
        Principal user = admin(slug);
        webhooks.ping(user, slug, id);
        String url = webhooks.list(user, slug).stream()
                .filter(h -> h.id().equals(id))
                .map(WebhookView::url)
                .findFirst()
                .orElse(id);
        return done(slug, "webhook-pinged", url);
    }

    private TemplateInstance page(
            Principal user,
            String slug,
            MirrorForm mirrorForm,
            FormErrors mirrorErrors,
            HookForm hookForm,
            FormErrors hookErrors,
            String done) {
        return Templates.settings(
                user,
                slug,
                mirrors.chosen(user, slug),
                mirrors.list(user),
                webhooks.list(user, slug),
                EVENTS,
                mirrorForm,
                mirrorErrors,
                hookForm,
                hookErrors,
                done);
    }

    /** The caller, if they administer the workspace (outsiders 404, others 403, both audited as refusals). */
    private Principal admin(String slug) {
        Principal user = currentUser.principal();
        WorkspaceAccess.require(user, slug, WorkspaceRole.ADMIN);
        return user;
    }

    private static Response done(String slug, String what, String value) {
        return Response.seeOther(URI.create("/portal/workspaces/" + URLEncoder.encode(slug, StandardCharsets.UTF_8)
                        + "/settings?done=" + what + "&value=" + URLEncoder.encode(value, StandardCharsets.UTF_8)))
                .build();
    }
}
