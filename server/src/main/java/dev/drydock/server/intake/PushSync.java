package dev.drydock.server.intake;

import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.repository.RepositorySync;
import dev.drydock.server.repository.SyncThrottle;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * A push to a registered repository's tracked branch syncs and re-indexes it through {@link
 * RepositorySync}, within the manual-sync throttle ({@link SyncThrottle}). A sync starts at once when
 * none runs and the throttle admits one; otherwise one sync waits (for the running sync to end, and
 * for the throttle's {@code Retry-After}) and every push that arrives meanwhile joins it. A burst of
 * pushes therefore costs at most one running and one waiting sync per repository, and the last push's
 * commit is always fetched by a sync that started after it arrived.
 */
@ApplicationScoped
public class PushSync {
    private static final Logger LOG = Logger.getLogger(PushSync.class);

    /** What became of a push: a sync started, one waits, or the push joined the one already waiting. */
    public enum Result {
        STARTED,
        QUEUED,
        COALESCED;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What a push needs of the repositories: the running sync, a new one, and the throttle's verdict. */
    interface Syncs {
        Optional<Future<?>> running(String workspace, String name);

        void start(String workspace, String name);

        /** Zero when the throttle admits a sync now, else the wait after which it would. */
        Duration admit(String workspace, String name);
    }

    @Inject
    RepositorySync repositories;

    @Inject
    SyncThrottle throttle;

    private final ExecutorService waiters = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("push-sync-", 0).factory());
    private final Map<String, Future<?>> waiting = new ConcurrentHashMap<>();
    private @Nullable Syncs syncs;

    PushSync() {}

    /** With other repositories than the server's (tests). */
    PushSync(Syncs syncs) {
        this.syncs = syncs;
    }

    void stop(@Observes ShutdownEvent event) {
        waiters.shutdownNow();
    }

    /** A push moved the tracked branch of {@code workspace/name}: sync it now, or once, soon. */
    public Result pushed(String workspace, String name) {
        Syncs s = syncs();
        Result[] result = new Result[1];
        waiting.compute(workspace + "/" + name, (key, waiter) -> {
            if (waiter != null && !waiter.isDone()) {
                result[0] = Result.COALESCED;
                return waiter;
            }
            Duration wait = s.admit(workspace, name);
            if (wait.isZero() && s.running(workspace, name).isEmpty()) {
                s.start(workspace, name);
                result[0] = Result.STARTED;
                return null;
            }
            result[0] = Result.QUEUED;
            return CompletableFuture.runAsync(
                    () -> afterRunning(s, workspace, name),
                    CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS, waiters));
        });
        return result[0];
    }

    private static void afterRunning(Syncs s, String workspace, String name) {
        try {
            Optional<Future<?>> running = s.running(workspace, name);
            while (running.isPresent()) {
                try {
                    running.get().get();
                } catch (ExecutionException e) {
                    // the running sync failed on its own; this one fetches again regardless
                }
                running = s.running(workspace, name);
            }
            s.start(workspace, name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warnf("the sync of %s/%s after a push could not start: %s", workspace, name, e.getMessage());
        }
    }

    private Syncs syncs() {
        Syncs s = syncs;
        if (s != null) {
            return s;
        }
        return new Syncs() {
            @Override
            public Optional<Future<?>> running(String workspace, String name) {
                return repositories.runningSync(workspace, name);
            }

            @Override
            public void start(String workspace, String name) {
                repositories.scheduleSync(workspace, name);
            }

            @Override
            public Duration admit(String workspace, String name) {
                try {
                    throttle.admit(workspace, name);
                    return Duration.ZERO;
                } catch (ProblemException e) {
                    if (e.problem().status() != 429) {
                        throw e;
                    }
                    return Duration.ofSeconds(e.retryAfterSeconds().orElse(1));
                }
            }
        };
    }
}
