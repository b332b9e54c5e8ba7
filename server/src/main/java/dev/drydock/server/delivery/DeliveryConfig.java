package dev.drydock.server.delivery;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the merge requests sessions opened are followed after they were opened (deliverables). */
@ConfigMapping(prefix = "drydock.delivery")
public interface DeliveryConfig {
    /**
     * How often the server asks each git server for the state and approvals of the merge requests
     * that are still open (webhooks tell it sooner where they are configured), e.g. {@code 5m}; {@code
     * off} stops polling (Quarkus' scheduler then never runs it).
     */
    @WithDefault("5m")
    String pollInterval();

    /** Most open merge requests asked about in one polling round; the ones asked about longest ago go first. */
    @WithDefault("50")
    int pollBatch();

    /**
     * How often merged merge requests are checked for code churn: the lines the droid added that still
     * exist in the default branch 7 and 30 days after the merge (counted on the server's mirror once
     * each).
     */
    @WithDefault("1h")
    String churnInterval();
}
