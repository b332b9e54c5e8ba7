package dev.drydock.server.gateway.admin;

import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.auth.Roles;
import dev.drydock.server.gateway.GatewayService;
import dev.drydock.server.gateway.core.EndpointSpec;
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
import java.math.BigDecimal;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/** {@code /api/admin/model-endpoints}: the model servers the gateway may call. Secrets are referenced, never returned. */
@Path("/api/admin/model-endpoints")
@RolesAllowed(Roles.DRYDOCK_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ModelEndpointResource {
    @Inject
    GatewayService gateway;

    @Inject
    GatewayStore store;

    @Inject
    ModelEndpoints endpoints;

    @Inject
    CurrentUser currentUser;

    @Inject
    AuditTrail audit;

    /** An endpoint as sent by an admin; omitted fields take their defaults. */
    public record EndpointInput(
            @Nullable String baseUrl,
            @Nullable String protocol,
            @Nullable String modelId,
            @Nullable String authHeader,
            @Nullable String secretRef,
            @Nullable Integer contextWindow,
            @Nullable List<String> capabilities,
            @Nullable Integer maxConcurrency,
            @Nullable Long connectTimeoutMs,
            @Nullable Long requestTimeoutMs,
            @Nullable Long idleTimeoutMs,
            @Nullable BigDecimal costPer1kPromptTokens,
            @Nullable BigDecimal costPer1kCompletionTokens,
            @Nullable String clearance,
            @Nullable String tokenizer,
            RouteGate.@Nullable GateOverride override) {
        /** Without a gate override (what the portal form and the start-up model send). */
        public EndpointInput(
                @Nullable String baseUrl,
                @Nullable String protocol,
                @Nullable String modelId,
                @Nullable String authHeader,
                @Nullable String secretRef,
                @Nullable Integer contextWindow,
                @Nullable List<String> capabilities,
                @Nullable Integer maxConcurrency,
                @Nullable Long connectTimeoutMs,
                @Nullable Long requestTimeoutMs,
                @Nullable Long idleTimeoutMs,
                @Nullable BigDecimal costPer1kPromptTokens,
                @Nullable BigDecimal costPer1kCompletionTokens,
                @Nullable String clearance,
                @Nullable String tokenizer) {
            this(
                    baseUrl,
                    protocol,
                    modelId,
                    authHeader,
                    secretRef,
                    contextWindow,
                    capabilities,
                    maxConcurrency,
                    connectTimeoutMs,
                    requestTimeoutMs,
                    idleTimeoutMs,
                    costPer1kPromptTokens,
                    costPer1kCompletionTokens,
                    clearance,
                    tokenizer,
                    null);
        }
    }

    /** An endpoint as the API shows it: {@code secretConfigured} says whether its secretRef resolves, never the value. */
    public record EndpointView(
            String name,
            String baseUrl,
            String protocol,
            String modelId,
            String authHeader,
            @Nullable String secretRef,
            boolean secretConfigured,
            int contextWindow,
            List<String> capabilities,
            int maxConcurrency,
            long connectTimeoutMs,
            long requestTimeoutMs,
            long idleTimeoutMs,
            BigDecimal costPer1kPromptTokens,
            BigDecimal costPer1kCompletionTokens,
            String clearance,
            @Nullable String tokenizer,
            String source,
            String breaker) {}

    @GET
    @Operation(summary = "List model endpoints (configured and stored) with their circuit-breaker state")
    public List<EndpointView> list() {
        return gateway.snapshot().endpoints().stream().map(this::view).toList();
    }

    @GET
    @Path("{name}")
    @Operation(summary = "One model endpoint")
    public EndpointView get(@PathParam("name") String name) {
        return gateway.snapshot().endpoints().stream()
                .filter(e -> e.name().equals(name))
                .findFirst()
                .map(this::view)
                .orElseThrow(() -> ProblemException.notFound("Model endpoint '" + name + "'"));
    }

    @PUT
    @Path("{name}")
    @Operation(summary = "Create or replace a model endpoint")
    public EndpointView put(@PathParam("name") String name, @Nullable EndpointInput in) {
        return endpoints.save(currentUser.principal().subject(), name, in);
    }

    @DELETE
    @Path("{name}")
    @Operation(summary = "Delete a stored model endpoint")
    public void delete(@PathParam("name") String name) {
        if (gateway.snapshot().configEndpoints().contains(name)) {
            throw ProblemException.conflict(
                    "Model endpoint '" + name + "' is defined in configuration; remove it there.");
        }
        List<String> usedBy = gateway.snapshot().routes().stream()
                .filter(r -> r.endpoints().contains(name))
                .map(r -> r.name())
                .toList();
        if (!usedBy.isEmpty()) {
            throw ProblemException.conflict("Model endpoint '" + name + "' is used by route(s) "
                    + String.join(", ", usedBy) + "; change them first.");
        }
        boolean deleted = QuarkusTransaction.joiningExisting().call(() -> {
            if (!store.deleteEndpoint(name)) {
                return false;
            }
            audit.appendInTransaction(AuditEntry.of(
                    currentUser.principal().subject(), "model-endpoint.deleted", "model-endpoint " + name));
            return true;
        });
        if (!deleted) {
            throw ProblemException.notFound("Model endpoint '" + name + "'");
        }
        gateway.refresh();
    }

    private EndpointView view(EndpointSpec e) {
        return endpoints.view(e);
    }
}
