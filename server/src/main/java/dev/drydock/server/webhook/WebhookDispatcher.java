package dev.drydock.server.webhook;

import dev.drydock.server.egress.EgressGuard;
import dev.drydock.server.egress.EgressRefusedException;
import dev.drydock.server.secret.WorkspaceSecrets;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Sends queued webhook deliveries. Each tick claims due rows with {@code FOR UPDATE SKIP LOCKED}
 * under a lease, so several replicas share the queue without sending a delivery twice at once, and a
 * replica that dies mid-send leaves its claim to expire. Each attempt is signed afresh ({@link
 * WebhookSignature}); a 2xx answer delivers, anything else (or no answer) is retried after {@code
 * drydock.webhooks.retry-delays}, then the delivery fails for good. Only the status and a short
 * error are kept, never the receiver's answer body.
 */
@ApplicationScoped
public class WebhookDispatcher {
    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    private static final int BATCH = 20;
    private static final Duration LEASE = Duration.ofMinutes(2);
    private static final int MAX_ERROR_CHARS = 300;

    @Inject
    EntityManager em;

    @Inject
    EgressGuard egress;

    @Inject
    WorkspaceSecrets secrets;

    @Inject
    WebhookConfig config;

    private final Clock clock = Clock.systemUTC();
    private final ExecutorService senders = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("webhook-send-", 0).factory());

    private record Claimed(UUID id, UUID webhook, String event, String payload, int attempt) {}

    private record Target(String workspace, String url, String secretName) {}

    @Scheduled(every = "1s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        outages.run(() -> {
            for (Claimed c : claim()) {
                senders.submit(() -> send(c));
            }
        });
    }

    private final dev.drydock.server.problem.OutageLog outages =
            new dev.drydock.server.problem.OutageLog(LOG, "webhook deliveries");

    private List<Claimed> claim() {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("""
                    update webhook_delivery d set state = 'sending', lease_until = now() + make_interval(secs => ?1), attempts = attempts + 1
                    where id in (select id from webhook_delivery
                                 where (state = 'pending' and next_attempt_at <= now()) or (state = 'sending' and lease_until < now())
                                 order by next_attempt_at limit ?2 for update skip locked)
                    returning d.id, d.webhook_id, d.event, d.payload, d.attempts""")
                    .setParameter(1, LEASE.toSeconds())
                    .setParameter(2, BATCH)
                    .getResultList();
            return rows.stream()
                    .map(r -> new Claimed(
                            (UUID) r[0], (UUID) r[1], (String) r[2], (String) r[3], ((Number) r[4]).intValue()))
                    .toList();
        });
    }

    private void send(Claimed c) {
        Optional<Target> target = QuarkusTransaction.requiringNew()
                .call(() -> WebhookEntity.<WebhookEntity>findByIdOptional(c.webhook())
                        .map(h -> new Target(h.workspace, h.url, h.secretName)));
        if (target.isEmpty()) {
            return; // the receiver was removed; its deliveries went with it
        }
        Target t = target.get();
        Optional<String> secret = secrets.reveal(t.workspace(), t.secretName());
        if (secret.isEmpty()) {
            finish(c, null, "workspace secret '" + t.secretName() + "' no longer exists; nothing was sent");
            return;
        }
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(URI.create(t.url()))
                .timeout(config.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "Drydock-Webhooks")
                .header("X-Drydock-Event", c.event())
                .header("X-Drydock-Delivery", c.id().toString())
                .header("X-Drydock-Timestamp", Long.toString(timestamp))
                .header("X-Drydock-Signature", WebhookSignature.sign(secret.get(), timestamp, c.payload()))
                .POST(HttpRequest.BodyPublishers.ofString(c.payload(), StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<Void> response =
                    egress.send(request, HttpResponse.BodyHandlers.discarding(), config.timeout(), "webhook");
            int status = response.statusCode();
            finish(c, status, status / 100 == 2 ? null : "receiver answered HTTP " + status);
        } catch (EgressRefusedException e) {
            finish(c, null, "host no longer on the egress allow-list: " + e.getMessage());
        } catch (IOException e) {
            finish(
                    c,
                    null,
                    "no answer: " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the claim expires and another tick retries
        } catch (RuntimeException e) {
            LOG.warnf("webhook delivery %s failed unexpectedly: %s", c.id(), e.toString());
            finish(c, null, "not sent: " + e.getClass().getSimpleName());
        }
    }

    private void finish(Claimed c, @Nullable Integer status, @Nullable String error) {
        Instant now = clock.instant();
        List<Duration> delays = config.retryDelays();
        QuarkusTransaction.requiringNew()
                .run(() -> WebhookDeliveryEntity.<WebhookDeliveryEntity>findByIdOptional(c.id())
                        .ifPresent(d -> {
                            d.lastStatus = status;
                            d.lastError = error == null
                                    ? null
                                    : error.length() > MAX_ERROR_CHARS
                                            ? error.substring(0, MAX_ERROR_CHARS) + "…"
                                            : error;
                            d.leaseUntil = null;
                            if (error == null) {
                                d.state = "delivered";
                                d.deliveredAt = now;
                            } else if (c.attempt() > delays.size()) {
                                d.state = "failed";
                            } else {
                                d.state = "pending";
                                d.nextAttemptAt = now.plus(delays.get(c.attempt() - 1));
                            }
                        }));
        if (error != null) {
            LOG.infof("webhook delivery %s (%s) attempt %d: %s", c.id(), c.event(), c.attempt(), error);
        }
    }

    /** Forgets finished deliveries older than {@code drydock.webhooks.keep-deliveries}. */
    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void prune() {
        Instant before = clock.instant().minus(config.keepDeliveries());
        long removed = QuarkusTransaction.requiringNew()
                .call(() ->
                        WebhookDeliveryEntity.delete("state in ('delivered', 'failed') and createdAt < ?1", before));
        if (removed > 0) {
            LOG.infof(
                    "removed %d webhook deliveries older than %s from the delivery log",
                    removed, config.keepDeliveries());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        senders.shutdownNow();
    }
}
