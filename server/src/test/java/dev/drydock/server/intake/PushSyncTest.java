package dev.drydock.server.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How pushes turn into syncs: at once when nothing runs, otherwise one waiting sync that a burst joins. */
class PushSyncTest {
    /** A repository whose running sync the test ends by hand. */
    static final class FakeSyncs implements PushSync.Syncs {
        volatile CompletableFuture<Void> running = CompletableFuture.completedFuture(null);
        final List<String> started = new CopyOnWriteArrayList<>();
        final CountDownLatch startedOnce = new CountDownLatch(1);
        Duration wait = Duration.ZERO;

        @Override
        public Optional<Future<?>> running(String workspace, String name) {
            return running.isDone() ? Optional.empty() : Optional.of(running);
        }

        @Override
        public void start(String workspace, String name) {
            started.add(workspace + "/" + name);
            startedOnce.countDown();
        }

        @Override
        public Duration admit(String workspace, String name) {
            return wait;
        }
    }

    @Test
    void shouldStartSyncAtOnceWhenNoneRuns() {
        // Given
        FakeSyncs syncs = new FakeSyncs();
        PushSync pushes = new PushSync(syncs);

        // When
        PushSync.Result result = pushes.pushed("demo", "calc");

        // Then
        assertThat(result).isEqualTo(PushSync.Result.STARTED);
        assertThat(syncs.started).containsExactly("demo/calc");
    }

    @Test
    void shouldQueueOneSyncAndCoalesceTheRestWhenABurstOfPushesArrivesDuringASync() {
        // Given a sync running
        FakeSyncs syncs = new FakeSyncs();
        syncs.running = new CompletableFuture<>();
        PushSync pushes = new PushSync(syncs);

        // When five pushes arrive during it
        List<PushSync.Result> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            results.add(pushes.pushed("demo", "calc"));
        }

        // Then one sync waits for the running one and the other pushes join it
        assertThat(results)
                .containsExactly(
                        PushSync.Result.QUEUED,
                        PushSync.Result.COALESCED,
                        PushSync.Result.COALESCED,
                        PushSync.Result.COALESCED,
                        PushSync.Result.COALESCED);
        assertThat(syncs.started).isEmpty();
    }

    @Test
    void shouldStartExactlyOneSyncWhenTheRunningSyncEndsAfterABurst() throws Exception {
        // Given a burst of pushes during a running sync
        FakeSyncs syncs = new FakeSyncs();
        syncs.running = new CompletableFuture<>();
        PushSync pushes = new PushSync(syncs);
        for (int i = 0; i < 5; i++) {
            pushes.pushed("demo", "calc");
        }

        // When the running sync ends
        syncs.running.complete(null);

        // Then
        assertThat(syncs.startedOnce.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(syncs.started).containsExactly("demo/calc");
    }

    @Test
    void shouldQueueInsteadOfRefusingWhenThrottleAsksToWait() throws Exception {
        // Given the throttle admits the next sync only in 50 ms
        FakeSyncs syncs = new FakeSyncs();
        syncs.wait = Duration.ofMillis(50);
        PushSync pushes = new PushSync(syncs);

        // When
        PushSync.Result result = pushes.pushed("demo", "calc");

        // Then
        assertThat(result).isEqualTo(PushSync.Result.QUEUED);
        assertThat(syncs.startedOnce.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(syncs.started).containsExactly("demo/calc");
    }
}
