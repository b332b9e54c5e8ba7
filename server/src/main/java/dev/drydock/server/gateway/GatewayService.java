package dev.drydock.server.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.server.classification.Classification;
import dev.drydock.server.egress.EgressGuard;
import dev.drydock.server.gateway.accounting.Budgets;
import dev.drydock.server.gateway.admin.GatewayStore;
import dev.drydock.server.gateway.core.CallContext;
import dev.drydock.server.gateway.core.Cancellation;
import dev.drydock.server.gateway.core.Capability;
import dev.drydock.server.gateway.core.ChatRequest;
import dev.drydock.server.gateway.core.ChatResult;
import dev.drydock.server.gateway.core.CircuitBreaker;
import dev.drydock.server.gateway.core.EndpointCatalog;
import dev.drydock.server.gateway.core.EndpointSpec;
import dev.drydock.server.gateway.core.Gateway;
import dev.drydock.server.gateway.core.GatewayException;
import dev.drydock.server.gateway.core.GatewayRecord;
import dev.drydock.server.gateway.core.GatewayRecorder;
import dev.drydock.server.gateway.core.GatewaySettings;
import dev.drydock.server.gateway.core.OllamaClient;
import dev.drydock.server.gateway.core.OpenAiChatClient;
import dev.drydock.server.gateway.core.Protocol;
import dev.drydock.server.gateway.core.RouteSpec;
import dev.drydock.server.gateway.core.SecretResolver;
import dev.drydock.server.gateway.core.StreamEvent;
import dev.drydock.server.gateway.core.UpstreamHttp;
import dev.drydock.server.gateway.dlp.DlpPolicy;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The gateway as the rest of the server uses it: the plain-Java {@link Gateway} over configured and
 * stored endpoints, recording into every {@link GatewayRecorder} bean (the accounting table, and the
 * audit trail once it subscribes). Callers inside the server inject this bean, never an HTTP client.
 */
@ApplicationScoped
public class GatewayService {
    @Inject
    GatewayConfig config;

    @Inject
    GatewayStore store;

    @Inject
    Budgets budgets;

    @Inject
    EgressGuard egress;

    @Inject
    ObjectMapper json;

    @Inject
    @Any
    Instance<GatewayRecorder> recorders;

    @Inject
    GatewayTokenizers tokenizers;

    @Inject
    BreakerSharing breakers;

    private volatile Snapshot snapshot = new Snapshot(List.of(), Set.of(), List.of(), Set.of());
    private Gateway gateway;
    private SecretResolver secrets = SecretResolver.NONE;
    /** Hosts this service put on the egress allow-list: configured endpoints' hosts and those an admin allowed. */
    private Set<String> allowedModelHosts = Set.of();

    private Classification defaultClassification;

    /** Endpoints and routes in force; {@code configNames} are those defined in configuration (read-only through the API). */
    public record Snapshot(
            List<EndpointSpec> endpoints,
            Set<String> configEndpoints,
            List<RouteSpec> routes,
            Set<String> configRoutes) {}

    @PostConstruct
    void start() {
        defaultClassification = Classification.parse(config.defaultClassification())
                .orElseThrow(() -> new IllegalStateException(
                        "drydock.gateway.default-classification must be one of " + Classification.labels()));
        DlpPolicy dlp;
        try {
            dlp = DlpPolicy.valueOf(config.dlpPolicy().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "drydock.gateway.dlp-policy must be redact, refuse or off, not '" + config.dlpPolicy() + "'", e);
        }
        secrets = SecretResolver.limited(
                config.secretsDir().map(java.nio.file.Path::of).orElse(null), config.secretEnvPrefix());
        UpstreamHttp http = new UpstreamHttp(egress, config.maxResponseBytes());
        GatewaySettings settings = new GatewaySettings(
                config.attemptsPerEndpoint(),
                config.initialBackoff(),
                config.maxBackoff(),
                config.breakerFailureThreshold(),
                config.breakerOpenFor(),
                config.queueTimeout());
        EndpointCatalog catalog = new EndpointCatalog() {
            @Override
            public List<EndpointSpec> endpoints() {
                return snapshot.endpoints();
            }

            @Override
            public List<RouteSpec> routes() {
                return snapshot.routes();
            }
        };
        GatewayRecorder all = this::recordEverywhere;
        gateway = new Gateway(
                catalog,
                Map.of(
                        Protocol.OPENAI_CHAT,
                        new OpenAiChatClient(http, json),
                        Protocol.OLLAMA,
                        new OllamaClient(http, json)),
                settings,
                Clock.systemUTC(),
                all,
                budgets,
                dlp,
                secrets,
                json,
                tokenizers);
        // off the request path: the opening is written by a thread of its own
        gateway.onBreakerOpened((endpoint, until) -> Thread.ofVirtual().start(() -> shareOpening(endpoint, until)));
        refresh();
    }

    private void shareOpening(String endpoint, java.time.Instant until) {
        try {
            breakers.opened(endpoint, until, java.time.Instant.now());
        } catch (RuntimeException e) {
            org.jboss.logging.Logger.getLogger(GatewayService.class)
                    .warnf(
                            "cannot share the opening of %s's circuit breaker with other replicas: %s",
                            endpoint, e.getMessage());
        }
    }

    /** Keeps endpoints away whose breaker another replica opened (BreakerSharing). */
    @io.quarkus.scheduler.Scheduled(
            every = "2s",
            delayed = "2s",
            concurrentExecution = io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP)
    void adoptOpenings() {
        try {
            for (BreakerSharing.Opening o : breakers.elsewhere(java.time.Instant.now())) {
                gateway.adoptOpen(o.endpoint(), o.until());
            }
            breakerOutages.succeeded();
        } catch (RuntimeException e) {
            if (!breakerOutages.failed(e)) {
                org.jboss.logging.Logger.getLogger(GatewayService.class)
                        .debugf("cannot read other replicas' circuit breakers: %s", e.getMessage());
            }
        }
    }

    /** One warning per PostgreSQL outage for each of the gateway's background loops. */
    private final dev.drydock.server.problem.OutageLog breakerOutages = new dev.drydock.server.problem.OutageLog(
            org.jboss.logging.Logger.getLogger(GatewayService.class), "circuit breakers of other replicas");

    private final dev.drydock.server.problem.OutageLog refreshOutages = new dev.drydock.server.problem.OutageLog(
            org.jboss.logging.Logger.getLogger(GatewayService.class), "endpoint and route refresh");

    /** A record a recorder could not write while PostgreSQL was away, kept to be written once it answers. */
    private record Deferred(GatewayRecorder recorder, GatewayRecord record) {}

    /** Most records kept while PostgreSQL is away; past it, they are logged as lost. */
    static final int MAX_DEFERRED = 10_000;

    private final java.util.concurrent.ConcurrentLinkedQueue<Deferred> deferred =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger deferredCount =
            new java.util.concurrent.atomic.AtomicInteger();

    private final dev.drydock.server.problem.OutageLog recorderOutages = new dev.drydock.server.problem.OutageLog(
            org.jboss.logging.Logger.getLogger(GatewayService.class), "gateway accounting and audit records");

    /**
     * Writes the accounting and audit records of requests answered while PostgreSQL was away, in their
     * order, once it answers again (every 2 s; the records wait in memory, at most {@link #MAX_DEFERRED}).
     */
    @io.quarkus.scheduler.Scheduled(
            every = "2s",
            delayed = "2s",
            concurrentExecution = io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP)
    void writeDeferred() {
        if (deferred.isEmpty()) {
            return;
        }
        recorderOutages.run(() -> {
            for (Deferred d = deferred.peek(); d != null; d = deferred.peek()) {
                try {
                    d.recorder().record(d.record());
                } catch (RuntimeException e) {
                    if (dev.drydock.server.problem.DatabaseUnavailable.is(e)) {
                        throw e;
                    }
                    org.jboss.logging.Logger.getLogger(GatewayService.class)
                            .errorf(
                                    "gateway recorder %s failed: %s",
                                    d.recorder().getClass().getName(), e.getMessage());
                }
                deferred.poll();
                deferredCount.decrementAndGet();
            }
        });
    }

    private void recordEverywhere(GatewayRecord record) {
        for (GatewayRecorder r : recorders) {
            try {
                r.record(record);
            } catch (RuntimeException e) {
                if (dev.drydock.server.problem.DatabaseUnavailable.is(e)
                        && deferredCount.incrementAndGet() <= MAX_DEFERRED) {
                    recorderOutages.failed(e);
                    deferred.add(new Deferred(r, record));
                    continue;
                }
                if (dev.drydock.server.problem.DatabaseUnavailable.is(e)) {
                    deferredCount.decrementAndGet();
                }
                org.jboss.logging.Logger.getLogger(GatewayService.class)
                        .errorf("gateway recorder %s failed: %s", r.getClass().getName(), e.getMessage());
            }
        }
    }

    /** Picks up endpoint and route changes made through another server replica. */
    @io.quarkus.scheduler.Scheduled(
            every = "30s",
            delayed = "30s",
            concurrentExecution = io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP)
    void periodicRefresh() {
        refreshOutages.run(this::refresh);
    }

    /**
     * Reloads stored endpoints and routes (after admin changes). The egress allow-list gets the hosts
     * of endpoints defined in configuration and the model hosts a drydock-admin allowed through the
     * audited {@code /api/admin/model-hosts} action; saving an endpoint through the API does not
     * allow its host by itself.
     */
    public synchronized void refresh() {
        List<EndpointSpec> endpoints = new ArrayList<>(configEndpoints());
        Set<String> configNames =
                new TreeSet<>(endpoints.stream().map(EndpointSpec::name).toList());
        store.endpoints().stream().filter(e -> !configNames.contains(e.name())).forEach(endpoints::add);
        List<RouteSpec> routes = new ArrayList<>();
        config.routes()
                .forEach((name, r) ->
                        routes.add(new RouteSpec(name, r.workspace(), r.droid(), r.purpose(), r.endpoints())));
        Set<String> configRoutes = new TreeSet<>(config.routes().keySet());
        store.routes().stream().filter(r -> !configRoutes.contains(r.name())).forEach(routes::add);
        Set<String> oldHosts = allowedModelHosts;
        Set<String> newHosts = new TreeSet<>(endpoints.stream()
                .filter(e -> configNames.contains(e.name()))
                .map(EndpointSpec::host)
                .toList());
        newHosts.addAll(
                store.modelHosts().stream().map(GatewayStore.ModelHost::host).toList());
        newHosts.forEach(egress::allowHost);
        oldHosts.stream().filter(h -> !newHosts.contains(h)).forEach(egress::disallowHost);
        allowedModelHosts = Set.copyOf(newHosts);
        snapshot = new Snapshot(
                List.copyOf(endpoints), Set.copyOf(configNames), List.copyOf(routes), Set.copyOf(configRoutes));
        tokenizers.retain(endpoints);
    }

    private List<EndpointSpec> configEndpoints() {
        List<EndpointSpec> out = new ArrayList<>();
        config.endpoints().forEach((name, e) -> {
            var validated = EndpointSpec.validate(
                    name,
                    e.baseUrl(),
                    e.protocol(),
                    e.model(),
                    e.authHeader(),
                    e.secretRef().orElse(null),
                    e.contextWindow(),
                    e.capabilities(),
                    e.maxConcurrency(),
                    e.connectTimeout().toMillis(),
                    e.requestTimeout().toMillis(),
                    e.idleTimeout().toMillis(),
                    e.costPer1kPromptTokens(),
                    e.costPer1kCompletionTokens(),
                    e.clearance(),
                    e.tokenizer().orElse(null));
            List<EndpointSpec.Violation> violations = new ArrayList<>(validated);
            secrets.refusal(e.secretRef().orElse(null))
                    .ifPresent(m -> violations.add(new EndpointSpec.Violation("secretRef", m)));
            if (!violations.isEmpty()) {
                throw new IllegalStateException("drydock.gateway.endpoints." + name + " is invalid: "
                        + String.join(
                                "; ",
                                violations.stream()
                                        .map(v -> v.field() + " " + v.message())
                                        .toList()));
            }
            Set<Capability> caps = EnumSet.noneOf(Capability.class);
            e.capabilities().forEach(c -> Capability.parse(c).ifPresent(caps::add));
            out.add(new EndpointSpec(
                    name,
                    URI.create(e.baseUrl()),
                    Protocol.parse(e.protocol()).orElseThrow(),
                    e.model(),
                    e.authHeader(),
                    e.secretRef().orElse(null),
                    e.contextWindow(),
                    caps,
                    e.maxConcurrency(),
                    e.connectTimeout(),
                    e.requestTimeout(),
                    e.idleTimeout(),
                    e.costPer1kPromptTokens(),
                    e.costPer1kCompletionTokens(),
                    Classification.parse(e.clearance()).orElseThrow(),
                    e.tokenizer().orElse(null)));
        });
        return out;
    }

    /** Records a request the gateway served itself (local embeddings) like any other. */
    public void record(GatewayRecord record) {
        recordEverywhere(record);
    }

    /** The budget refusal for a context, if any. */
    public java.util.Optional<String> budgetRefusal(CallContext ctx) {
        return budgets.refusal(ctx);
    }

    /** The server's secretRef resolver: limited to the configured secrets folder and variable prefix. */
    public SecretResolver secrets() {
        return secrets;
    }

    /** Hosts of model servers on the egress allow-list (configured endpoints and admin-allowed model hosts). */
    public Set<String> allowedModelHosts() {
        return allowedModelHosts;
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    public Classification defaultClassification() {
        return defaultClassification;
    }

    public CircuitBreaker.State breakerState(String endpoint) {
        return gateway.breakerState(endpoint);
    }

    /** The model ids a caller in {@code workspace} acting as {@code droid} may name (see {@link Gateway#modelIds}). */
    public java.util.Set<String> modelIds(String workspace, String droid) {
        return gateway.modelIds(workspace, droid);
    }

    /** The endpoints a context would use, in order (for /v1/models and status pages). */
    public List<EndpointSpec> resolve(CallContext ctx) {
        return gateway.resolve(ctx);
    }

    /** A non-streaming completion (the agent loop's {@link GatewayLlmModel} uses this). */
    public ChatResult complete(CallContext ctx, ChatRequest request) throws GatewayException {
        return gateway.chat(ctx, request, e -> {}, new Cancellation());
    }

    public ChatResult chat(CallContext ctx, ChatRequest request, Consumer<StreamEvent> sink, Cancellation cancel)
            throws GatewayException {
        return gateway.chat(ctx, request, sink, cancel);
    }
}
