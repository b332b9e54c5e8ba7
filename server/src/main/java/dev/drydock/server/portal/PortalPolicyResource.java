package dev.drydock.server.portal;

import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.gateway.accounting.Budgets;
import dev.drydock.server.gateway.admin.GatewayStore;
import dev.drydock.server.gateway.admin.GatewayStore.ModelHost;
import dev.drydock.server.gateway.admin.GatewayUsageResource;
import dev.drydock.server.gateway.admin.GatewayUsageResource.BudgetInput;
import dev.drydock.server.gateway.admin.ModelEndpointResource.EndpointView;
import dev.drydock.server.gateway.admin.ModelEndpoints;
import dev.drydock.server.gateway.admin.ModelRouteResource;
import dev.drydock.server.gateway.admin.ModelRouteResource.RouteInput;
import dev.drydock.server.gateway.admin.ModelRouteResource.RouteView;
import dev.drydock.server.gateway.admin.RouteGate;
import dev.drydock.server.problem.Problem;
import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.workspace.WorkspaceService;
import dev.drydock.server.workspace.WorkspaceService.PolicyView;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/**
 * The drydock-admin's governance pages: {@code /portal/admin/routes} (which endpoints serve which
 * workspace, droid and purpose), {@code /portal/admin/budgets} (token and cost limits) and {@code
 * /portal/admin/policy} (each workspace's data classification and autonomy, and the model hosts on
 * the egress allow-list). Each change goes through the API's own code ({@link ModelRouteResource},
 * {@link GatewayUsageResource}, {@link WorkspaceService}, {@link ModelEndpoints}), which validates
 * and audits it exactly as for an API call. Everyone else gets 403.
 */
@Path("/portal/admin")
@Authenticated
public class PortalPolicyResource {
    private static final String DRYDOCK_ADMIN_ONLY =
            "This page is for drydock-admins; ask one to give you the drydock-admin role in Keycloak.";
    private static final List<String> ROUTE_FIELDS =
            List.of("name", "workspace", "droid", "purpose", "endpoints", "override.reason");
    private static final List<String> BUDGET_FIELDS = List.of("scope", "subject", "period", "maxTokens", "maxCost");
    static final List<String> CLASSIFICATIONS = List.of("public", "internal", "confidential", "secret");
    static final List<String> AUTONOMIES = List.of("read-only", "approve-writes", "auto-edit", "full-auto");
    static final List<String> DROIDS = WorkspaceService.DROIDS.stream().sorted().toList();

    @Inject
    CurrentUser currentUser;

    @Inject
    ModelRouteResource routes;

    @Inject
    GatewayUsageResource usage;

    @Inject
    Budgets budgets;

    @Inject
    ModelEndpoints endpoints;

    @Inject
    GatewayStore store;

    @Inject
    WorkspaceService workspaces;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance routes(
                Principal user,
                List<RouteView> routes,
                List<EndpointView> endpoints,
                RouteForm form,
                FormErrors errors,
                String done);

        static native TemplateInstance budgets(
                Principal user, List<Budgets.Budget> budgets, BudgetForm form, FormErrors errors, String done);

        static native TemplateInstance policy(
                Principal user,
                List<WorkspaceView> workspaces,
                List<String> classifications,
                List<String> autonomies,
                List<String> droids,
                List<ModelHost> hosts,
                String hostInput,
                FormErrors policyErrors,
                FormErrors hostErrors,
                String done);
    }

    /**
     * The route form as typed; endpoints comma-separated in fallback order. {@code override} with a
     * reason routes to endpoints that have not passed the promotion gate (audited).
     */
    public record RouteForm(
            String name,
            String workspace,
            String droid,
            String purpose,
            String endpoints,
            boolean override,
            String overrideReason) {
        static final RouteForm EMPTY = new RouteForm("", "*", "*", "*", "", false, "");
    }

    /** The budget form as typed. */
    public record BudgetForm(String scope, String subject, String period, String maxTokens, String maxCost) {
        static final BudgetForm EMPTY = new BudgetForm("user", "*", "day", "", "");
    }

    // ---- routes

    @GET
    @Path("/routes")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance routesPage(
            @QueryParam("done") @Nullable String done, @QueryParam("value") @Nullable String value) {
        Principal user = admin();
        String what = PortalAdminResource.text(value);
        String message = switch (PortalAdminResource.text(done)) {
            case "saved" -> "Route " + what + " saved.";
            case "deleted" -> "Route " + what + " deleted.";
            default -> "";
        };
        return Templates.routes(user, routes.list(), endpoints.list(), RouteForm.EMPTY, FormErrors.NONE, message);
    }

    @POST
    @Path("/routes")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response saveRoute(
            @FormParam("name") @Nullable String name,
            @FormParam("workspace") @Nullable String workspace,
            @FormParam("droid") @Nullable String droid,
            @FormParam("purpose") @Nullable String purpose,
            @FormParam("endpoints") @Nullable String endpointNames,
            @FormParam("override") @Nullable String override,
            @FormParam("overrideReason") @Nullable String overrideReason) {
        Principal user = admin();
        RouteForm form = new RouteForm(
                PortalAdminResource.text(name).strip(),
                orStar(workspace),
                orStar(droid),
                orStar(purpose),
                PortalAdminResource.text(endpointNames).strip(),
                override != null,
                PortalAdminResource.text(overrideReason).strip());
        List<String> order = Arrays.stream(form.endpoints().split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
        try {
            routes.put(
                    form.name(),
                    new RouteInput(
                            form.workspace(),
                            form.droid(),
                            form.purpose(),
                            order,
                            form.override() ? new RouteGate.GateOverride(form.overrideReason()) : null));
            return done("routes", "saved", form.name());
        } catch (ProblemException e) {
            return PortalAdminResource.html(
                    e.problem().status(),
                    Templates.routes(
                            user, routes.list(), endpoints.list(), form, FormErrors.of(e, ROUTE_FIELDS, Map.of()), ""));
        }
    }

    @POST
    @Path("/routes/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response deleteRoute(@FormParam("name") @Nullable String name) {
        Principal user = admin();
        try {
            routes.delete(PortalAdminResource.text(name));
            return done("routes", "deleted", PortalAdminResource.text(name));
        } catch (ProblemException e) {
            return PortalAdminResource.html(
                    e.problem().status(),
                    Templates.routes(
                            user,
                            routes.list(),
                            endpoints.list(),
                            RouteForm.EMPTY,
                            new FormErrors(e.problem().detail(), Map.of()),
                            ""));
        }
    }

    // ---- budgets

    @GET
    @Path("/budgets")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance budgetsPage(
            @QueryParam("done") @Nullable String done, @QueryParam("value") @Nullable String value) {
        Principal user = admin();
        String what = PortalAdminResource.text(value);
        String message = switch (PortalAdminResource.text(done)) {
            case "created" -> "Budget " + what + " created.";
            case "deleted" -> "Budget " + what + " deleted.";
            default -> "";
        };
        return Templates.budgets(user, budgets.list(), BudgetForm.EMPTY, FormErrors.NONE, message);
    }

    @POST
    @Path("/budgets")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response createBudget(
            @FormParam("scope") @Nullable String scope,
            @FormParam("subject") @Nullable String subject,
            @FormParam("period") @Nullable String period,
            @FormParam("maxTokens") @Nullable String maxTokens,
            @FormParam("maxCost") @Nullable String maxCost) {
        Principal user = admin();
        BudgetForm form = new BudgetForm(
                PortalAdminResource.text(scope),
                PortalAdminResource.text(subject).strip(),
                PortalAdminResource.text(period),
                PortalAdminResource.text(maxTokens).strip(),
                PortalAdminResource.text(maxCost).strip());
        try {
            Long tokens = form.maxTokens().isEmpty() ? null : parseLong(form.maxTokens());
            BigDecimal cost = form.maxCost().isEmpty() ? null : parseCost(form.maxCost());
            Budgets.Budget created =
                    usage.createBudget(new BudgetInput(form.scope(), form.subject(), form.period(), tokens, cost));
            return done("budgets", "created", String.valueOf(created.id()));
        } catch (ProblemException e) {
            return PortalAdminResource.html(
                    e.problem().status(),
                    Templates.budgets(user, budgets.list(), form, FormErrors.of(e, BUDGET_FIELDS, Map.of()), ""));
        }
    }

    @POST
    @Path("/budgets/{id}/delete")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response deleteBudget(@PathParam("id") long id) {
        admin();
        usage.deleteBudget(id);
        return done("budgets", "deleted", String.valueOf(id));
    }

    // ---- data classification and egress

    @GET
    @Path("/policy")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance policyPage(
            @QueryParam("done") @Nullable String done, @QueryParam("value") @Nullable String value) {
        Principal user = admin();
        String what = PortalAdminResource.text(value);
        String message = switch (PortalAdminResource.text(done)) {
            case "policy" -> "Policy of " + what + " saved.";
            case "host-allowed" -> "Model host " + what + " allowed.";
            case "host-withdrawn" -> "Model host " + what + " withdrawn.";
            default -> "";
        };
        return policy(user, "", FormErrors.NONE, FormErrors.NONE, message);
    }

    @POST
    @Path("/policy/workspaces/{slug}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response savePolicy(
            @PathParam("slug") String slug,
            @FormParam("classification") @Nullable String classification,
            @FormParam("autonomy") @Nullable String autonomy,
            @FormParam("droids") @Nullable String droidsSent,
            @FormParam("droid") List<String> droids,
            @FormParam("routes") @Nullable String routes) {
        Principal user = admin();
        try {
            PolicyView now = workspaces.get(user, slug).policy();
            List<String> keptRoutes = now.allowedRoutes().equals(List.of("*")) ? List.of() : now.allowedRoutes();
            workspaces.updatePolicy(
                    user,
                    slug,
                    new PolicyView(
                            // the form sends "droids" with its checkboxes, so that none checked means none allowed
                            droidsSent == null ? now.allowedDroids() : droids,
                            routes == null
                                    ? keptRoutes
                                    : java.util.Arrays.stream(routes.split(","))
                                            .map(String::strip)
                                            .filter(r -> !r.isEmpty() && !r.equals("*"))
                                            .toList(),
                            autonomy == null ? now.autonomy() : autonomy,
                            classification == null ? now.classification() : classification));
            return done("policy", "policy", slug);
        } catch (ProblemException e) {
            return PortalAdminResource.html(
                    e.problem().status(),
                    policy(
                            user,
                            "",
                            new FormErrors(slug + ": " + e.problem().detail(), Map.of()),
                            FormErrors.NONE,
                            ""));
        }
    }

    @POST
    @Path("/policy/model-hosts")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response allowHost(@FormParam("host") @Nullable String host, @FormParam("reason") @Nullable String reason) {
        Principal user = admin();
        try {
            String allowed = endpoints.allowHost(user, host, reason);
            return done("policy", "host-allowed", allowed);
        } catch (ProblemException e) {
            FormErrors errors =
                    FormErrors.of(e, List.of("host", "reason"), Map.of()).onField("host");
            return PortalAdminResource.html(
                    e.problem().status(), policy(user, PortalAdminResource.text(host), FormErrors.NONE, errors, ""));
        }
    }

    @POST
    @Path("/policy/model-hosts/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response withdrawHost(@FormParam("host") @Nullable String host) {
        Principal user = admin();
        try {
            endpoints.withdrawHost(user, PortalAdminResource.text(host));
            return done("policy", "host-withdrawn", PortalAdminResource.text(host));
        } catch (ProblemException e) {
            return PortalAdminResource.html(
                    e.problem().status(),
                    policy(user, "", FormErrors.NONE, new FormErrors(e.problem().detail(), Map.of()), ""));
        }
    }

    private TemplateInstance policy(
            Principal user, String hostInput, FormErrors policyErrors, FormErrors hostErrors, String done) {
        return Templates.policy(
                user,
                workspaces.list(user),
                CLASSIFICATIONS,
                AUTONOMIES,
                DROIDS,
                store.modelHosts(),
                hostInput,
                policyErrors,
                hostErrors,
                done);
    }

    private static String orStar(@Nullable String value) {
        String v = PortalAdminResource.text(value).strip();
        return v.isEmpty() ? "*" : v;
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw field("maxTokens", "must be a whole number of tokens, such as 200000");
        }
    }

    private static BigDecimal parseCost(String text) {
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw field("maxCost", "must be an amount such as 12.50");
        }
    }

    private static ProblemException field(String name, String message) {
        return new ProblemException(Problem.of(400, "invalid-budget", "Invalid budget", name + " " + message)
                .withErrors(List.of(new Problem.FieldError(name, message))));
    }

    private Principal admin() {
        Principal user = currentUser.principal();
        if (!user.isDrydockAdmin()) {
            throw ProblemException.forbidden(DRYDOCK_ADMIN_ONLY);
        }
        return user;
    }

    private static Response done(String page, String what, String value) {
        return Response.seeOther(URI.create("/portal/admin/" + page + "?done=" + what + "&value="
                        + URLEncoder.encode(value, StandardCharsets.UTF_8)))
                .build();
    }
}
