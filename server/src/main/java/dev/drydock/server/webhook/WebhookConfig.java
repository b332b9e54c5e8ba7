package dev.drydock.server.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** Webhooks out ({@code drydock.webhooks.*}). */
@ConfigMapping(prefix = "drydock.webhooks")
public interface WebhookConfig {
    /**
     * Waits between attempts of one delivery: the first retry after the first value, and so on; the
     * delivery fails for good after one attempt more than there are values.
     */
    @WithDefault("10s,1m,5m,30m,2h,6h")
    List<Duration> retryDelays();

    /** How long one attempt may take (connect and answer) before it counts as failed. */
    @WithDefault("10s")
    Duration timeout();

    /** Receivers one workspace may register. */
    @WithDefault("20")
    int maxPerWorkspace();

    /** How long finished deliveries (delivered or failed) stay in the delivery log. */
    @WithDefault("30d")
    Duration keepDeliveries();
}
