package dev.drydock.server.gateway.admin;

import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.auth.Roles;
import dev.drydock.server.gateway.GatewayService;
import dev.drydock.server.gateway.core.RouteSpec;
import dev.drydock.server.problem.Problem;
import dev.drydock.server.problem.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/** {@code /api/admin/model-routes}: which endpoints serve which (workspace, droid, purpose), in fallback order. */
@Path("/api/admin/model-routes")
@RolesAllowed(Roles.DRYDOCK_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ModelRouteResource {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern KEY = Pattern.compile("\\*|[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    @Inject
    GatewayService gateway;

    @Inject
    GatewayStore store;

    @Inject
    CurrentUser currentUser;

    @Inject
    AuditTrail audit;

    @Inject
    RouteGate gate;

    /**
     * A route as sent by an admin; workspace, droid and purpose default to {@code *}. {@code override}
     * (with a reason) lets a drydock-admin route to an endpoint that has not passed the model promotion
     * gate; audited.
     */
    public record RouteInput(
            @Nullable String workspace,
            @Nullable String droid,
            @Nullable String purpose,
            @Nullable List<String> endpoints,
            RouteGate.@Nullable GateOverride override) {}

    /** A route as the API shows it; {@code gate} is each endpoint's model promotion gate state. */
    public record RouteView(
            String name,
            String workspace,
            String droid,
            String purpose,
            List<String> endpoints,
            String source,
            Map<String, String> gate) {}

    @GET
    @Operation(summary = "List model routes")
    public List<RouteView> list() {
        return gateway.snapshot().routes().stream().map(this::view).toList();
    }

    @PUT
    @Path("{name}")
    @Operation(summary = "Create or replace a model route")
    public RouteView put(@PathParam("name") String name, @Nullable RouteInput in) {
        if (in == null) {
            throw ProblemException.badRequest("send the route as a JSON object");
        }
        if (gateway.snapshot().configRoutes().contains(name)) {
            throw ProblemException.conflict("Model route '" + name + "' is defined in configuration; change it there.");
        }
        String workspace = Objects.requireNonNullElse(in.workspace(), "*");
        String droid = Objects.requireNonNullElse(in.droid(), "*");
        String purpose = Objects.requireNonNullElse(in.purpose(), "*");
        List<String> endpoints = Objects.requireNonNullElse(in.endpoints(), List.of());
        List<Problem.FieldError> errors = new ArrayList<>();
        if (!NAME.matcher(name).matches()) {
            errors.add(new Problem.FieldError("name", "must be 1-63 characters of a-z, 0-9, '.', '_' or '-'"));
        }
        for (var field :
                List.of(List.of("workspace", workspace), List.of("droid", droid), List.of("purpose", purpose))) {
            if (!KEY.matcher(field.get(1)).matches()) {
                errors.add(new Problem.FieldError(
                        field.get(0), "must be * or a name of letters, digits, '.', '_' or '-'"));
            }
        }
        if (endpoints.isEmpty()) {
            errors.add(
                    new Problem.FieldError("endpoints", "must name at least one endpoint, in the order to try them"));
        }
        for (String e : endpoints) {
            if (gateway.snapshot().endpoints().stream().noneMatch(s -> s.name().equals(e))) {
                errors.add(new Problem.FieldError("endpoints", "unknown endpoint '" + e + "'"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.of(
                            400,
                            "invalid-model-route",
                            "Invalid model route",
                            String.join(
                                    "; ",
                                    errors.stream()
                                            .map(f -> f.field() + " " + f.message())
                                            .toList()))
                    .withErrors(errors));
        }
        RouteSpec route = new RouteSpec(name, workspace, droid, purpose, endpoints);
        boolean conflicting = gateway.snapshot().routes().stream()
                .anyMatch(r -> !r.name().equals(name)
                        && r.workspace().equals(workspace)
                        && r.droid().equals(droid)
                        && r.purpose().equals(purpose));
        List<String> before = gateway.snapshot().routes().stream()
                .filter(r -> r.name().equals(name))
                .findFirst()
                .map(RouteSpec::endpoints)
                .orElse(List.of());
        List<String> added =
                endpoints.stream().filter(e -> !before.contains(e)).distinct().toList();
        String actor = currentUser.principal().subject();
        if (conflicting
                || !QuarkusTransaction.joiningExisting().call(() -> {
                    gate.admit(actor, name, added, in.override());
                    if (!store.upsert(route)) {
                        return false;
                    }
                    audit.appendInTransaction(AuditEntry.of(actor, "model-route.saved", "model-route " + name)
                            .with("workspace", workspace)
                            .with("droid", droid)
                            .with("purpose", purpose)
                            .with("endpoints", String.join(",", endpoints)));
                    return true;
                })) {
            throw ProblemException.conflict("Another route already covers workspace '" + workspace + "', droid '"
                    + droid + "', purpose '" + purpose + "'.");
        }
        gateway.refresh();
        return view(route);
    }

    @DELETE
    @Path("{name}")
    @Operation(summary = "Delete a stored model route")
    public void delete(@PathParam("name") String name) {
        if (gateway.snapshot().configRoutes().contains(name)) {
            throw ProblemException.conflict("Model route '" + name + "' is defined in configuration; remove it there.");
        }
        boolean deleted = QuarkusTransaction.joiningExisting().call(() -> {
            if (!store.deleteRoute(name)) {
                return false;
            }
            audit.appendInTransaction(
                    AuditEntry.of(currentUser.principal().subject(), "model-route.deleted", "model-route " + name));
            return true;
        });
        if (!deleted) {
            throw ProblemException.notFound("Model route '" + name + "'");
        }
        gateway.refresh();
    }

    private RouteView view(RouteSpec r) {
        Map<String, String> states = new LinkedHashMap<>();
        r.endpoints().forEach(e -> states.put(e, gate.status(e)));
        return new RouteView(
                r.name(),
                r.workspace(),
                r.droid(),
                r.purpose(),
                r.endpoints(),
                gateway.snapshot().configRoutes().contains(r.name()) ? "config" : "api",
                states);
    }
}
