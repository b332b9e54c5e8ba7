package dev.drydock.server.promotion;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The model promotion gate: which fixtures a candidate runs, how many at once, and what passing means. */
@ConfigMapping(prefix = "drydock.promotion")
public interface PromotionConfig {
    /** Share of fixtures a candidate must pass (0 to 1) before routes may send traffic to it. */
    @WithDefault("0.8")
    double threshold();

    /** How many fixture sessions of one gate run go at once. */
    @WithDefault("2")
    int concurrency();

    /** The shipped fixtures a gate run uses, by name (see {@code gate-fixtures/index}); unset: all of them. */
    Optional<List<String>> fixtures();

    /** A fixture session still going after this long is cancelled and counts as failed. */
    @WithDefault("PT20M")
    Duration fixtureTimeout();

    /** The system workspace gate sessions run in (autonomy full-auto; kept out of people's session lists). */
    @WithDefault("drydock-gate")
    String workspace();
}
