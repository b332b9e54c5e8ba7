package dev.drydock.server.webhook;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** One event for one receiver, with its attempts so far (table {@code webhook_delivery}). */
@Entity
@Table(name = "webhook_delivery")
public class WebhookDeliveryEntity extends PanacheEntityBase {
    @Id
    public UUID id = UUID.randomUUID();

    @Column(name = "webhook_id", nullable = false)
    public UUID webhookId = new UUID(0, 0);

    @Column(nullable = false)
    public String event = "";

    @Column(name = "session_id")
    public @Nullable UUID sessionId;

    /** The exact JSON body sent (and signed) on every attempt. */
    @Column(nullable = false)
    public String payload = "";

    /** {@code pending}, {@code sending} (claimed by a dispatcher until {@link #leaseUntil}), {@code delivered} or {@code failed}. */
    @Column(nullable = false)
    public String state = "pending";

    @Column(nullable = false)
    public int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt = Instant.EPOCH;

    @Column(name = "lease_until")
    public @Nullable Instant leaseUntil;

    /** The receiver's HTTP status on the last attempt; its body is never kept. */
    @Column(name = "last_status")
    public @Nullable Integer lastStatus;

    @Column(name = "last_error")
    public @Nullable String lastError;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt = Instant.EPOCH;

    @Column(name = "delivered_at")
    public @Nullable Instant deliveredAt;
}
