package dev.drydock.server.gateway.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The deadlines of every open upstream exchange (an answer's headers awaited, a body being read),
 * checked by one daemon thread every {@link #TICK_MILLIS} ms while any is registered. A timer per
 * exchange (a {@code ScheduledThreadPoolExecutor} task) put an entry into one shared queue under its
 * lock and took it out again for every request, and woke the timer thread whenever the queue had been
 * empty; registering here is a set insertion, and the thread sleeps while nothing is open.
 */
final class Deadlines {
    /** How late a timeout may be noticed, at most. */
    static final long TICK_MILLIS = 20;

    /** Something with a deadline; {@code check} acts when it has passed and must neither block nor throw. */
    @FunctionalInterface
    interface Watched {
        void check(long nanoTime);
    }

    private static final Set<Watched> WATCHED = ConcurrentHashMap.newKeySet();
    private static volatile boolean idle;
    private static final Thread SWEEPER =
            Thread.ofPlatform().name("gateway-deadlines").daemon(true).start(Deadlines::sweep);

    private Deadlines() {}

    /** Checks {@code watched} until the returned registration is closed. */
    static Cancellation.Registration watch(Watched watched) {
        WATCHED.add(watched);
        if (idle) {
            LockSupport.unpark(SWEEPER);
        }
        return () -> WATCHED.remove(watched);
    }

    private static void sweep() {
        while (true) {
            if (WATCHED.isEmpty()) {
                idle = true;
                // a registration either sees idle (and unparks) or is seen by this second look: both are volatile
                // accesses
                if (WATCHED.isEmpty()) {
                    LockSupport.park();
                }
                idle = false;
                continue;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS));
            long now = System.nanoTime();
            for (Watched w : WATCHED) {
                try {
                    w.check(now);
                } catch (RuntimeException e) {
                    // a check that fails must not stop the others' timeouts
                }
            }
        }
    }
}
