package dev.drydock.server.session;

import dev.drydock.server.agent.EventLog;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Payload;
import dev.drydock.server.agent.event.Source;
import dev.drydock.server.problem.DatabaseUnavailable;
import dev.drydock.server.problem.OutageLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The log as one session's driver sees it while PostgreSQL may restart: an append or a read that
 * meets an unreachable database ({@link DatabaseUnavailable#is}) waits (0.5 s, doubling to 5 s) and
 * tries again, for up to {@code drydock.session.database-outage-grace} from the first failure since
 * the last success; past it, {@link Outage} is thrown and the driver parks the session (it is never
 * marked failed for an outage). An append whose outcome is unknown (the connection died while it
 * committed) is never simply repeated: before trying again, the log after the last seq this driver
 * saw is read back, and an event equal to the one being appended (same source, cause and payload)
 * means it did commit, so it is returned instead of being written twice. Appends still carry the
 * lease's fence (the delegate, {@link FencedEventLog}), so a retry after a takeover is refused.
 */
final class PatientEventLog implements EventLog {
    /** The first wait after a failure. */
    static final Duration FIRST_WAIT = Duration.ofMillis(500);

    /** The longest wait between two tries. */
    static final Duration LONGEST_WAIT = Duration.ofSeconds(5);

    /** How a driver waits between tries (a test passes one that moves its clock instead). */
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** The database stayed unreachable for longer than the grace: the driver parks the session. */
    static final class Outage extends RuntimeException {
        Outage(String message, @Nullable Throwable cause) {
            super(message, cause);
        }
    }

    private final EventLog delegate;
    private final Duration grace;
    private final OutageLog outages;
    private final Clock clock;
    private final Sleeper sleeper;
    /** The highest seq this driver appended or read; -1 before any. */
    private final AtomicLong lastSeq = new AtomicLong(-1);

    private @Nullable Instant outageBegan;
    private Duration nextWait = FIRST_WAIT;

    PatientEventLog(EventLog delegate, Duration grace, OutageLog outages, Clock clock, Sleeper sleeper) {
        this.delegate = delegate;
        this.grace = grace;
        this.outages = outages;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Production waits: the thread sleeps (a virtual thread: no carrier is held). */
    PatientEventLog(EventLog delegate, Duration grace, OutageLog outages) {
        this(delegate, grace, outages, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()));
    }

    @Override
    public Event append(String sessionId, Source source, @Nullable Long causedBy, Payload payload) {
        long before = lastSeq.get();
        boolean uncertain = false;
        while (true) {
            try {
                if (uncertain) {
                    Optional<Event> committed = committed(sessionId, before, source, causedBy, payload);
                    if (committed.isPresent()) {
                        return reached(committed.get());
                    }
                }
                return reached(delegate.append(sessionId, source, causedBy, payload));
            } catch (RuntimeException e) {
                // the append may have committed before its connection died: read back before the next try
                uncertain = true;
                survive(sessionId, e);
            }
        }
    }

    @Override
    public List<Event> read(String sessionId, long afterSeq, int limit) {
        while (true) {
            try {
                List<Event> events = delegate.read(sessionId, afterSeq, limit);
                reachedDatabase();
                if (!events.isEmpty()) {
                    lastSeq.accumulateAndGet(events.getLast().seq(), Math::max);
                }
                return events;
            } catch (RuntimeException e) {
                survive(sessionId, e);
            }
        }
    }

    @Override
    public boolean unavailable(Throwable e) {
        return isOutage(e);
    }

    /** Whether {@code e} is an unreachable database, or this log's giving up on one. */
    static boolean isOutage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Outage) {
                return true;
            }
        }
        return DatabaseUnavailable.is(e);
    }

    /**
     * Takes a failure of the driver's: rethrows it unless it is an unreachable database; otherwise
     * waits the next backoff, or throws {@link Outage} once the outage outlasted the grace. The driver
     * calls it too for what failed outside the log (a query of its own, the gateway's accounting).
     */
    void survive(String sessionId, RuntimeException e) {
        if (e instanceof Outage) {
            throw e;
        }
        if (!outages.failed(e)) {
            throw e;
        }
        Instant now = clock.instant();
        Duration wait;
        synchronized (this) {
            if (outageBegan == null) {
                outageBegan = now;
                nextWait = FIRST_WAIT;
            }
            Duration waited = Duration.between(outageBegan, now);
            if (waited.compareTo(grace) >= 0) {
                throw new Outage(
                        "session " + sessionId + ": PostgreSQL unreachable for " + waited.toSeconds()
                                + " s, longer than drydock.session.database-outage-grace (" + grace + ")",
                        e);
            }
            Duration left = grace.minus(waited);
            wait = nextWait.compareTo(left) < 0 ? nextWait : left;
            Duration doubled = nextWait.multipliedBy(2);
            nextWait = doubled.compareTo(LONGEST_WAIT) < 0 ? doubled : LONGEST_WAIT;
        }
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new Outage("session " + sessionId + ": interrupted while waiting for PostgreSQL", e);
        }
    }

    private Event reached(Event e) {
        reachedDatabase();
        lastSeq.accumulateAndGet(e.seq(), Math::max);
        return e;
    }

    private void reachedDatabase() {
        boolean ended;
        synchronized (this) {
            ended = outageBegan != null;
            outageBegan = null;
            nextWait = FIRST_WAIT;
        }
        if (ended) {
            outages.succeeded();
        }
    }

    /**
     * The event this driver tried to append, if it committed although its append failed: one equal to
     * it after {@code before} (the highest seq the driver had seen). Before the driver saw any seq, only
     * the log's last event may be it.
     */
    private Optional<Event> committed(
            String sessionId, long before, Source source, @Nullable Long causedBy, Payload payload) {
        List<Event> after = delegate.read(sessionId, Math.max(before, 0), Integer.MAX_VALUE);
        List<Event> candidates = before >= 0 || after.isEmpty() ? after : List.of(after.getLast());
        return candidates.stream()
                .filter(e -> e.source() == source
                        && Objects.equals(e.causedBy(), causedBy)
                        && e.payload().equals(payload))
                .findFirst();
    }
}
