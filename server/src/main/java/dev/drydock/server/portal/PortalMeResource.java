package dev.drydock.server.portal;

import dev.drydock.server.apikey.ApiKeys;
import dev.drydock.server.apikey.ApiKeys.KeyView;
import dev.drydock.server.apikey.ApiKeys.NewKey;
import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.auth.CurrentUser.Principal;
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
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/**
 * {@code /portal/me}: the signed-in person's API keys (personal access tokens for {@code /api} and
 * {@code /v1}): listed without their values, created with a name and an expiry (the key is shown on
 * the answer to the form, once, and never again), revoked.
 */
@Path("/portal/me")
@Authenticated
public class PortalMeResource {
    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    /** The lifetimes the form offers, in days. */
    static final List<Integer> LIFETIMES = List.of(7, 30, ApiKeys.DEFAULT_DAYS, 180, ApiKeys.MAX_DAYS);

    @Inject
    CurrentUser currentUser;

    @Inject
    PortalTheme themes;

    @Inject
    ApiKeys keys;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance me(
                Principal user,
                List<KeyRow> keys,
                List<Integer> lifetimes,
                String nameInput,
                int daysInput,
                FormErrors errors,
                @Nullable NewKey created,
                String createdExpires,
                String done);
    }

    /** One key as the table shows it. */
    public record KeyRow(
            long id, String name, String prefix, String created, String expires, String lastUsed, String state) {
        static KeyRow of(KeyView k) {
            return new KeyRow(
                    k.id(),
                    k.name(),
                    k.prefix(),
                    format(k.createdAt()),
                    format(k.expiresAt()),
                    k.lastUsedAt() == null ? "never" : format(k.lastUsedAt()),
                    k.state());
        }

        public boolean active() {
            return state.equals("active");
        }
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response me(@QueryParam("revoked") @Nullable String revoked) {
        Principal user = currentUser.principal();
        String done =
                revoked == null || revoked.isBlank() ? "" : "API key " + revoked + " revoked: it no longer works.";
        return PortalAdminResource.html(200, page(user, "", ApiKeys.DEFAULT_DAYS, FormErrors.NONE, null, done));
    }

    @POST
    @Path("/api-keys")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response create(
            @FormParam("name") @Nullable String name, @FormParam("expiresInDays") @Nullable String expiresInDays) {
        Principal user = currentUser.principal();
        String typed = name == null ? "" : name;
        int days;
        try {
            days = expiresInDays == null || expiresInDays.isBlank()
                    ? ApiKeys.DEFAULT_DAYS
                    : Integer.parseInt(expiresInDays.strip());
        } catch (NumberFormatException e) {
            return PortalAdminResource.html(
                    400,
                    page(
                            user,
                            typed,
                            ApiKeys.DEFAULT_DAYS,
                            new FormErrors(
                                    "",
                                    Map.of(
                                            "expiresInDays",
                                            "Choose how many days the key lives (1-" + ApiKeys.MAX_DAYS + ").")),
                            null,
                            ""));
        }
        try {
            NewKey created = keys.create(user, name, days);
            // the key is in this answer only: no cache may keep it
            return Response.fromResponse(PortalAdminResource.html(
                            201, page(user, "", ApiKeys.DEFAULT_DAYS, FormErrors.NONE, created, "")))
                    .header("Cache-Control", "no-store")
                    .build();
        } catch (ProblemException e) {
            FormErrors errors = FormErrors.of(e, List.of("name", "expiresInDays"), Map.of());
            return PortalAdminResource.html(e.problem().status(), page(user, typed, days, errors, null, ""));
        }
    }

    /**
     * Remembers the person's theme on the server ({@code light}, {@code dark}, or {@code system} to
     * forget it), sent by the theme toggle of every page; every page after it is drawn in that theme.
     */
    @POST
    @Path("/theme")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response theme(@FormParam("theme") @Nullable String theme) {
        themes.save(currentUser.principal().subject(), theme);
        return Response.noContent().build();
    }

    @POST
    @Path("/api-keys/{id}/revoke")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response revoke(@PathParam("id") long id) {
        Principal user = currentUser.principal();
        String name = keys.list(user.subject()).stream()
                .filter(k -> k.id() == id)
                .map(KeyView::name)
                .findFirst()
                .orElseThrow(() -> ProblemException.notFound("API key " + id));
        keys.revoke(user, id);
        return Response.seeOther(URI.create("/portal/me?revoked=" + URLEncoder.encode(name, StandardCharsets.UTF_8)))
                .build();
    }

    private TemplateInstance page(
            Principal user, String nameInput, int daysInput, FormErrors errors, @Nullable NewKey created, String done) {
        List<KeyRow> rows = keys.list(user.subject()).stream().map(KeyRow::of).toList();
        return Templates.me(
                user,
                rows,
                LIFETIMES,
                nameInput,
                daysInput,
                errors,
                created,
                created == null ? "" : format(created.expiresAt()),
                done);
    }

    private static String format(Instant t) {
        return WHEN.format(t);
    }
}
