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

    /**
     * How long a running session waits for PostgreSQL when it cannot reach it (a restart, a failover):
     * its loop tries again (after 0.5 s, doubling to 5 s) instead of failing. Past this, the session is
     * parked as a graceful shutdown parks it (no sandbox, no driver) and resumed from its log once the
     * database answers again; it is never marked failed for an outage.
     */
    @WithDefault("PT2M")
    Duration databaseOutageGrace();

    /** At startup, resume sessions that were running (true) or mark them interrupted for a one-click resume (false). */
    @WithDefault("true")
    boolean resumeOnStart();

    /**
     * Most sessions one person may have going at once: started and not yet finished or interrupted
     * (running, or waiting for an answer or an approval). Starting or resuming one more is refused
     * with 429 until one of them ends; this keeps one person (or a leaked token in a loop) from
     * taking every sandbox and model slot.
     */
    @WithDefault("5")
    int maxRunningPerUser();

    /**
     * Most sessions one workspace may have going at once (counted as for {@code max-running-per-user}),
     * so that one team cannot take every sandbox of the appliance.
     */
    @WithDefault("20")
    int maxRunningPerWorkspace();

    /** Most attachments (pasted tickets or logs, uploaded text files) one session may be started with. */
    @WithDefault("10")
    int maxAttachments();

    /**
     * Most characters of one attachment. A longer paste is refused with 400 naming the limit (the
     * person cuts the log to the part that matters); nothing is truncated silently.
     */
    @WithDefault("200000")
    int maxAttachmentChars();

    /** Most characters of all attachments of one session together. */
    @WithDefault("600000")
    int maxAttachmentsChars();
}
