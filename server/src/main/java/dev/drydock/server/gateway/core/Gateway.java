package dev.drydock.server.gateway.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.drydock.server.egress.EgressGuard;
import dev.drydock.server.gateway.dlp.DlpPolicy;
import dev.drydock.server.gateway.dlp.DlpScanner;
import dev.drydock.server.gateway.toolcall.MalformedToolCall;
import dev.drydock.server.gateway.toolcall.TextToolCallParser;
import dev.drydock.server.gateway.toolcall.TextToolCalls;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * The model gateway: resolves a request to its route's endpoints, checks budget, DLP and
 * classification, then tries each endpoint in order (circuit breaker, concurrency limit with a
 * queue, retries with backoff) until one answers, streaming events to the caller. Every request,
 * whatever its outcome, ends in exactly one {@link GatewayRecord}.
 */
public final class Gateway {
    private final EndpointCatalog catalog;
    private final Map<Protocol, ModelClient> clients;
    private final GatewaySettings settings;
    private final Clock clock;
    private final GatewayRecorder recorder;
    private final BudgetCheck budgets;
    private final DlpScanner dlp;
    private final DlpPolicy dlpPolicy;
    private final SecretResolver secrets;
    private final ObjectMapper json;
    private final TextToolCallParser toolCallParser;
    private final EndpointTokenizers tokenizers;
    private final Map<String, EndpointState> states = new ConcurrentHashMap<>();
    /** Until when other replicas' breakers keep each endpoint open (see {@link #adoptOpen}). */
    private final Map<String, Instant> openElsewhere = new ConcurrentHashMap<>();

    private volatile BreakerListener breakerListener = (endpoint, until) -> {};

    /** Told when a breaker of this gateway opens: the endpoint and until when it keeps requests away. */
    @FunctionalInterface
    public interface BreakerListener {
        void opened(String endpoint, Instant until);
    }

    /** Who hears of this gateway's breakers opening (replicas share them); quickly, under the breaker's lock. */
    public void onBreakerOpened(BreakerListener listener) {
        this.breakerListener = listener;
    }

    /**
     * Keeps {@code endpoint} away from requests until {@code until} because another replica's breaker
     * of it opened: this gateway's breaker of the endpoint opens as long (now, or when the endpoint is
     * first used), then lets one trial through.
     */
    public void adoptOpen(String endpoint, Instant until) {
        openElsewhere.merge(endpoint, until, (a, b) -> a.isAfter(b) ? a : b);
        EndpointState s = states.get(endpoint);
        if (s != null) {
            s.breaker().openUntil(until);
        }
    }

    public Gateway(
            EndpointCatalog catalog,
            Map<Protocol, ModelClient> clients,
            GatewaySettings settings,
            Clock clock,
            GatewayRecorder recorder,
            BudgetCheck budgets,
            DlpPolicy dlpPolicy,
            SecretResolver secrets,
            ObjectMapper json,
            EndpointTokenizers tokenizers) {
        this.catalog = catalog;
        this.clients = Map.copyOf(clients);
        this.settings = settings;
        this.clock = clock;
        this.recorder = recorder;
        this.budgets = budgets;
        this.dlp = new DlpScanner();
        this.dlpPolicy = dlpPolicy;
        this.secrets = secrets;
        this.json = json;
        this.toolCallParser = new TextToolCallParser(json);
        this.tokenizers = tokenizers;
    }

    /** Circuit breaker and concurrency limit of one endpoint; replaced when the endpoint's spec changes. */
    private record EndpointState(EndpointSpec spec, CircuitBreaker breaker, Semaphore slots) {}

    /** The breaker state of an endpoint, for status pages. */
    public CircuitBreaker.State breakerState(String endpoint) {
        EndpointState s = states.get(endpoint);
        if (s != null) {
            return s.breaker().state();
        }
        Instant until = openElsewhere.get(endpoint);
        return until != null && clock.instant().isBefore(until)
                ? CircuitBreaker.State.OPEN
                : CircuitBreaker.State.CLOSED;
    }

    private EndpointState state(EndpointSpec spec) {
        EndpointState current = states.get(spec.name());
        if (current != null && current.spec().equals(spec)) {
            // every request comes here: no lock while the endpoint is unchanged
            return current;
        }
        return states.compute(
                spec.name(),
                (name, old) -> old != null && old.spec().equals(spec)
                        ? old
                        : new EndpointState(spec, breaker(name), new Semaphore(spec.maxConcurrency(), true)));
    }

    private CircuitBreaker breaker(String endpoint) {
        CircuitBreaker breaker = new CircuitBreaker(
                settings.breakerFailureThreshold(),
                settings.breakerOpenFor(),
                clock,
                () -> breakerListener.opened(endpoint, clock.instant().plus(settings.breakerOpenFor())));
        Instant until = openElsewhere.get(endpoint);
        if (until != null) {
            breaker.openUntil(until);
        }
        return breaker;
    }

    /** The endpoints a request goes to, in order; empty when nothing matches. */
    public List<EndpointSpec> resolve(CallContext ctx) {
        String model = ctx.model();
        if (model != null && !model.isBlank()) {
            Optional<EndpointSpec> direct = catalog.endpoint(model);
            if (direct.isPresent()) {
                return List.of(direct.get());
            }
            if (model.equals("auto")) {
                return route(ctx.workspace(), ctx.droid(), ctx.purpose());
            }
            boolean purposeKnown =
                    catalog.routes().stream().anyMatch(r -> r.purpose().equals(model));
            return purposeKnown ? route(ctx.workspace(), ctx.droid(), model) : List.of();
        }
        return route(ctx.workspace(), ctx.droid(), ctx.purpose());
    }

    /**
     * The model ids a caller in {@code workspace}, acting as {@code droid}, may name: {@code auto},
     * every purpose some route serves there, every endpoint those routes send to, and every endpoint
     * no route lists (open to all, within its clearance). An endpoint that only another workspace's or
     * droid's routes list is not among them, so naming it cannot step around the routes.
     */
    public Set<String> modelIds(String workspace, String droid) {
        Set<String> purposes = new LinkedHashSet<>();
        for (RouteSpec r : catalog.routes()) {
            if (!r.purpose().equals(RouteSpec.ANY)) {
                purposes.add(r.purpose());
            }
        }
        Set<String> ids = new LinkedHashSet<>();
        ids.add("auto");
        Set<String> endpoints = new LinkedHashSet<>();
        for (String purpose : purposes) {
            RouteSpec best = bestRoute(workspace, droid, purpose);
            if (best != null && best.purpose().equals(purpose)) {
                // a purpose only a catch-all serves here is "auto" by another name; other workspaces' purposes stay
                // unnamed
                ids.add(purpose);
            }
            route(workspace, droid, purpose).forEach(e -> endpoints.add(e.name()));
        }
        // any other purpose reaches the catch-all routes (no route names a purpose with a space)
        route(workspace, droid, "any other purpose").forEach(e -> endpoints.add(e.name()));
        Set<String> routed = new HashSet<>();
        catalog.routes().forEach(r -> routed.addAll(r.endpoints()));
        catalog.endpoints().stream()
                .map(EndpointSpec::name)
                .filter(name -> !routed.contains(name))
                .forEach(endpoints::add);
        ids.addAll(endpoints);
        return ids;
    }

    private @Nullable RouteSpec bestRoute(String workspace, String droid, String purpose) {
        RouteSpec best = null;
        for (RouteSpec r : catalog.routes()) {
            if (r.matches(workspace, droid, purpose) && (best == null || r.specificity() > best.specificity())) {
                best = r;
            }
        }
        return best;
    }

    /** The endpoints of the most specific matching route (the first of equally specific ones); runs for every request. */
    private List<EndpointSpec> route(String workspace, String droid, String purpose) {
        RouteSpec best = bestRoute(workspace, droid, purpose);
        if (best == null) {
            return List.of();
        }
        List<EndpointSpec> out = new ArrayList<>(best.endpoints().size());
        for (String name : best.endpoints()) {
            catalog.endpoint(name).ifPresent(out::add);
        }
        return out;
    }

    /**
     * Runs one completion. Events reach {@code sink} as they arrive; when an endpoint fails after
     * events were delivered and another endpoint takes over, a {@link StreamEvent.Reset} comes first.
     *
     * @throws GatewayException when no completion was produced (already recorded)
     */
    public ChatResult chat(CallContext ctx, ChatRequest request, Consumer<StreamEvent> sink, Cancellation cancel)
            throws GatewayException {
        Run run = new Run(ctx, RequestIds.next(), clock.instant(), System.nanoTime());
        try {
            ChatResult result = run.execute(request, sink, cancel);
            return result;
        } catch (GatewayException e) {
            run.record(e.outcome(), e.getMessage(), null, null, null, null, null);
            throw e;
        }
    }

    /** The state of one request while it runs. */
    private final class Run {
        final CallContext ctx;
        final String id;
        final Instant at;
        final long startNanos;
        final List<String> attempts = new ArrayList<>();
        List<String> dlpFindings = List.of();

        @Nullable
        String promptSha;

        Run(CallContext ctx, String id, Instant at, long startNanos) {
            this.ctx = ctx;
            this.id = id;
            this.at = at;
            this.startNanos = startNanos;
        }

        GatewayException fail(Outcome outcome, @Nullable String message) {
            return new GatewayException(outcome, id, message);
        }

        ChatResult execute(ChatRequest request, Consumer<StreamEvent> sink, Cancellation cancel)
                throws GatewayException {
            if (request.messages().isEmpty()) {
                throw fail(Outcome.INVALID_REQUEST, "messages must hold at least one message");
            }
            List<EndpointSpec> candidates = resolve(ctx);
            if (candidates.isEmpty()) {
                String name = ctx.model() != null ? ctx.model() : ctx.purpose();
                throw fail(
                        Outcome.UNKNOWN_MODEL,
                        "no endpoint or route named '" + name + "' for workspace '" + ctx.workspace()
                                + "' (list them with GET /v1/models)");
            }
            Optional<String> overBudget = budgets.refusal(ctx);
            if (overBudget.isPresent()) {
                throw fail(Outcome.BUDGET_EXCEEDED, overBudget.get());
            }
            ChatRequest outbound = applyDlp(request);
            long promptEstimate = countPrompt(outbound);
            List<EndpointSpec> cleared = candidates.stream()
                    .filter(e -> e.clearance().clears(ctx.classification()))
                    .toList();
            List<EndpointSpec> fitting = new ArrayList<>();
            for (EndpointSpec e : cleared) {
                if (promptEstimate > e.contextWindow()) {
                    attempts.add(e.name() + ": skipped, prompt of about " + promptEstimate
                            + " tokens exceeds its context window of " + e.contextWindow());
                } else {
                    fitting.add(e);
                }
            }
            for (EndpointSpec e : candidates) {
                if (!cleared.contains(e)) {
                    attempts.add(
                            e.name() + ": refused, cleared for " + e.clearance().label() + " only");
                }
            }
            if (cleared.isEmpty()) {
                throw fail(
                        Outcome.CLASSIFICATION_REFUSED,
                        "the request is classified " + ctx.classification().label()
                                + " but no endpoint of its route is cleared for it ("
                                + String.join(
                                        ", ",
                                        candidates.stream()
                                                .map(e -> e.name() + ": "
                                                        + e.clearance().label())
                                                .toList())
                                + ")");
            }
            if (fitting.isEmpty()) {
                throw fail(
                        Outcome.INVALID_REQUEST,
                        "the prompt (about " + promptEstimate
                                + " tokens) is larger than the context window of every endpoint it may go to: "
                                + String.join("; ", attempts));
            }
            return callInOrder(fitting, outbound, sink, cancel);
        }

        /**
         * Scans every text of the prompt and, when something is found, redacts a copy (or refuses);
         * a clean prompt is sent as it came. Then serialises what will be sent, once: those bytes are
         * fingerprinted and are what the protocol client sends.
         */
        private ChatRequest applyDlp(ChatRequest request) throws GatewayException {
            ArrayNode messages = request.messages();
            if (dlpPolicy != DlpPolicy.OFF) {
                Map<String, Integer> found = new LinkedHashMap<>();
                for (int i = 0; i < messages.size(); i++) {
                    if (!(messages.get(i) instanceof ObjectNode message)) {
                        continue;
                    }
                    JsonNode content = message.get("content");
                    if (content != null && content.isTextual()) {
                        DlpScanner.Result r = dlp.scan(content.asText());
                        if (!r.clean()) {
                            r.findings().forEach((k, v) -> found.merge(k, v, Integer::sum));
                            messages = copied(messages, request);
                            ((ObjectNode) messages.get(i)).set("content", new TextNode(r.redacted()));
                        }
                    } else if (content != null && content.isArray()) {
                        for (int j = 0; j < content.size(); j++) {
                            if (content.get(j) instanceof ObjectNode part
                                    && part.path("text").isTextual()) {
                                DlpScanner.Result r = dlp.scan(part.get("text").asText());
                                if (!r.clean()) {
                                    r.findings().forEach((k, v) -> found.merge(k, v, Integer::sum));
                                    messages = copied(messages, request);
                                    ((ObjectNode) messages.get(i).get("content").get(j)).put("text", r.redacted());
                                }
                            }
                        }
                    }
                }
                dlpFindings = DlpScanner.describe(found);
                if (!found.isEmpty() && dlpPolicy == DlpPolicy.REFUSE) {
                    throw fail(
                            Outcome.DLP_REFUSED,
                            "the prompt contains secrets (" + String.join(", ", dlpFindings)
                                    + "); remove them and retry. Nothing was sent to a model.");
                }
            }
            EncodedJson encoded;
            try {
                encoded = new EncodedJson(json.writeValueAsBytes(messages));
            } catch (JsonProcessingException e) {
                throw fail(Outcome.INVALID_REQUEST, "messages cannot be serialised");
            }
            promptSha = encoded.sha256();
            return (messages == request.messages() ? request : request.withMessages(messages))
                    .withEncodedMessages(encoded);
        }

        /** The caller's messages are never changed: the first redaction works on a copy. */
        private static ArrayNode copied(ArrayNode messages, ChatRequest request) {
            return messages == request.messages() ? messages.deepCopy() : messages;
        }

        private ChatResult callInOrder(
                List<EndpointSpec> endpoints, ChatRequest request, Consumer<StreamEvent> sink, Cancellation cancel)
                throws GatewayException {
            boolean[] delivered = {false};
            Consumer<StreamEvent> tracking = event -> {
                delivered[0] = true;
                sink.accept(event);
            };
            @Nullable String pendingResetFrom = null;
            String pendingResetReason = "";
            for (int i = 0; i < endpoints.size(); i++) {
                EndpointSpec endpoint = endpoints.get(i);
                if (cancel.isCancelled()) {
                    throw fail(Outcome.CANCELLED, "cancelled by the caller");
                }
                EndpointState state = state(endpoint);
                if (!state.breaker().tryAcquire()) {
                    attempts.add(endpoint.name() + ": skipped, circuit breaker open");
                    continue;
                }
                boolean acquired;
                try {
                    acquired = state.slots().tryAcquire(settings.queueTimeout().toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    state.breaker().release();
                    throw fail(Outcome.CANCELLED, "interrupted while waiting for " + endpoint.name());
                }
                if (!acquired) {
                    state.breaker().release();
                    attempts.add(endpoint.name() + ": skipped, busy (" + endpoint.maxConcurrency()
                            + " requests in flight, waited "
                            + settings.queueTimeout().toMillis() + " ms)");
                    continue;
                }
                try {
                    ModelClient client =
                            Objects.requireNonNull(clients.get(endpoint.protocol()), "a client per protocol");
                    String secret = secrets.resolve(endpoint.secretRef());
                    boolean textTools = request.hasTools() && !endpoint.supports(Capability.TOOLS);
                    ChatRequest attemptRequest = textTools ? withTextToolInstructions(request) : request;
                    for (int attempt = 1; ; attempt++) {
                        if (pendingResetFrom != null && delivered[0]) {
                            sink.accept(new StreamEvent.Reset(pendingResetFrom, pendingResetReason, endpoint.name()));
                            delivered[0] = false;
                        }
                        pendingResetFrom = null;
                        List<StreamEvent> held = new ArrayList<>();
                        Consumer<StreamEvent> target = textTools ? held::add : tracking;
                        try {
                            ModelClient.Attempt result;
                            try (EgressGuard.Attribution onBehalf = EgressGuard.onBehalfOf(ctx.sessionId())) {
                                result = client.chat(endpoint, secret, attemptRequest, target, cancel);
                            }
                            state.breaker().onSuccess();
                            attempts.add(endpoint.name() + ": ok");
                            return finish(endpoint, request, result, tracking);
                        } catch (UpstreamException e) {
                            if (e.kind() == UpstreamException.Kind.CANCELLED || cancel.isCancelled()) {
                                state.breaker().release();
                                attempts.add(endpoint.name() + ": cancelled");
                                throw fail(Outcome.CANCELLED, "cancelled by the caller");
                            }
                            attempts.add(endpoint.name() + ": " + e.kind().label() + " " + e.getMessage());
                            if (e.kind() == UpstreamException.Kind.CLIENT_ERROR) {
                                state.breaker().onSuccess();
                                throw fail(Outcome.UPSTREAM_REJECTED, e.getMessage());
                            }
                            state.breaker().onFailure();
                            if (delivered[0]) {
                                pendingResetFrom = endpoint.name();
                                pendingResetReason = e.kind().label() + ": " + e.getMessage();
                            }
                            boolean retry = e.kind().retryable()
                                    && !e.emitted()
                                    && attempt < settings.attemptsPerEndpoint()
                                    && state.breaker().tryAcquire();
                            if (!retry) {
                                break;
                            }
                            backoff(attempt, e.retryAfterMillis(), cancel);
                        }
                    }
                } finally {
                    state.slots().release();
                }
            }
            throw fail(
                    Outcome.ALL_ENDPOINTS_UNAVAILABLE,
                    "all endpoints are busy or down: " + String.join("; ", attempts));
        }

        private void backoff(int attempt, @Nullable Long retryAfterMillis, Cancellation cancel)
                throws GatewayException {
            long millis = settings.initialBackoff().toMillis() << Math.min(attempt - 1, 10);
            if (retryAfterMillis != null) {
                millis = Math.max(millis, retryAfterMillis);
            }
            millis = Math.min(millis, settings.maxBackoff().toMillis());
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (System.nanoTime() < until) {
                if (cancel.isCancelled()) {
                    throw fail(Outcome.CANCELLED, "cancelled by the caller");
                }
                try {
                    TimeUnit.NANOSECONDS.sleep(Math.min(until - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(20)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw fail(Outcome.CANCELLED, "interrupted");
                }
            }
        }

        private ChatRequest withTextToolInstructions(ChatRequest request) {
            ArrayNode messages = json.createArrayNode();
            ObjectNode system = messages.addObject();
            system.put("role", "system");
            system.put(
                    "content",
                    "You can call these tools. To call one, answer only with <tool_call>{\"name\": \"<tool name>\", \"arguments\": {...}}</tool_call>.\nTools: "
                            + request.tools());
            messages.addAll(request.messages());
            return new ChatRequest(
                    messages,
                    null,
                    null,
                    request.jsonMode(),
                    request.maxTokens(),
                    request.temperature(),
                    request.stream());
        }

        private ChatResult finish(
                EndpointSpec endpoint, ChatRequest request, ModelClient.Attempt attempt, Consumer<StreamEvent> sink) {
            String content = attempt.content();
            List<ToolCall> calls = attempt.toolCalls();
            List<MalformedToolCall> errors = List.of();
            String finish = attempt.finishReason();
            boolean textTools = request.hasTools() && !endpoint.supports(Capability.TOOLS);
            if (request.hasTools() && calls.isEmpty()) {
                TextToolCalls parsed = toolCallParser.parse(content, toolNames(request));
                if (!parsed.calls().isEmpty() || !parsed.errors().isEmpty()) {
                    calls = parsed.calls();
                    errors = parsed.errors();
                    content = parsed.text();
                    if (!calls.isEmpty()) {
                        finish = "tool_calls";
                    }
                }
            }
            if (textTools) {
                if (!content.isEmpty()) {
                    sink.accept(new StreamEvent.TextDelta(content));
                }
                for (int i = 0; i < calls.size(); i++) {
                    sink.accept(new StreamEvent.ToolCallDelta(
                            i,
                            calls.get(i).id(),
                            calls.get(i).name(),
                            calls.get(i).arguments()));
                }
            }
            String completionText = content + (calls.isEmpty() ? "" : "\n" + calls);
            Usage usage = attempt.usage() != null ? attempt.usage() : count(endpoint, request, completionText);
            long latency = (System.nanoTime() - startNanos) / 1_000_000;
            String completionSha = Hashes.sha256(completionText);
            record(Outcome.OK, null, endpoint, usage, attempt.ttftMillis(), completionSha, latency);
            return new ChatResult(
                    id,
                    endpoint.name(),
                    endpoint.modelId(),
                    content,
                    calls,
                    errors,
                    finish,
                    usage,
                    latency,
                    attempt.ttftMillis(),
                    endpoint.cost(usage.promptTokens(), usage.completionTokens()));
        }

        /** Counts a completion the server reported no usage for: with the endpoint's tokenizer when it has one, else estimated. */
        private Usage count(EndpointSpec endpoint, ChatRequest request, String completionText) {
            Optional<ToLongFunction<String>> tokenizer = tokenizers.counter(endpoint);
            if (tokenizer.isPresent()) {
                try {
                    return new Usage(
                            countPrompt(request, tokenizer.get()),
                            tokenizer.get().applyAsLong(completionText),
                            TokenSource.TOKENIZER);
                } catch (RuntimeException e) {
                    attempts.add(endpoint.name() + ": tokenizer failed (" + e.getMessage() + "), tokens estimated");
                }
            }
            return new Usage(countPrompt(request), TokenCounter.count(completionText), TokenSource.ESTIMATE);
        }

        private long countPrompt(ChatRequest request) {
            return countPrompt(request, TokenCounter::count);
        }

        /** The content tokens of every message plus 4 per message for the chat template's role markers (not part of tokenizer.json). */
        private long countPrompt(ChatRequest request, ToLongFunction<String> counter) {
            long n = 0;
            for (JsonNode m : request.messages()) {
                n += 4
                        + counter.applyAsLong(
                                m.path("content").isTextual()
                                        ? m.path("content").asText()
                                        : m.path("content").toString());
            }
            return n;
        }

        void record(
                Outcome outcome,
                @Nullable String detail,
                @Nullable EndpointSpec endpoint,
                @Nullable Usage usage,
                @Nullable Long ttft,
                @Nullable String completionSha,
                @Nullable Long latency) {
            long elapsed = latency != null ? latency : (System.nanoTime() - startNanos) / 1_000_000;
            Usage u = usage == null ? new Usage(0, 0, TokenSource.ESTIMATE) : usage;
            BigDecimal cost =
                    endpoint == null ? BigDecimal.ZERO : endpoint.cost(u.promptTokens(), u.completionTokens());
            GatewayRecord rec = new GatewayRecord(
                    id,
                    at,
                    ctx.userSubject(),
                    ctx.username(),
                    ctx.workspace(),
                    ctx.sessionId(),
                    ctx.droid(),
                    ctx.purpose(),
                    ctx.channel(),
                    ctx.classification(),
                    endpoint == null ? null : endpoint.name(),
                    endpoint == null ? null : endpoint.modelId(),
                    outcome,
                    detail,
                    u.promptTokens(),
                    u.completionTokens(),
                    u.source(),
                    elapsed,
                    ttft,
                    cost,
                    promptSha,
                    completionSha,
                    List.copyOf(attempts),
                    dlpFindings);
            try {
                recorder.record(rec);
            } catch (RuntimeException ignored) {
                // a failing recorder must not turn a finished completion into an error
            }
        }
    }

    private static Set<String> toolNames(ChatRequest request) {
        Set<String> names = new LinkedHashSet<>();
        if (request.tools() != null) {
            for (JsonNode t : request.tools()) {
                String name =
                        t.path("function").path("name").asText(t.path("name").asText(""));
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        return names;
    }
}
