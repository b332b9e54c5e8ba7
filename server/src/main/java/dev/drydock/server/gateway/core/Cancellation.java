package dev.drydock.server.gateway.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A cancel signal for one request; cancelling runs the registered actions (closing the upstream connection). */
public final class Cancellation {
    private volatile boolean cancelled;
    private final List<Runnable> actions = new CopyOnWriteArrayList<>();

    public void cancel() {
        cancelled = true;
        actions.forEach(Runnable::run);
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Runs {@code action} on cancel, or now if already cancelled; closing the returned registration unregisters it. */
    public Registration onCancel(Runnable action) {
        actions.add(action);
        if (cancelled) {
            action.run();
        }
        return () -> actions.remove(action);
    }

    /** Undoes a registration; closing cannot fail. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
