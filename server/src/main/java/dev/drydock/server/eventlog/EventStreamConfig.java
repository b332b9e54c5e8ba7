package dev.drydock.server.eventlog;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Limits on sessions' live event streams (SSE, on the API and the portal). */
@ConfigMapping(prefix = "drydock.event-streams")
public interface EventStreamConfig {
    /**
     * Most event streams one person may hold open at once, over the API and the portal together (a
     * portal tab showing a session holds one). One more is refused with 429 until one closes; a closed
     * stream frees its place within about a second. Each open stream holds a server thread and a
     * database read per event, so this keeps one person (or a leaked token in a loop) from exhausting them.
     */
    @WithDefault("8")
    int maxPerUser();

    /**
     * How often a live stream reads the log for events it has not heard of, the fallback when a
     * notification from the database is lost (its listening connection dropped). Events appended on
     * any replica normally reach every stream within milliseconds through PostgreSQL {@code
     * LISTEN/NOTIFY}; this bounds the delay when they do not, at one small query per open stream per
     * interval.
     */
    @WithDefault("PT5S")
    Duration pollInterval();
}
