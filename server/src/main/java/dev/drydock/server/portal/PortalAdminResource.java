package dev.drydock.server.portal;

import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.gateway.admin.ModelEndpointResource.EndpointInput;
import dev.drydock.server.gateway.admin.ModelEndpointResource.EndpointView;
import dev.drydock.server.gateway.admin.ModelEndpoints;
import dev.drydock.server.gateway.core.ModelProbe;
import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.promotion.ModelGate;
import dev.drydock.server.repository.RepositorySources;
import dev.drydock.server.repository.RepositorySources.SourcesView;
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
 * {@code /portal/admin}: the drydock-admin's pages. "Models" lists the model endpoints and connects
 * one (Test runs the probe of {@code ./drydock model check}; Save stores it, and the default route
 * when there is none); "Sources" manages the local roots and allowed git hosts repositories come
 * from. Everyone else gets 403; the services check the role again.
 */
@Path("/portal/admin")
@Authenticated
public class PortalAdminResource {
    private static final List<String> MODEL_FIELDS =
            List.of("name", "baseUrl", "protocol", "modelId", "secretRef", "clearance");
    private static final String DRYDOCK_ADMIN_ONLY =
            "This page is for drydock-admins; ask one to give you the drydock-admin role in Keycloak.";

    @Inject
    CurrentUser currentUser;

    @Inject
    ModelEndpoints endpoints;

    @Inject
    RepositorySources sources;

    @Inject
    ModelGate gate;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance models(
                Principal user,
                List<EndpointView> endpoints,
                List<GateRow> gates,
                ModelForm form,
                FormErrors errors,
                @Nullable ProbeView probe,
                String saved);

        static native TemplateInstance sources(
                Principal user,
                SourcesView sources,
                String rootInput,
                String hostInput,
                FormErrors rootErrors,
                FormErrors hostErrors,
                FormErrors listErrors,
                String done);
    }

    /** The connect form's fields as typed, so that a refused form keeps them; a new form offers to allow the URL's host, which an admin connecting a model wants. */
    public record ModelForm(
            String name,
            String baseUrl,
            String protocol,
            String modelId,
            String secretRef,
            String clearance,
            boolean allowHost) {
        static final ModelForm EMPTY = new ModelForm("primary", "", "openai-chat", "", "", "internal", true);

        EndpointInput input() {
            return new EndpointInput(
                    baseUrl,
                    protocol,
                    modelId,
                    null,
                    secretRef.isBlank() ? null : secretRef,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    clearance,
                    null);
        }
    }

    /** A probe's lines, and whether the endpoint can serve the gateway. */
    public record ProbeView(boolean ok, String model, List<ProbeLine> lines) {
        static ProbeView of(ModelProbe.Report report) {
            return new ProbeView(
                    report.ok(),
                    report.model() == null ? "" : report.model(),
                    report.lines().stream()
                            .map(l -> new ProbeLine(
                                    l.name(),
                                    l.value(),
                                    l.name().equals("ttft")
                                            ? "line-info"
                                            : l.value().startsWith("ok")
                                                    ? "line-ok"
                                                    : l.value().startsWith("error") ? "line-error" : "line-missing"))
                            .toList());
        }
    }

    /** An endpoint's promotion gate as the Models page lists it: its state and what its newest run says. */
    public record GateRow(String endpoint, String status, String summary) {}

    private List<GateRow> gates(List<EndpointView> list) {
        return list.stream()
                .map(e -> new GateRow(
                        e.name(),
                        gate.status(e.name()),
                        gate.latestIfAny(e.name())
                                .map(r -> r.state().equals("running")
                                        ? r.done() + " of " + r.total() + " fixtures done"
                                        : r.reason() + (r.current() ? "" : " (against an earlier URL or model)"))
                                .orElse("never run")))
                .toList();
    }

    /** One probed capability, with the class that colours it. */
    public record ProbeLine(String name, String value, String css) {}

    @GET
    @Path("/models")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance models(@QueryParam("saved") @Nullable String saved) {
        Principal user = admin();
        List<EndpointView> list = endpoints.list();
        return Templates.models(
                user, list, gates(list), ModelForm.EMPTY, FormErrors.NONE, null, saved == null ? "" : saved);
    }

    @POST
    @Path("/models")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response connect(
            @FormParam("action") @Nullable String action,
            @FormParam("name") @Nullable String name,
            @FormParam("baseUrl") @Nullable String baseUrl,
            @FormParam("protocol") @Nullable String protocol,
            @FormParam("modelId") @Nullable String modelId,
            @FormParam("secretRef") @Nullable String secretRef,
            @FormParam("clearance") @Nullable String clearance,
            @FormParam("allowHost") @Nullable String allowHost) {
        Principal user = admin();
        ModelForm form = new ModelForm(
                text(name),
                text(baseUrl),
                text(protocol),
                text(modelId),
                text(secretRef),
                text(clearance),
                allowHost != null);
        try {
            if ("test".equals(action)) {
                ModelProbe.Report report = endpoints.probe(user, form.input());
                ProbeView probe = ProbeView.of(report);
                List<EndpointView> list = endpoints.list();
                return html(200, Templates.models(user, list, gates(list), form, FormErrors.NONE, probe, ""));
            }
            EndpointView saved = endpoints.save(user.subject(), form.name(), form.input());
            String host = URI.create(saved.baseUrl()).getHost();
            if (form.allowHost() && host != null && !endpoints.reachable(host)) {
                endpoints.allowHost(user, host, "model endpoint " + saved.name() + " connected in the portal");
            }
            endpoints.ensureDefaultRoute(user.subject(), saved.name());
            return Response.seeOther(URI.create("/portal/admin/models?saved=" + encode(saved.name())))
                    .build();
        } catch (ProblemException e) {
            FormErrors errors = FormErrors.of(e, MODEL_FIELDS, Map.of("invalid-model-endpoint", "baseUrl"));
            List<EndpointView> list = endpoints.list();
            return html(e.problem().status(), Templates.models(user, list, gates(list), form, errors, null, ""));
        }
    }

    @GET
    @Path("/sources")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance sources(
            @QueryParam("done") @Nullable String done, @QueryParam("value") @Nullable String value) {
        Principal user = admin();
        String what = text(value);
        String message = switch (text(done)) {
            case "root-added" -> "Local root " + what + " added.";
            case "root-removed" -> "Local root " + what + " removed.";
            case "host-added" -> "Git host " + what + " allowed.";
            case "host-removed" -> "Git host " + what + " removed.";
            default -> "";
        };
        return Templates.sources(
                user, sources.view(user), "", "", FormErrors.NONE, FormErrors.NONE, FormErrors.NONE, message);
    }

    @POST
    @Path("/sources/local-roots")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response addLocalRoot(@FormParam("path") @Nullable String path) {
        Principal user = admin();
        try {
            sources.addLocalRoot(user, path);
            return sourcesDone("root-added", text(path).strip());
        } catch (ProblemException e) {
            FormErrors errors =
                    FormErrors.of(e, List.of("path"), Map.of("'", "path")).onField("path");
            return html(
                    e.problem().status(),
                    Templates.sources(
                            user, sources.view(user), text(path), "", errors, FormErrors.NONE, FormErrors.NONE, ""));
        }
    }

    @POST
    @Path("/sources/local-roots/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response removeLocalRoot(@FormParam("path") @Nullable String path) {
        Principal user = admin();
        try {
            sources.removeLocalRoot(user, path);
            return sourcesDone("root-removed", text(path).strip());
        } catch (ProblemException e) {
            return html(
                    e.problem().status(),
                    Templates.sources(
                            user,
                            sources.view(user),
                            "",
                            "",
                            FormErrors.NONE,
                            FormErrors.NONE,
                            new FormErrors(e.problem().detail(), Map.of()),
                            ""));
        }
    }

    @POST
    @Path("/sources/allowed-hosts")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response addAllowedHost(@FormParam("host") @Nullable String host) {
        Principal user = admin();
        try {
            sources.addAllowedHost(user, host);
            return sourcesDone("host-added", text(host).strip().toLowerCase(java.util.Locale.ROOT));
        } catch (ProblemException e) {
            FormErrors errors =
                    FormErrors.of(e, List.of("host"), Map.of("git", "host")).onField("host");
            return html(
                    e.problem().status(),
                    Templates.sources(
                            user, sources.view(user), "", text(host), FormErrors.NONE, errors, FormErrors.NONE, ""));
        }
    }

    @POST
    @Path("/sources/allowed-hosts/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response removeAllowedHost(@FormParam("host") @Nullable String host) {
        Principal user = admin();
        try {
            sources.removeAllowedHost(user, host);
            return sourcesDone("host-removed", text(host).strip());
        } catch (ProblemException e) {
            return html(
                    e.problem().status(),
                    Templates.sources(
                            user,
                            sources.view(user),
                            "",
                            "",
                            FormErrors.NONE,
                            FormErrors.NONE,
                            new FormErrors(e.problem().detail(), Map.of()),
                            ""));
        }
    }

    private Principal admin() {
        Principal user = currentUser.principal();
        if (!user.isDrydockAdmin()) {
            throw ProblemException.forbidden(DRYDOCK_ADMIN_ONLY);
        }
        return user;
    }

    /** Back to the page after a change (post/redirect/get), which says what changed. */
    private static Response sourcesDone(String done, String value) {
        return Response.seeOther(URI.create("/portal/admin/sources?done=" + done + "&value=" + encode(value)))
                .build();
    }

    static Response html(int status, TemplateInstance page) {
        return Response.status(status)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(page.render())
                .build();
    }

    static String text(@Nullable String value) {
        return value == null ? "" : value;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
