package dev.drydock.server.problem;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * What a background loop (lease renewal, the sandbox queue, a scheduler round, session loops) logs
 * while PostgreSQL is unreachable: one warning line when the outage begins, without a stack trace,
 * and one line when the database answers again, instead of a stack trace at every tick. Failures
 * that are not an unreachable database ({@link DatabaseUnavailable#is}) are left to the caller.
 * Thread-safe: the loops sharing one instance log one outage once.
 */
public final class OutageLog {
    private final Logger log;
    private final String what;
    private final Clock clock;
    private final AtomicReference<@Nullable Instant> since = new AtomicReference<>();

    /** {@code what} names the loop in the log lines (for example "session leases"). */
    public OutageLog(Logger log, String what) {
        this(log, what, Clock.systemUTC());
    }

    OutageLog(Logger log, String what, Clock clock) {
        this.log = log;
        this.what = what;
        this.clock = clock;
    }

    /**
     * Reports a failure of one round: returns whether it was an unreachable database (then logged,
     * once per outage); false leaves the failure to the caller.
     */
    public boolean failed(Throwable e) {
        if (!DatabaseUnavailable.is(e)) {
            return false;
        }
        if (since.compareAndSet(null, clock.instant())) {
            log.warnf(
                    "%s: PostgreSQL is not reachable (%s); retrying quietly until it answers again",
                    what, rootMessage(e));
        } else {
            log.debugf("%s: PostgreSQL still not reachable: %s", what, rootMessage(e));
        }
        return true;
    }

    /** Reports a round that reached the database: ends the outage, if one was under way, with one line. */
    public void succeeded() {
        Instant began = since.getAndSet(null);
        if (began != null) {
            log.infof(
                    "%s: PostgreSQL answers again after %s s",
                    what,
                    String.format(
                            Locale.ROOT,
                            "%.1f",
                            Duration.between(began, clock.instant()).toMillis() / 1000.0));
        }
    }

    /**
     * Runs one round of a background loop: an unreachable database ends the round quietly (one warning
     * per outage) and the next round tries again; every other failure propagates as before.
     */
    public void run(Runnable round) {
        try {
            round.run();
        } catch (RuntimeException e) {
            if (!failed(e)) {
                throw e;
            }
            return;
        }
        succeeded();
    }

    /** Whether an outage is under way (a round failed for it, and none succeeded since). */
    public boolean ongoing() {
        return since.get() != null;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
