package dev.drydock.server.gateway.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.classification.Classification;
import dev.drydock.server.egress.EgressGuard;
import dev.drydock.server.gateway.GatewayService;
import dev.drydock.server.gateway.GatewayTokenizers;
import dev.drydock.server.gateway.admin.ModelEndpointResource.EndpointInput;
import dev.drydock.server.gateway.admin.ModelEndpointResource.EndpointView;
import dev.drydock.server.gateway.admin.ModelRouteResource.RouteView;
import dev.drydock.server.gateway.core.Capability;
import dev.drydock.server.gateway.core.EndpointSpec;
import dev.drydock.server.gateway.core.ModelClient;
import dev.drydock.server.gateway.core.ModelProbe;
import dev.drydock.server.gateway.core.OllamaClient;
import dev.drydock.server.gateway.core.OpenAiChatClient;
import dev.drydock.server.gateway.core.Protocol;
import dev.drydock.server.gateway.core.RouteSpec;
import dev.drydock.server.gateway.core.UpstreamHttp;
import dev.drydock.server.problem.Problem;
import dev.drydock.server.problem.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Stored model endpoints as the admin API and the portal change them: one validation, one store,
 * the gateway refreshed after each change; and the probe behind the portal's "Test" button (the
 * same {@link ModelProbe} as {@code ./drydock model check}).
 */
@ApplicationScoped
public class ModelEndpoints {
    /** The route the first connected endpoint gets: every workspace, droid and purpose. */
    public static final String DEFAULT_ROUTE = "default";

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);

    @Inject
    GatewayService gateway;

    @Inject
    GatewayStore store;

    @Inject
    GatewayTokenizers tokenizers;

    @Inject
    ObjectMapper json;

    @Inject
    AuditTrail audit;

    @Inject
    EgressGuard egress;

    @Inject
    RouteGate gate;

    /** Every endpoint in force, configured and stored. */
    public List<EndpointView> list() {
        return gateway.snapshot().endpoints().stream().map(this::view).toList();
    }

    /** Validates and stores an endpoint (creates or replaces it); field errors name the input's fields. */
    public EndpointView save(String actor, String name, @Nullable EndpointInput in) {
        if (in == null) {
            throw ProblemException.badRequest("send the endpoint as a JSON object");
        }
        if (gateway.snapshot().configEndpoints().contains(name)) {
            throw ProblemException.conflict("Model endpoint '" + name
                    + "' is defined in configuration (drydock.gateway.endpoints." + name + "); change it there.");
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
        String secretRef = in.secretRef() == null || in.secretRef().isBlank()
                ? null
                : in.secretRef().trim();
        String tokenizer = in.tokenizer() == null || in.tokenizer().isBlank()
                ? null
                : in.tokenizer().trim();
        var violations = new ArrayList<>(EndpointSpec.validate(
                name,
                in.baseUrl(),
                in.protocol(),
                in.modelId(),
                authHeader,
                secretRef,
                contextWindow,
                capabilities,
                maxConcurrency,
                connect,
                request,
                idle,
                costPrompt,
                costCompletion,
                clearance,
                tokenizer));
        if (violations.stream().noneMatch(v -> v.field().equals("secretRef"))) {
            gateway.secrets()
                    .refusal(secretRef)
                    .ifPresent(m -> violations.add(new EndpointSpec.Violation("secretRef", m)));
        }
        if (tokenizer != null && violations.stream().noneMatch(v -> v.field().equals("tokenizer"))) {
            tokenizers.problem(tokenizer).ifPresent(p -> violations.add(new EndpointSpec.Violation("tokenizer", p)));
        }
        if (!violations.isEmpty()) {
            throw invalid(violations);
        }
        Set<Capability> caps = EnumSet.noneOf(Capability.class);
        capabilities.forEach(c -> Capability.parse(c).ifPresent(caps::add));
        EndpointSpec spec = new EndpointSpec(
                name,
                URI.create(Objects.requireNonNull(in.baseUrl())),
                Protocol.parse(Objects.requireNonNull(in.protocol())).orElseThrow(),
                Objects.requireNonNull(in.modelId()).trim(),
                authHeader,
                secretRef,
                contextWindow,
                caps,
                maxConcurrency,
                Duration.ofMillis(connect),
                Duration.ofMillis(request),
                Duration.ofMillis(idle),
                costPrompt,
                costCompletion,
                Classification.parse(clearance).orElseThrow(),
                tokenizer);
        Optional<EndpointSpec> before = gateway.snapshot().endpoints().stream()
                .filter(e -> e.name().equals(name))
                .findFirst();
        boolean newModel = before.isPresent()
                && (!before.get().baseUrl().equals(spec.baseUrl())
                        || !before.get().modelId().equals(spec.modelId()));
        List<String> routed = gateway.snapshot().routes().stream()
                .filter(r -> r.endpoints().contains(name))
                .map(RouteSpec::name)
                .toList();
        QuarkusTransaction.joiningExisting().run(() -> {
            if (newModel && !routed.isEmpty()) {
                // routes send traffic here: a new model behind the same name must pass the gate too
                gate.admitChange(
                        actor,
                        routed,
                        new RouteGate.EndpointSpecView(name, spec.baseUrl().toString(), spec.modelId()),
                        in.override());
            }
            store.upsert(spec);
            audit.appendInTransaction(AuditEntry.of(actor, "model-endpoint.saved", "model-endpoint " + name)
                    .with("baseUrl", spec.baseUrl())
                    .with("protocol", spec.protocol().label())
                    .with("modelId", spec.modelId())
                    .with("clearance", spec.clearance().label())
                    .with("secretRef", secretRef));
        });
        gateway.refresh();
        return view(spec);
    }

    /** When no route exists yet, routes everything to {@code endpoint} (route {@value #DEFAULT_ROUTE}); empty when a route exists. */
    public Optional<RouteView> ensureDefaultRoute(String actor, String endpoint) {
        synchronized (this) {
            if (!gateway.snapshot().routes().isEmpty()) {
                return Optional.empty();
            }
            RouteSpec route = new RouteSpec(DEFAULT_ROUTE, "*", "*", "*", List.of(endpoint));
            boolean saved = QuarkusTransaction.joiningExisting().call(() -> {
                if (!store.upsert(route)) {
                    return false;
                }
                gate.bootstrap(actor, DEFAULT_ROUTE, endpoint);
                audit.appendInTransaction(AuditEntry.of(actor, "model-route.saved", "model-route " + DEFAULT_ROUTE)
                        .with("endpoints", endpoint)
                        .with("reason", "first endpoint"));
                return true;
            });
            if (!saved) {
                return Optional.empty();
            }
            gateway.refresh();
            return Optional.of(new RouteView(
                    route.name(),
                    route.workspace(),
                    route.droid(),
                    route.purpose(),
                    route.endpoints(),
                    "api",
                    java.util.Map.of(endpoint, gate.status(endpoint))));
        }
    }

    /**
     * Probes an endpoint before it is saved, as {@code ./drydock model check URL --allow HOST} would:
     * the admin who typed the URL allows its host for this probe only (saving the endpoint does not
     * add it to the egress allow-list: that is the audited {@code /api/admin/model-hosts} action). Audited. A blank model id probes the first listed.
     */
    public ModelProbe.Report probe(Principal caller, @Nullable EndpointInput in) {
        if (!caller.isDrydockAdmin()) {
            throw ProblemException.forbidden("Only a drydock-admin may probe model endpoints.");
        }
        return probe(caller.subject(), caller.username(), in);
    }

    /** The probe for an operator's own action (an admin's form, {@code ./drydock up --model}); {@code by} names them in the audit record. */
    ModelProbe.Report probe(String actor, String by, @Nullable EndpointInput in) {
        if (in == null) {
            throw ProblemException.badRequest("send the endpoint to probe");
        }
        String secretRef = in.secretRef() == null || in.secretRef().isBlank()
                ? null
                : in.secretRef().trim();
        List<EndpointSpec.Violation> violations = EndpointSpec.validate(
                        "probe",
                        in.baseUrl(),
                        in.protocol(),
                        "probe",
                        null,
                        secretRef,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null)
                .stream()
                .filter(v -> Set.of("baseUrl", "protocol", "secretRef").contains(v.field()))
                .toList();
        if (violations.isEmpty() && secretRef != null) {
            violations = gateway.secrets()
                    .refusal(secretRef)
                    .map(m -> List.of(new EndpointSpec.Violation("secretRef", m)))
                    .orElse(List.of());
        }
        if (!violations.isEmpty()) {
            throw invalid(violations);
        }
        String secret = gateway.secrets().resolve(secretRef);
        if (secretRef != null && secret == null) {
            throw invalid(List.of(new EndpointSpec.Violation(
                    "secretRef",
                    "does not resolve on the server: the environment variable is unset or the file unreadable")));
        }
        URI base = URI.create(Objects.requireNonNull(in.baseUrl()).strip());
        Protocol protocol =
                Protocol.parse(Objects.requireNonNull(in.protocol())).orElseThrow();
        String model = in.modelId() == null || in.modelId().isBlank()
                ? null
                : in.modelId().strip();
        audit.append(AuditEntry.of(actor, "model-endpoint.probed", "model-endpoint " + base.getHost())
                .with("baseUrl", base)
                .with("protocol", protocol.label())
                .with("by", by));
        try (EgressGuard guard = new EgressGuard(List.of(base.getHost()), r -> {}, Clock.systemUTC())) {
            UpstreamHttp http = new UpstreamHttp(guard, 16L << 20);
            ModelClient client =
                    protocol == Protocol.OLLAMA ? new OllamaClient(http, json) : new OpenAiChatClient(http, json);
            return new ModelProbe(client, json, PROBE_TIMEOUT).run(base, protocol, model, secret, l -> {});
        }
    }

    private static final java.util.regex.Pattern HOST = java.util.regex.Pattern.compile(
            "(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    /**
     * Lets the server reach a model server host: the only way the host of an endpoint saved through
     * the API joins the egress allow-list. Drydock-admins only; audited ({@code egress.host-allowed})
     * with the reason. Allowing a host that is already allowed is a 409.
     */
    public String allowHost(Principal caller, @Nullable String host, @Nullable String reason) {
        if (!caller.isDrydockAdmin()) {
            throw ProblemException.forbidden("Only a drydock-admin may let the server reach a model host.");
        }
        return allowHost(caller.subject(), caller.username(), host, reason);
    }

    /**
     * The same audited action taken by the operator's own start-up configuration ({@code ./drydock
     * up --model URL}), recorded under {@code actor}.
     */
    String allowHost(String actor, String by, @Nullable String host, @Nullable String reason) {
        String h = host == null ? "" : host.strip().toLowerCase(Locale.ROOT);
        if (h.isEmpty()
                || h.contains("/")
                || h.contains(":")
                || h.contains("@")
                || !HOST.matcher(h).matches()) {
            throw hostField(
                    "host",
                    "host is a host name only (e.g. models.internal.example), without scheme, port, path or user");
        }
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty() || why.length() > 500) {
            throw hostField(
                    "reason", "reason is required (at most 500 characters): why may the server reach this host?");
        }
        if (!store.allowModelHost(h, why, by)) {
            throw ProblemException.conflict("Model host '" + h + "' is already allowed.");
        }
        gateway.refresh();
        audit.append(AuditEntry.of(actor, "egress.host-allowed", h)
                .with("purpose", "model endpoint")
                .with("reason", why)
                .with("by", by));
        return h;
    }

    /** Withdraws a model host allowed with {@link #allowHost}; audited ({@code egress.host-withdrawn}). */
    public void withdrawHost(Principal caller, String host) {
        if (!caller.isDrydockAdmin()) {
            throw ProblemException.forbidden("Only a drydock-admin may change which model hosts the server reaches.");
        }
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (!store.withdrawModelHost(h)) {
            throw ProblemException.notFound("Allowed model host '" + h + "'");
        }
        gateway.refresh();
        audit.append(AuditEntry.of(caller.subject(), "egress.host-withdrawn", h)
                .with("purpose", "model endpoint")
                .with("by", caller.username()));
    }

    /** Whether the server may reach {@code host} (allow-list, configured endpoint or allowed model host). */
    public boolean reachable(String host) {
        return egress.isAllowed(host);
    }

    private static ProblemException hostField(String field, String message) {
        return new ProblemException(Problem.of(400, "invalid-model-host", "Invalid model host", message)
                .withErrors(List.of(new Problem.FieldError(field, message))));
    }

    private static ProblemException invalid(List<EndpointSpec.Violation> violations) {
        List<Problem.FieldError> errors = violations.stream()
                .map(v -> new Problem.FieldError(v.field(), v.message()))
                .toList();
        return new ProblemException(Problem.of(
                        400,
                        "invalid-model-endpoint",
                        "Invalid model endpoint",
                        String.join(
                                "; ",
                                errors.stream()
                                        .map(f -> f.field() + " " + f.message())
                                        .toList()))
                .withErrors(errors));
    }

    EndpointView view(EndpointSpec e) {
        String source = gateway.snapshot().configEndpoints().contains(e.name()) ? "config" : "api";
        return new EndpointView(
                e.name(),
                e.baseUrl().toString(),
                e.protocol().label(),
                e.modelId(),
                e.authHeader(),
                e.secretRef(),
                e.secretRef() != null && gateway.secrets().resolve(e.secretRef()) != null,
                e.contextWindow(),
                e.capabilities().stream().map(Capability::label).sorted().toList(),
                e.maxConcurrency(),
                e.connectTimeout().toMillis(),
                e.requestTimeout().toMillis(),
                e.idleTimeout().toMillis(),
                e.costPer1kPromptTokens(),
                e.costPer1kCompletionTokens(),
                e.clearance().label(),
                e.tokenizer(),
                source,
                gateway.breakerState(e.name()).name().toLowerCase(Locale.ROOT));
    }
}
