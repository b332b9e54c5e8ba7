package dev.drydock.sandbox.select;

import dev.drydock.sandbox.SandboxBackend;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Calls {@link SandboxBackend#reapExpired()} on a schedule, on one named daemon thread. The server
 * may use its own scheduler instead; the operator command does not need it.
 */
public final class SandboxReaping implements AutoCloseable {
    private static System.Logger log() {
        return System.getLogger(SandboxReaping.class.getName());
    }

    private final ScheduledExecutorService executor;

    private SandboxReaping(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /** Starts reaping {@code backend} every {@code interval}, first after one interval. */
    public static SandboxReaping every(SandboxBackend backend, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("reap interval must be positive, got " + interval);
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .daemon()
                .name("sandbox-reaper-" + backend.name())
                .factory());
        executor.scheduleWithFixedDelay(
                () -> {
                    try {
                        int reaped = backend.reapExpired();
                        if (reaped > 0) {
                            log().log(System.Logger.Level.INFO, () -> "reaped " + reaped + " expired sandbox(es)");
                        }
                    } catch (RuntimeException e) {
                        log().log(
                                        System.Logger.Level.WARNING,
                                        "sandbox reaping failed; retrying at the next interval",
                                        e);
                    }
                },
                interval.toMillis(),
                interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return new SandboxReaping(executor);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
