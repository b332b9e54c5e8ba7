package dev.drydock.server.gateway.frontdoor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.server.apikey.ApiKeys;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.Roles;
import dev.drydock.server.auth.WorkspaceMembership;
import dev.drydock.server.gateway.GatewayConfig;
import dev.drydock.server.gateway.GatewayService;
import dev.drydock.server.gateway.core.CallContext;
import dev.drydock.server.gateway.core.Cancellation;
import dev.drydock.server.gateway.core.ChatRequest;
import dev.drydock.server.gateway.core.ChatResult;
import dev.drydock.server.gateway.core.EndpointSpec;
import dev.drydock.server.gateway.core.GatewayException;
import dev.drydock.server.gateway.core.GatewayRecord;
import dev.drydock.server.gateway.core.Hashes;
import dev.drydock.server.gateway.core.Outcome;
import dev.drydock.server.gateway.core.RequestIds;
import dev.drydock.server.gateway.core.RouteSpec;
import dev.drydock.server.gateway.core.StreamEvent;
import dev.drydock.server.gateway.core.TokenCounter;
import dev.drydock.server.gateway.core.TokenSource;
import dev.drydock.server.gateway.core.ToolCall;
import dev.drydock.server.limits.UnreadBodies;
import dev.drydock.server.problem.JsonLimitMessages;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.TenantIdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The OpenAI-compatible front door: {@code GET /v1/models}, {@code POST /v1/chat/completions}
 * (streaming and tools) and {@code POST /v1/embeddings}, on plain Vert.x routes so that errors are in
 * OpenAI's shape and streams are written as they arrive. Callers authenticate with a Keycloak access
 * token or a Drydock API key; the same routing, budgets, DLP and accounting apply as inside the server.
 *
 * <p>Optional headers, each checked against the caller by {@link CallScopes}: {@code X-Drydock-Workspace}
 * (default: the session's workspace, else the caller's first workspace where they are member or admin;
 * {@code -}, drydock admins only, for an audited call outside every workspace), {@code X-Drydock-Session}
 * (a session the caller may act in), {@code X-Drydock-Droid} (only with a session of that droid) and
 * {@code X-Drydock-Classification} (raises the workspace's classification, never lowers it).
 */
@ApplicationScoped
public class FrontDoorRoutes {
    private static final Logger LOG = Logger.getLogger(FrontDoorRoutes.class);
    static final String EMBEDDING_MODEL = "local-embedding";

    @Inject
    GatewayService gateway;

    @Inject
    GatewayConfig config;

    @Inject
    ApiKeys apiKeys;

    @Inject
    Embeddings embeddings;

    @Inject
    TenantIdentityProvider identityProvider;

    @Inject
    ObjectMapper json;

    @Inject
    CallScopes scopes;

    void init(@Observes Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(config.maxRequestBytes());
        // every answer waits for the request's body, even one nobody reads (UnreadBodies)
        router.get("/v1/models")
                .order(-10)
                .handler(ctx -> UnreadBodies.answerAfterBody(
                        ctx, config.maxRequestBytes(), () -> onVirtualThread(ctx, this::models)));
        // a route of its own ahead of each body handler: Vert.x puts no body handler after a user handler
        router.post("/v1/chat/completions").order(-12).handler(this::jsonOnly);
        router.post("/v1/embeddings").order(-12).handler(this::jsonOnly);
        router.post("/v1/chat/completions").order(-10).handler(body).handler(ctx -> onVirtualThread(ctx, this::chat));
        router.post("/v1/embeddings").order(-10).handler(body).handler(ctx -> onVirtualThread(ctx, this::embeddings));
        router.route("/v1/*")
                .order(-9)
                .handler(ctx -> UnreadBodies.answerAfterBody(
                        ctx,
                        config.maxRequestBytes(),
                        () -> error(
                                ctx,
                                OpenAiError.notFound(
                                        "no such route: " + ctx.request().method() + " "
                                                + ctx.request().path()))));
        router.route("/v1/*").order(-11).failureHandler(ctx -> {
            if (ctx.statusCode() == 413) {
                error(
                        ctx,
                        new OpenAiError(
                                413,
                                "request body larger than " + config.maxRequestBytes() + " bytes",
                                "invalid_request_error",
                                "request_too_large"));
            } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
                error(
                        ctx,
                        new OpenAiError(
                                ctx.statusCode(),
                                "the request could not be read",
                                "invalid_request_error",
                                "invalid_request"));
            } else {
                LOG.errorf(
                        ctx.failure(), "front door failure on %s", ctx.request().path());
                error(ctx, new OpenAiError(500, "internal error", "server_error", "internal"));
            }
        });
    }

    /**
     * Refuses form bodies before the body handler would decode them as forms (a multipart body without
     * a boundary, or a field over Netty's limit, fails there as a server error): the front door reads
     * JSON only.
     */
    private void jsonOnly(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        String lower = type == null ? "" : type.strip().toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("multipart/") || lower.startsWith("application/x-www-form-urlencoded")) {
            UnreadBodies.answerAfterBody(
                    ctx,
                    config.maxRequestBytes(),
                    () -> error(
                            ctx,
                            new OpenAiError(
                                    415,
                                    "send the request body as JSON (Content-Type: application/json), not " + type,
                                    "invalid_request_error",
                                    "unsupported_media_type")));
            return;
        }
        ctx.next();
    }

    @FunctionalInterface
    interface Handler {
        void handle(RoutingContext ctx, Principal caller) throws Exception;
    }

    private void onVirtualThread(RoutingContext ctx, Handler handler) {
        Thread.ofVirtual().name("frontdoor-", 0).start(() -> {
            try {
                Optional<Principal> caller = authenticate(ctx);
                if (caller.isEmpty()) {
                    return;
                }
                handler.handle(ctx, caller.get());
            } catch (Exception e) {
                String id = UUID.randomUUID().toString();
                LOG.errorf(e, "front door error %s on %s", id, ctx.request().path());
                error(
                        ctx,
                        new OpenAiError(
                                500,
                                "internal error; quote error id " + id + " to your administrator",
                                "server_error",
                                "internal"));
            }
        });
    }

    /** The caller; when empty, the refusal was sent. */
    private Optional<Principal> authenticate(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return refuse(ctx);
        }
        String token = header.substring(7).trim();
        if (token.startsWith(ApiKeys.PREFIX)) {
            return switch (apiKeys.authenticate(token, ctx.request().path(), client(ctx))) {
                case ApiKeys.Check.Valid v -> Optional.of(v.principal());
                case ApiKeys.Check.Refused r -> {
                    error(ctx, OpenAiError.unauthorized(r.message()));
                    yield Optional.empty();
                }
                case ApiKeys.Check.Unconfirmed u -> {
                    LOG.warnf(
                            "refused an API key of user %s on %s: cannot confirm the owner's memberships: %s",
                            u.subject(), ctx.request().path(), u.why());
                    error(
                            ctx,
                            new OpenAiError(
                                    503,
                                    "Cannot confirm the key owner's memberships with the identity provider; try again.",
                                    "server_error",
                                    "identity_unavailable"));
                    yield Optional.empty();
                }
            };
        }
        try {
            SecurityIdentity identity = identityProvider
                    .authenticate(new AccessTokenCredential(token))
                    .await()
                    .atMost(Duration.ofSeconds(30));
            if (identity == null || identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
                return refuse(ctx);
            }
            Collection<String> groups = Optional.ofNullable(jwt.<Collection<String>>getClaim("groups"))
                    .orElse(List.of());
            List<String> roles = identity.getRoles().stream()
                    .filter(r -> List.of(Roles.DRYDOCK_ADMIN, Roles.WORKSPACE_ADMIN, Roles.MEMBER, Roles.VIEWER)
                            .contains(r))
                    .sorted()
                    .toList();
            String username = claim(jwt, "preferred_username").orElse(jwt.getName());
            return Optional.of(new Principal(
                    Optional.ofNullable(jwt.getSubject()).orElse(username),
                    username,
                    claim(jwt, "name").orElse(username),
                    claim(jwt, "email").orElse(null),
                    roles,
                    WorkspaceMembership.fromGroups(
                            groups.stream().map(String::valueOf).toList())));
        } catch (RuntimeException e) {
            return refuse(ctx);
        }
    }

    private static Optional<String> claim(JsonWebToken jwt, String name) {
        return Optional.ofNullable(jwt.<Object>getClaim(name))
                .map(String::valueOf)
                .filter(v -> !v.isBlank());
    }

    private Optional<Principal> refuse(RoutingContext ctx) {
        error(
                ctx,
                OpenAiError.unauthorized(
                        "Send 'Authorization: Bearer <Drydock API key or access token>'; the one sent is missing, wrong, expired or revoked."));
        return Optional.empty();
    }

    private static String client(RoutingContext ctx) {
        return ctx.request().remoteAddress() == null
                ? "unknown"
                : ctx.request().remoteAddress().hostAddress();
    }

    /** Where the call runs, checked against the caller; the refusal was sent when empty. */
    private Optional<CallScopes.Scope> scope(RoutingContext ctx, Principal caller) {
        CallScopes.Requested requested = new CallScopes.Requested(
                header(ctx, CallScopes.WORKSPACE),
                header(ctx, CallScopes.SESSION),
                header(ctx, CallScopes.DROID),
                header(ctx, CallScopes.CLASSIFICATION));
        return switch (scopes.resolve(caller, requested, ctx.request().path(), client(ctx))) {
            case CallScopes.Resolution.Allowed a -> Optional.of(a.scope());
            case CallScopes.Resolution.Refused r -> {
                error(ctx, r.error());
                yield Optional.empty();
            }
        };
    }

    private void models(RoutingContext ctx, Principal caller) {
        Optional<CallScopes.Scope> scope = scope(ctx, caller);
        if (scope.isEmpty()) {
            return;
        }
        Set<String> ids = new LinkedHashSet<>(offered(scope.get()));
        if (config.embeddingsEnabled()) {
            ids.add(EMBEDDING_MODEL);
        }
        ObjectNode root = json.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        for (String id : ids) {
            data.addObject()
                    .put("id", id)
                    .put("object", "model")
                    .put("created", 0)
                    .put("owned_by", "drydock");
        }
        send(ctx, 200, root);
    }

    /**
     * The model ids the scope may name: those its workspace's (and droid's) routes serve; a drydock
     * admin's audited call outside every workspace may name any route purpose or endpoint.
     */
    private Set<String> offered(CallScopes.Scope scope) {
        if (!scope.workspace().equals(CallScopes.NO_WORKSPACE)) {
            return gateway.modelIds(scope.workspace(), scope.droid());
        }
        GatewayService.Snapshot s = gateway.snapshot();
        Set<String> ids = new LinkedHashSet<>();
        ids.add("auto");
        s.routes().stream()
                .map(RouteSpec::purpose)
                .filter(p -> !p.equals(RouteSpec.ANY))
                .forEach(ids::add);
        s.endpoints().stream().map(EndpointSpec::name).forEach(ids::add);
        return ids;
    }

    private void chat(RoutingContext ctx, Principal caller) throws JsonProcessingException {
        JsonNode body = parseBody(ctx);
        if (body == null) {
            return;
        }
        if (!body.path("model").isTextual() || body.path("model").asText().isBlank()) {
            error(ctx, OpenAiError.badRequest("'model' is required: one of the ids listed by GET /v1/models"));
            return;
        }
        if (!body.path("messages").isArray() || body.path("messages").isEmpty()) {
            error(ctx, OpenAiError.badRequest("'messages' must be a non-empty array"));
            return;
        }
        for (JsonNode m : body.path("messages")) {
            if (!m.isObject() || !m.path("role").isTextual()) {
                error(ctx, OpenAiError.badRequest("every message needs a 'role'"));
                return;
            }
        }
        if (body.has("tools") && !body.get("tools").isArray()) {
            error(ctx, OpenAiError.badRequest("'tools' must be an array"));
            return;
        }
        Optional<CallScopes.Scope> scope = scope(ctx, caller);
        if (scope.isEmpty()) {
            return;
        }
        boolean stream = body.path("stream").asBoolean(false);
        boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
        JsonNode maxTokens =
                body.has("max_completion_tokens") ? body.get("max_completion_tokens") : body.get("max_tokens");
        ChatRequest request = new ChatRequest(
                (ArrayNode) body.get("messages"),
                body.has("tools") ? (ArrayNode) body.get("tools") : null,
                body.get("tool_choice"),
                "json_object".equals(body.path("response_format").path("type").asText()),
                maxTokens != null && maxTokens.canConvertToInt() ? maxTokens.asInt() : null,
                body.path("temperature").isNumber() ? body.get("temperature").asDouble() : null,
                stream);
        String model = body.get("model").asText();
        CallScopes.Scope s = scope.get();
        if (!offered(s).contains(model)) {
            error(
                    ctx,
                    OpenAiError.of(
                            Outcome.UNKNOWN_MODEL,
                            "The model '" + model + "' does not exist or is not routed for workspace '" + s.workspace()
                                    + "'; GET /v1/models lists the ids you may use."));
            return;
        }
        CallContext cc = new CallContext(
                caller.subject(),
                caller.username(),
                s.workspace(),
                s.sessionId(),
                s.droid(),
                model.equals("auto") ? "chat" : model,
                model,
                s.classification(),
                "v1");
        if (stream) {
            streamChat(ctx, cc, request, model, includeUsage);
            return;
        }
        Cancellation cancel = new Cancellation();
        ctx.response().closeHandler(v -> cancel.cancel());
        try {
            ChatResult result = gateway.chat(cc, request, e -> {}, cancel);
            ObjectNode root = json.createObjectNode();
            root.put("id", "chatcmpl-" + result.requestId())
                    .put("object", "chat.completion")
                    .put("created", Instant.now().getEpochSecond())
                    .put("model", model);
            ObjectNode choice = root.putArray("choices").addObject();
            choice.put("index", 0);
            ObjectNode message = choice.putObject("message").put("role", "assistant");
            if (result.content().isEmpty() && !result.toolCalls().isEmpty()) {
                message.putNull("content");
            } else {
                message.put("content", result.content());
            }
            if (!result.toolCalls().isEmpty()) {
                ArrayNode calls = message.putArray("tool_calls");
                for (ToolCall c : result.toolCalls()) {
                    calls.addObject()
                            .put("id", c.id())
                            .put("type", "function")
                            .putObject("function")
                            .put("name", c.name())
                            .put("arguments", c.arguments());
                }
            }
            choice.put("finish_reason", result.finishReason());
            root.putObject("usage")
                    .put("prompt_tokens", result.usage().promptTokens())
                    .put("completion_tokens", result.usage().completionTokens())
                    .put("total_tokens", result.usage().total());
            ObjectNode drydock =
                    root.putObject("drydock").put("endpoint", result.endpoint()).put("request_id", result.requestId());
            ArrayNode errors = drydock.putArray("tool_call_errors");
            result.toolCallErrors()
                    .forEach(m -> errors.addObject().put("raw", m.raw()).put("message", m.message()));
            send(ctx, 200, root);
        } catch (GatewayException e) {
            error(
                    ctx,
                    OpenAiError.of(
                            e.outcome(),
                            Objects.requireNonNullElse(
                                    e.getMessage(), e.outcome().toString())));
        }
    }

    private void streamChat(RoutingContext ctx, CallContext cc, ChatRequest request, String model, boolean includeUsage)
            throws JsonProcessingException {
        HttpServerResponse response = ctx.response();
        Cancellation cancel = new Cancellation();
        response.closeHandler(v -> cancel.cancel());
        String id = "chatcmpl-" + RequestIds.next();
        long created = Instant.now().getEpochSecond();
        AtomicBoolean started = new AtomicBoolean();
        StreamWriter writer = new StreamWriter(ctx, id, created, model, started);
        try {
            ChatResult result = gateway.chat(cc, request, writer::accept, cancel);
            if (writer.diverged()) {
                return;
            }
            writer.start();
            ObjectNode last = writer.chunk();
            last.withArray("choices")
                    .addObject()
                    .put("index", 0)
                    .putNull("logprobs")
                    .put("finish_reason", result.finishReason())
                    .putObject("delta");
            writer.write(last);
            if (includeUsage) {
                ObjectNode usage = writer.chunk();
                usage.putArray("choices");
                usage.putObject("usage")
                        .put("prompt_tokens", result.usage().promptTokens())
                        .put("completion_tokens", result.usage().completionTokens())
                        .put("total_tokens", result.usage().total());
                writer.write(usage);
            }
            writer.done();
        } catch (GatewayException e) {
            if (e.outcome() == Outcome.CANCELLED) {
                return;
            }
            OpenAiError err = OpenAiError.of(
                    e.outcome(),
                    Objects.requireNonNullElse(e.getMessage(), e.outcome().toString()));
            if (!started.get()) {
                error(ctx, err);
            } else {
                writer.fail(err);
            }
        }
    }

    /** Writes stream events as chat.completion.chunk SSE; after a fallback reset it replays only text not yet sent. */
    private final class StreamWriter {
        private final RoutingContext ctx;
        private final String id;
        private final long created;
        private final String model;
        private final AtomicBoolean started;
        private final StringBuilder sent = new StringBuilder();
        private @Nullable StringBuilder replay;
        private boolean diverged;

        StreamWriter(RoutingContext ctx, String id, long created, String model, AtomicBoolean started) {
            this.ctx = ctx;
            this.id = id;
            this.created = created;
            this.model = model;
            this.started = started;
        }

        boolean diverged() {
            return diverged;
        }

        ObjectNode chunk() {
            return json.createObjectNode()
                    .put("id", id)
                    .put("object", "chat.completion.chunk")
                    .put("created", created)
                    .put("model", model);
        }

        void start() {
            if (started.compareAndSet(false, true)) {
                ctx.response()
                        .setStatusCode(200)
                        .setChunked(true)
                        .putHeader("Content-Type", "text/event-stream")
                        .putHeader("Cache-Control", "no-cache");
                ObjectNode first = chunk();
                first.putArray("choices")
                        .addObject()
                        .put("index", 0)
                        .putNull("finish_reason")
                        .putObject("delta")
                        .put("role", "assistant")
                        .put("content", "");
                write(first);
            }
        }

        void accept(StreamEvent event) {
            if (diverged) {
                return;
            }
            switch (event) {
                case StreamEvent.TextDelta t -> text(t.text());
                case StreamEvent.ToolCallDelta d -> {
                    start();
                    ObjectNode c = chunk();
                    ObjectNode call = c.putArray("choices")
                            .addObject()
                            .put("index", 0)
                            .putNull("finish_reason")
                            .putObject("delta")
                            .putArray("tool_calls")
                            .addObject();
                    call.put("index", d.index());
                    if (d.id() != null) {
                        call.put("id", d.id()).put("type", "function");
                    }
                    ObjectNode fn = call.putObject("function");
                    if (d.name() != null) {
                        fn.put("name", d.name());
                    }
                    fn.put("arguments", d.argumentsFragment());
                    write(c);
                }
                case StreamEvent.Reset r -> replay = new StringBuilder();
            }
        }

        private void text(String text) {
            StringBuilder r = replay;
            String toSend = text;
            if (r != null) {
                r.append(text);
                String already = sent.toString();
                if (r.length() <= already.length()) {
                    if (!already.startsWith(r.toString())) {
                        fail(new OpenAiError(
                                502,
                                "the model endpoint failed mid-stream and the fallback endpoint answered differently; retry the request",
                                "server_error",
                                "fallback_diverged"));
                        diverged = true;
                    }
                    return;
                }
                if (!r.toString().startsWith(already)) {
                    fail(new OpenAiError(
                            502,
                            "the model endpoint failed mid-stream and the fallback endpoint answered differently; retry the request",
                            "server_error",
                            "fallback_diverged"));
                    diverged = true;
                    return;
                }
                toSend = r.substring(already.length());
                replay = null;
            }
            start();
            sent.append(toSend);
            ObjectNode c = chunk();
            c.putArray("choices")
                    .addObject()
                    .put("index", 0)
                    .putNull("finish_reason")
                    .putObject("delta")
                    .put("content", toSend);
            write(c);
        }

        void write(ObjectNode chunk) {
            try {
                ctx.response().write(Buffer.buffer("data: " + json.writeValueAsString(chunk) + "\n\n"));
            } catch (JsonProcessingException | IllegalStateException e) {
                // the client went away; the close handler cancels the upstream request
            }
        }

        void fail(OpenAiError err) {
            start();
            ObjectNode e = json.createObjectNode();
            e.putObject("error")
                    .put("message", err.message())
                    .put("type", err.type())
                    .put("code", err.code());
            try {
                ctx.response().write(Buffer.buffer("data: " + json.writeValueAsString(e) + "\n\n"));
                ctx.response().end();
            } catch (JsonProcessingException | IllegalStateException ignored) {
                // client gone
            }
        }

        void done() {
            try {
                ctx.response().end(Buffer.buffer("data: [DONE]\n\n"));
            } catch (IllegalStateException ignored) {
                // client gone
            }
        }
    }

    private void embeddings(RoutingContext ctx, Principal caller) {
        JsonNode body = parseBody(ctx);
        if (body == null) {
            return;
        }
        if (!config.embeddingsEnabled()) {
            error(ctx, OpenAiError.notFound("embeddings are switched off (drydock.gateway.embeddings-enabled=false)"));
            return;
        }
        String model = body.path("model").asText("");
        if (!model.equals(EMBEDDING_MODEL)) {
            error(
                    ctx,
                    new OpenAiError(
                            404,
                            "unknown embedding model '" + model + "'; use '" + EMBEDDING_MODEL + "'",
                            "invalid_request_error",
                            "model_not_found"));
            return;
        }
        List<String> inputs = new ArrayList<>();
        JsonNode input = body.get("input");
        if (input != null && input.isTextual()) {
            inputs.add(input.asText());
        } else if (input != null && input.isArray() && !input.isEmpty()) {
            for (JsonNode i : input) {
                if (!i.isTextual()) {
                    error(
                            ctx,
                            OpenAiError.badRequest(
                                    "'input' must be a string or an array of strings (token arrays are not supported)"));
                    return;
                }
                inputs.add(i.asText());
            }
        } else {
            error(ctx, OpenAiError.badRequest("'input' must be a non-empty string or array of strings"));
            return;
        }
        if (inputs.size() > 2048) {
            error(ctx, OpenAiError.badRequest("at most 2048 inputs per request"));
            return;
        }
        Optional<CallScopes.Scope> scope = scope(ctx, caller);
        if (scope.isEmpty()) {
            return;
        }
        CallScopes.Scope s = scope.get();
        CallContext cc = new CallContext(
                caller.subject(),
                caller.username(),
                s.workspace(),
                s.sessionId(),
                s.droid(),
                "embed",
                model,
                s.classification(),
                "v1");
        Optional<String> over = gateway.budgetRefusal(cc);
        String requestId = RequestIds.next();
        long start = System.nanoTime();
        long tokens = inputs.stream().mapToLong(TokenCounter::count).sum();
        if (over.isPresent()) {
            gateway.record(record(requestId, cc, Outcome.BUDGET_EXCEEDED, over.get(), 0, start, null, null));
            error(ctx, OpenAiError.of(Outcome.BUDGET_EXCEEDED, over.get()));
            return;
        }
        float[][] vectors = embeddings.model().embed(inputs);
        boolean base64 = "base64".equals(body.path("encoding_format").asText());
        ObjectNode root = json.createObjectNode().put("object", "list").put("model", model);
        ArrayNode data = root.putArray("data");
        for (int i = 0; i < vectors.length; i++) {
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            if (base64) {
                ByteBuffer buf = ByteBuffer.allocate(vectors[i].length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : vectors[i]) {
                    buf.putFloat(f);
                }
                item.put("embedding", Base64.getEncoder().encodeToString(buf.array()));
            } else {
                ArrayNode vec = item.putArray("embedding");
                for (float f : vectors[i]) {
                    vec.add(f);
                }
            }
        }
        root.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        gateway.record(record(
                requestId,
                cc,
                Outcome.OK,
                null,
                tokens,
                start,
                Hashes.sha256(String.join("\n", inputs)),
                Hashes.sha256(vectors.length + " vectors")));
        send(ctx, 200, root);
    }

    private static GatewayRecord record(
            String id,
            CallContext cc,
            Outcome outcome,
            @Nullable String detail,
            long tokens,
            long start,
            @Nullable String promptSha,
            @Nullable String completionSha) {
        return new GatewayRecord(
                id,
                Instant.now(),
                cc.userSubject(),
                cc.username(),
                cc.workspace(),
                cc.sessionId(),
                cc.droid(),
                cc.purpose(),
                cc.channel(),
                cc.classification(),
                "local-inference",
                EMBEDDING_MODEL,
                outcome,
                detail,
                tokens,
                0,
                TokenSource.ESTIMATE,
                (System.nanoTime() - start) / 1_000_000,
                null,
                BigDecimal.ZERO,
                promptSha,
                completionSha,
                List.of(),
                List.of());
    }

    private @Nullable JsonNode parseBody(RoutingContext ctx) {
        Buffer raw = ctx.body().buffer();
        if (raw == null || raw.length() == 0) {
            error(ctx, OpenAiError.badRequest("the request body must be a JSON object"));
            return null;
        }
        try {
            JsonNode node = json.readTree(raw.getBytes());
            if (node == null || !node.isObject()) {
                error(ctx, OpenAiError.badRequest("the request body must be a JSON object"));
                return null;
            }
            return node;
        } catch (StreamConstraintsException e) {
            error(ctx, OpenAiError.badRequest(JsonLimitMessages.describe(e)));
            return null;
        } catch (java.io.IOException e) {
            error(ctx, OpenAiError.badRequest("the request body is not valid JSON"));
            return null;
        }
    }

    private static @Nullable String header(RoutingContext ctx, String name) {
        String v = ctx.request().getHeader(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private void send(RoutingContext ctx, int status, JsonNode body) {
        try {
            ctx.response()
                    .setStatusCode(status)
                    .putHeader("Content-Type", "application/json")
                    .end(json.writeValueAsString(body));
        } catch (JsonProcessingException | IllegalStateException e) {
            LOG.debugf("cannot answer %s: %s", ctx.request().path(), e.getMessage());
        }
    }

    void error(RoutingContext ctx, OpenAiError err) {
        ObjectNode root = json.createObjectNode();
        ObjectNode e = root.putObject("error").put("message", err.message()).put("type", err.type());
        e.putNull("param");
        e.put("code", err.code());
        if (err.status() == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"drydock\"");
        }
        send(ctx, err.status(), root);
    }
}
