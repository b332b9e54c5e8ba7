package dev.drydock.server.session;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How sessions run. */
@ConfigMapping(prefix = "drydock.session")
public interface SessionConfig {
    /** Attempts per model call before the session ends MODEL_UNAVAILABLE. */
    @WithDefault("3")
    int modelAttempts();

    /** Wait before the second attempt; later attempts wait proportionally longer. */
    @WithDefault("PT2S")
    Duration modelBackoff();

    /** At startup, resume sessions that were running (true) or mark them interrupted for a one-click resume (false). */
    @WithDefault("true")
    boolean resumeOnStart();
}
