package dev.drydock.server.gateway.admin;

import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.auth.Roles;
import dev.drydock.server.gateway.GatewayService;
import dev.drydock.server.gateway.GatewayTokenizers;
import dev.drydock.server.gateway.core.Capability;
import dev.drydock.server.classification.Classification;
import dev.drydock.server.gateway.core.EndpointSpec;
import dev.drydock.server.gateway.core.Protocol;
import dev.drydock.server.gateway.core.SecretResolver;
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
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/** {@code /api/admin/model-endpoints}: the model servers the gateway may call. Secrets are referenced, never returned. */
@Path("/api/admin/model-endpoints")
@RolesAllowed(Roles.DRYDOCK_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ModelEndpointResource {
    @Inject GatewayService gateway;
    @Inject GatewayStore store;
    @Inject GatewayTokenizers tokenizers;
    @Inject CurrentUser currentUser;
    @Inject AuditTrail audit;

    /** An endpoint as sent by an admin; omitted fields take their defaults. */
    public record EndpointInput(
            @Nullable String baseUrl, @Nullable String protocol, @Nullable String modelId, @Nullable String authHeader,
            @Nullable String secretRef, @Nullable Integer contextWindow, @Nullable List<String> capabilities,
            @Nullable Integer maxConcurrency, @Nullable Long connectTimeoutMs, @Nullable Long requestTimeoutMs,
            @Nullable Long idleTimeoutMs, @Nullable BigDecimal costPer1kPromptTokens, @Nullable BigDecimal costPer1kCompletionTokens,
            @Nullable String clearance, @Nullable String tokenizer) {}

    /** An endpoint as the API shows it: {@code secretConfigured} says whether its secretRef resolves, never the value. */
    public record EndpointView(
            String name, String baseUrl, String protocol, String modelId, String authHeader, @Nullable String secretRef,
            boolean secretConfigured, int contextWindow, List<String> capabilities, int maxConcurrency, long connectTimeoutMs,
            long requestTimeoutMs, long idleTimeoutMs, BigDecimal costPer1kPromptTokens, BigDecimal costPer1kCompletionTokens,
            String clearance, @Nullable String tokenizer, String source, String breaker) {}

    @GET
    @Operation(summary = "List model endpoints (configured and stored) with their circuit-breaker state")
    public List<EndpointView> list() {
        return gateway.snapshot().endpoints().stream().map(this::view).toList();
    }

    @GET
    @Path("{name}")
    @Operation(summary = "One model endpoint")
    public EndpointView get(@PathParam("name") String name) {
        return gateway.snapshot().endpoints().stream().filter(e -> e.name().equals(name)).findFirst().map(this::view)
                .orElseThrow(() -> ProblemException.notFound("Model endpoint '" + name + "'"));
    }

    @PUT
    @Path("{name}")
    @Operation(summary = "Create or replace a model endpoint")
    public EndpointView put(@PathParam("name") String name, @Nullable EndpointInput in) {
        if (in == null) {
            throw ProblemException.badRequest("send the endpoint as a JSON object");
        }
        if (gateway.snapshot().configEndpoints().contains(name)) {
            throw ProblemException.conflict("Model endpoint '" + name + "' is defined in configuration (drydock.gateway.endpoints." + name + "); change it there.");
        }
        String authHeader = Objects.requireNonNullElse(in.authHeader(), "Authorization");
        int contextWindow = Objects.requireNonNullElse(in.contextWindow(), 8192);
        List<String> capabilities = Objects.requireNonNullElse(in.capabilities(), List.of("streaming"));
        int maxConcurrency = Objects.requireNonNullElse(in.maxConcurrency(), 8);
        long connect = Objects.requireNonNullElse(in.connectTimeoutMs(), 5_000L);
        long request = Objects.requireNonNullElse(in.requestTimeoutMs(), 300_000L);
        long idle = Objects.requireNonNullElse(in.idleTimeoutMs(), 60_000L);
        BigDecimal costPrompt = Objects.requireNonNullElse(in.costPer1kPromptTokens(), BigDecimal.ZERO);
        BigDecimal costCompletion = Objects.requireNonNullElse(in.costPer1kCompletionTokens(), BigDecimal.ZERO);
        String clearance = Objects.requireNonNullElse(in.clearance(), "internal");
        String secretRef = in.secretRef() == null || in.secretRef().isBlank() ? null : in.secretRef().trim();
        String tokenizer = in.tokenizer() == null || in.tokenizer().isBlank() ? null : in.tokenizer().trim();
        var violations = new java.util.ArrayList<>(EndpointSpec.validate(name, in.baseUrl(), in.protocol(), in.modelId(), authHeader, secretRef, contextWindow,
                capabilities, maxConcurrency, connect, request, idle, costPrompt, costCompletion, clearance, tokenizer));
        if (tokenizer != null && violations.stream().noneMatch(v -> v.field().equals("tokenizer"))) {
            tokenizers.problem(tokenizer).ifPresent(p -> violations.add(new EndpointSpec.Violation("tokenizer", p)));
        }
        if (!violations.isEmpty()) {
            List<Problem.FieldError> errors = violations.stream().map(v -> new Problem.FieldError(v.field(), v.message())).toList();
            throw new ProblemException(Problem.of(400, "invalid-model-endpoint", "Invalid model endpoint",
                    String.join("; ", errors.stream().map(f -> f.field() + " " + f.message()).toList())).withErrors(errors));
        }
        Set<Capability> caps = EnumSet.noneOf(Capability.class);
        capabilities.forEach(c -> Capability.parse(c).ifPresent(caps::add));
        EndpointSpec spec = new EndpointSpec(name, URI.create(Objects.requireNonNull(in.baseUrl())), Protocol.parse(Objects.requireNonNull(in.protocol())).orElseThrow(),
                Objects.requireNonNull(in.modelId()).trim(), authHeader, secretRef, contextWindow, caps, maxConcurrency, Duration.ofMillis(connect),
                Duration.ofMillis(request), Duration.ofMillis(idle), costPrompt, costCompletion, Classification.parse(clearance).orElseThrow(), tokenizer);
        QuarkusTransaction.joiningExisting().run(() -> {
            store.upsert(spec);
            audit.appendInTransaction(AuditEntry.of(currentUser.principal().subject(), "gateway.endpoint-changed", name)
                    .with("baseUrl", spec.baseUrl()).with("protocol", in.protocol()).with("modelId", spec.modelId())
                    .with("clearance", clearance).with("secretRef", secretRef == null ? "" : secretRef));
        });
        gateway.refresh();
        return view(spec);
    }

    @DELETE
    @Path("{name}")
    @Operation(summary = "Delete a stored model endpoint")
    public void delete(@PathParam("name") String name) {
        if (gateway.snapshot().configEndpoints().contains(name)) {
            throw ProblemException.conflict("Model endpoint '" + name + "' is defined in configuration; remove it there.");
        }
        List<String> usedBy = gateway.snapshot().routes().stream().filter(r -> r.endpoints().contains(name)).map(r -> r.name()).toList();
        if (!usedBy.isEmpty()) {
            throw ProblemException.conflict("Model endpoint '" + name + "' is used by route(s) " + String.join(", ", usedBy) + "; change them first.");
        }
        boolean deleted = QuarkusTransaction.joiningExisting().call(() -> {
            if (!store.deleteEndpoint(name)) {
                return false;
            }
            audit.appendInTransaction(AuditEntry.of(currentUser.principal().subject(), "gateway.endpoint-deleted", name));
            return true;
        });
        if (!deleted) {
            throw ProblemException.notFound("Model endpoint '" + name + "'");
        }
        gateway.refresh();
    }

    private EndpointView view(EndpointSpec e) {
        String source = gateway.snapshot().configEndpoints().contains(e.name()) ? "config" : "api";
        return new EndpointView(e.name(), e.baseUrl().toString(), e.protocol().label(), e.modelId(), e.authHeader(), e.secretRef(),
                e.secretRef() != null && SecretResolver.DEFAULT.resolve(e.secretRef()) != null, e.contextWindow(),
                e.capabilities().stream().map(Capability::label).sorted().toList(), e.maxConcurrency(), e.connectTimeout().toMillis(),
                e.requestTimeout().toMillis(), e.idleTimeout().toMillis(), e.costPer1kPromptTokens(), e.costPer1kCompletionTokens(),
                e.clearance().label(), e.tokenizer(), source, gateway.breakerState(e.name()).name().toLowerCase(java.util.Locale.ROOT));
    }
}
