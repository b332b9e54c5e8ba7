package dev.drydock.server.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Lifecycle;
import dev.drydock.server.agent.event.Oversight;
import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.WorkspaceAccess;
import dev.drydock.server.auth.WorkspaceRole;
import dev.drydock.server.delivery.MergeRequestOpened;
import dev.drydock.server.egress.EgressGuard;
import dev.drydock.server.eventlog.EventRecorded;
import dev.drydock.server.problem.Problem;
import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.secret.WorkspaceSecrets;
import dev.drydock.server.workspace.WorkspaceService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * A workspace's webhook receivers (workspace admins register, list and remove them; every change is
 * audited) and the queue of their deliveries: committed session events and opened merge requests
 * become, once committed, one {@code webhook_delivery} row per subscribed receiver, which {@link WebhookDispatcher}
 * sends. A receiver's host must be on the egress allow-list; a loopback receiver (this machine's own
 * services) only a drydock-admin may register.
 */
@ApplicationScoped
public class Webhooks {
    private static final Logger LOG = Logger.getLogger(Webhooks.class);
    private static final int MAX_URL_CHARS = 2_000;

    @Inject
    EntityManager em;

    @Inject
    EgressGuard egress;

    @Inject
    WorkspaceSecrets secrets;

    @Inject
    WorkspaceService workspaces;

    @Inject
    AuditTrail audit;

    @Inject
    WebhookConfig config;

    @Inject
    ObjectMapper json;

    private final Clock clock = Clock.systemUTC();
    private final ExecutorService enqueuer = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("webhook-enqueue-", 0).factory());

    /** A registration request: where to send, which events, and the workspace secret that signs. */
    public record CreateRequest(
            @Nullable String url,
            @Nullable List<String> events,
            @Nullable String secret) {}

    /** A receiver as the API shows it (the signing secret by name only). */
    public record WebhookView(
            String id,
            String workspace,
            String url,
            List<String> events,
            String secret,
            String createdBy,
            Instant createdAt) {}

    /** One delivery with its attempts; the receiver's answer body is never kept. */
    public record DeliveryView(
            String id,
            String event,
            @Nullable String sessionId,
            String state,
            int attempts,
            @Nullable Integer lastStatus,
            @Nullable String lastError,
            Instant createdAt,
            @Nullable Instant nextAttemptAt,
            @Nullable Instant deliveredAt) {}

    /** After the event's transaction committed: queues deliveries on another thread, so the appender never waits for them. */
    void recorded(@Observes(during = TransactionPhase.AFTER_SUCCESS) EventRecorded recorded) {
        Event e = recorded.event();
        if (e.payload() instanceof Lifecycle.SessionFinished || e.payload() instanceof Oversight.ApprovalRequested) {
            enqueuer.submit(() -> enqueueSessionEvent(e));
        }
    }

    public WebhookView create(Principal who, String workspace, @Nullable CreateRequest request) {
        WorkspaceAccess.require(who, workspace, WorkspaceRole.ADMIN);
        workspaces.find(workspace);
        if (request == null || request.url() == null || request.events() == null || request.secret() == null) {
            throw invalid(
                    "body",
                    "send {\"url\": \"https://…\", \"events\": [\"session.finished\", …], \"secret\": \"<workspace secret name>\"}");
        }
        URI url = receiverUrl(who, request.url());
        List<String> events = events(request.events());
        String secret = request.secret().strip();
        if (!secrets.exists(workspace, secret)) {
            throw invalid(
                    "secret",
                    "workspace '" + workspace + "' has no secret '" + secret
                            + "': store the signing key first with PUT /api/workspaces/" + workspace + "/secrets/"
                            + secret);
        }
        WebhookEntity hook = new WebhookEntity();
        hook.workspace = workspace;
        hook.url = url.toString();
        hook.events = String.join(",", events);
        hook.secretName = secret;
        hook.createdBy = who.username();
        hook.createdAt = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> {
            if (WebhookEntity.count("workspace", workspace) >= config.maxPerWorkspace()) {
                throw new ProblemException(Problem.of(
                        409,
                        "too-many-webhooks",
                        "Too many webhooks",
                        "workspace '" + workspace + "' already has " + config.maxPerWorkspace()
                                + " webhooks (drydock.webhooks.max-per-workspace); remove one first"));
            }
            hook.persist();
            audit.appendInTransaction(AuditEntry.of(who.subject(), "webhook.created", workspace + "/" + hook.id)
                    .inWorkspace(workspace)
                    .with("by", who.username())
                    .with("url", hook.url)
                    .with("events", hook.events)
                    .with("secret", secret));
        });
        return view(hook);
    }

    public List<WebhookView> list(Principal who, String workspace) {
        WorkspaceAccess.require(who, workspace, WorkspaceRole.ADMIN);
        return QuarkusTransaction.requiringNew()
                .call(() -> WebhookEntity.<WebhookEntity>list("workspace = ?1 order by createdAt", workspace))
                .stream()
                .map(Webhooks::view)
                .toList();
    }

    public void delete(Principal who, String workspace, String id) {
        WorkspaceAccess.require(who, workspace, WorkspaceRole.ADMIN);
        UUID key = uuid(id);
        QuarkusTransaction.requiringNew().run(() -> {
            WebhookEntity hook = owned(workspace, key);
            hook.delete();
            audit.appendInTransaction(AuditEntry.of(who.subject(), "webhook.deleted", workspace + "/" + id)
                    .inWorkspace(workspace)
                    .with("by", who.username())
                    .with("url", hook.url));
        });
    }

    public List<DeliveryView> deliveries(Principal who, String workspace, String id, int limit) {
        WorkspaceAccess.require(who, workspace, WorkspaceRole.ADMIN);
        UUID key = uuid(id);
        return QuarkusTransaction.requiringNew().call(() -> {
            owned(workspace, key);
            return WebhookDeliveryEntity.<WebhookDeliveryEntity>find("webhookId = ?1 order by createdAt desc", key)
                    .page(0, Math.max(1, Math.min(500, limit)))
                    .list()
                    .stream()
                    .map(Webhooks::view)
                    .toList();
        });
    }

    /** Queues a delivery again (a failed one, or to replay a delivered one), as a new delivery with the same body. */
    public DeliveryView redeliver(Principal who, String workspace, String id, String deliveryId) {
        WorkspaceAccess.require(who, workspace, WorkspaceRole.ADMIN);
        UUID key = uuid(id);
        UUID original = uuid(deliveryId);
        return QuarkusTransaction.requiringNew().call(() -> {
            owned(workspace, key);
            WebhookDeliveryEntity before = WebhookDeliveryEntity.<WebhookDeliveryEntity>findByIdOptional(original)
                    .filter(d -> d.webhookId.equals(key))
                    .orElseThrow(
                            () -> ProblemException.notFound("Delivery '" + deliveryId + "' of webhook '" + id + "'"));
            WebhookDeliveryEntity again = queued(key, before.event, before.sessionId, before.payload);
            audit.appendInTransaction(AuditEntry.of(who.subject(), "webhook.redelivered", workspace + "/" + id)
                    .inWorkspace(workspace)
                    .with("by", who.username())
                    .with("delivery", deliveryId));
            return view(again);
        });
    }

    /** Queues a {@code ping} to one receiver, to check its setup (URL, signature check). */
    public DeliveryView ping(Principal who, String workspace, String id) {
        WorkspaceAccess.require(who, workspace, WorkspaceRole.ADMIN);
        UUID key = uuid(id);
        return QuarkusTransaction.requiringNew().call(() -> {
            owned(workspace, key);
            Map<String, Object> body = envelope(WebhookEvent.PING, workspace);
            body.put("by", who.username());
            return view(queued(key, WebhookEvent.PING.wireName(), null, write(body)));
        });
    }

    void mergeRequestOpened(@Observes MergeRequestOpened opened) {
        Map<String, Object> body = envelope(WebhookEvent.MERGE_REQUEST_OPENED, opened.workspace());
        body.put(
                "session",
                Map.of("id", opened.sessionId(), "repo", opened.repo(), "delegatedBy", opened.delegatedBy()));
        body.put("mergeRequest", Map.of("number", opened.number(), "url", opened.url(), "draft", opened.draft()));
        enqueuer.submit(() -> enqueue(
                opened.workspace(),
                WebhookEvent.MERGE_REQUEST_OPENED,
                UUID.fromString(opened.sessionId()),
                write(body)));
    }

    /**
     * Queues {@code kind} with {@code fields} (besides {@code event}, {@code workspace} and {@code
     * occurredAt}) to the workspace's receivers subscribed to it, after the caller's work is done:
     * how other features report onwards (an incident's RCA).
     */
    public void publish(String workspace, WebhookEvent kind, @Nullable String sessionId, Map<String, Object> fields) {
        Map<String, Object> body = envelope(kind, workspace);
        body.putAll(fields);
        enqueue(workspace, kind, sessionId == null ? null : UUID.fromString(sessionId), write(body));
    }

    private void enqueueSessionEvent(Event e) {
        try {
            UUID session = UUID.fromString(e.sessionId());
            Optional<Object[]> row = QuarkusTransaction.requiringNew()
                    .call(() -> em.createNativeQuery(
                                    "select workspace, droid, coalesce(repo, ''), created_by from droid_session where id = ?1",
                                    Object[].class)
                            .setParameter(1, session)
                            .getResultStream()
                            .findFirst());
            if (row.isEmpty()) {
                return;
            }
            String workspace = (String) row.get()[0];
            Map<String, Object> sessionFacts = new LinkedHashMap<>();
            sessionFacts.put("id", e.sessionId());
            sessionFacts.put("droid", row.get()[1]);
            sessionFacts.put("repo", row.get()[2]);
            sessionFacts.put("delegatedBy", row.get()[3]);
            WebhookEvent kind;
            Map<String, Object> body;
            if (e.payload() instanceof Lifecycle.SessionFinished finished) {
                kind = WebhookEvent.SESSION_FINISHED;
                body = envelope(kind, workspace);
                sessionFacts.put("outcome", finished.outcome().name().toLowerCase(Locale.ROOT));
                sessionFacts.put("summary", finished.summary());
            } else if (e.payload() instanceof Oversight.ApprovalRequested asked) {
                kind = WebhookEvent.APPROVAL_NEEDED;
                body = envelope(kind, workspace);
                body.put(
                        "approval",
                        Map.of(
                                "callId",
                                asked.callId(),
                                "tool",
                                asked.tool(),
                                "risk",
                                asked.risk().name().toLowerCase(Locale.ROOT),
                                "reason",
                                asked.reason()));
            } else {
                return;
            }
            body.put("session", sessionFacts);
            body.put("portalPath", "/portal/sessions/" + e.sessionId());
            enqueue(workspace, kind, session, write(body));
        } catch (RuntimeException ex) {
            LOG.warnf(
                    "webhook deliveries for an event of session %s were not queued: %s", e.sessionId(), ex.toString());
        }
    }

    private void enqueue(String workspace, WebhookEvent kind, @Nullable UUID session, String payload) {
        QuarkusTransaction.requiringNew().run(() -> {
            for (WebhookEntity hook : WebhookEntity.<WebhookEntity>list("workspace", workspace)) {
                if (Arrays.asList(hook.events.split(",")).contains(kind.wireName())) {
                    queued(hook.id, kind.wireName(), session, payload);
                }
            }
        });
    }

    private WebhookDeliveryEntity queued(UUID hook, String event, @Nullable UUID session, String payload) {
        WebhookDeliveryEntity d = new WebhookDeliveryEntity();
        d.webhookId = hook;
        d.event = event;
        d.sessionId = session;
        d.payload = payload;
        d.createdAt = clock.instant();
        d.nextAttemptAt = d.createdAt;
        d.persist();
        return d;
    }

    private Map<String, Object> envelope(WebhookEvent kind, String workspace) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", kind.wireName());
        body.put("workspace", workspace);
        body.put("occurredAt", clock.instant().toString());
        return body;
    }

    private String write(Map<String, Object> body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a webhook body of maps and strings always serialises", e);
        }
    }

    private URI receiverUrl(Principal who, String raw) {
        String text = raw.strip();
        if (text.isEmpty() || text.length() > MAX_URL_CHARS) {
            throw invalid("url", "url is required, at most " + MAX_URL_CHARS + " characters");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid("url", "url is not a valid URL: " + e.getReason());
        }
        String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
        if (!Set.of("https", "http").contains(scheme) || uri.getHost() == null) {
            throw invalid("url", "url must be an http:// or https:// address of a receiver inside your network");
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid(
                    "url",
                    "do not put credentials in the url: deliveries are signed with the workspace secret you name");
        }
        if (uri.getRawFragment() != null) {
            throw invalid("url", "url must not have a #fragment");
        }
        String host = uri.getHost();
        if (!egress.isAllowed(host)) {
            throw new ProblemException(
                    Problem.of(
                            422,
                            "host-not-allowed",
                            "Host not allowed",
                            "Receiver host '" + host
                                    + "' is not on the egress allow-list (drydock.egress.allowed-hosts); a drydock-admin adds internal hosts there. Drydock contacts no other host."));
        }
        if (loopback(host) && !who.isDrydockAdmin()) {
            throw new ProblemException(
                    Problem.of(
                            403,
                            "loopback-receiver",
                            "Loopback receiver refused",
                            "'" + host
                                    + "' is this machine: only a drydock-admin may send webhooks to the server's own host, where its own services listen."));
        }
        return uri;
    }

    private static boolean loopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (!h.matches("[0-9.]+|[0-9a-f:.]+") || !(h.contains(".") || h.contains(":"))) {
            return false;
        }
        try {
            InetAddress a = InetAddress.getByName(h); // an IP literal: no lookup happens
            return a.isLoopbackAddress() || a.isAnyLocalAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static List<String> events(List<String> names) {
        if (names.isEmpty()) {
            throw invalid("events", "name at least one event: " + known());
        }
        Set<String> out = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String n : names) {
            Optional<WebhookEvent> e = n == null ? Optional.empty() : WebhookEvent.parse(n);
            if (e.isEmpty() || e.get() == WebhookEvent.PING) {
                unknown.add(String.valueOf(n));
            } else {
                out.add(e.get().wireName());
            }
        }
        if (!unknown.isEmpty()) {
            throw invalid("events", "unknown event " + String.join(", ", unknown) + "; known: " + known());
        }
        return List.copyOf(out);
    }

    private static String known() {
        return Arrays.stream(WebhookEvent.values())
                .filter(e -> e != WebhookEvent.PING)
                .map(WebhookEvent::wireName)
                .reduce((a, b) -> a + ", " + b)
                .orElse("");
    }

    private static WebhookEntity owned(String workspace, UUID id) {
        return WebhookEntity.<WebhookEntity>findByIdOptional(id)
                .filter(h -> h.workspace.equals(workspace))
                .orElseThrow(() -> ProblemException.notFound("Webhook '" + id + "' in workspace '" + workspace + "'"));
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("Webhook or delivery '" + id + "'");
        }
    }

    private static ProblemException invalid(String field, String message) {
        return new ProblemException(Problem.of(400, "invalid-webhook", "Invalid webhook", message)
                .withErrors(List.of(new Problem.FieldError(field, message))));
    }

    static WebhookView view(WebhookEntity h) {
        return new WebhookView(
                h.id.toString(),
                h.workspace,
                h.url,
                List.of(h.events.split(",")),
                h.secretName,
                h.createdBy,
                h.createdAt);
    }

    static DeliveryView view(WebhookDeliveryEntity d) {
        boolean open = d.state.equals("pending") || d.state.equals("sending");
        return new DeliveryView(
                d.id.toString(),
                d.event,
                d.sessionId == null ? null : d.sessionId.toString(),
                d.state,
                d.attempts,
                d.lastStatus,
                d.lastError,
                d.createdAt,
                open ? d.nextAttemptAt : null,
                d.deliveredAt);
    }
}
