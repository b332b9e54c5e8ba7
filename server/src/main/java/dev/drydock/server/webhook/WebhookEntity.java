package dev.drydock.server.webhook;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** Persistence shape of a workspace's webhook receiver (table {@code webhook}). */
@Entity
@Table(name = "webhook")
public class WebhookEntity extends PanacheEntityBase {
    @Id
    public UUID id = UUID.randomUUID();

    @Column(nullable = false)
    public String workspace = "";

    @Column(nullable = false)
    public String url = "";

    /** Comma-separated {@link WebhookEvent} names. */
    @Column(nullable = false)
    public String events = "";

    /** The workspace secret whose value signs deliveries; the value itself is never stored here. */
    @Column(name = "secret_name", nullable = false)
    public String secretName = "";

    @Column(name = "created_by", nullable = false)
    public String createdBy = "";

    @Column(name = "created_at", nullable = false)
    public Instant createdAt = Instant.EPOCH;
}
