package dev.drydock.sandbox.select;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.sandbox.Enforcement;
import dev.drydock.sandbox.Sandbox;
import dev.drydock.sandbox.SandboxBackend;
import dev.drydock.sandbox.SandboxId;
import dev.drydock.sandbox.SandboxSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SandboxReapingTest {
    /** Counts reaps; the first one fails to prove the schedule survives errors. */
    static final class CountingBackend implements SandboxBackend {
        final CountDownLatch reaps = new CountDownLatch(3);

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public Sandbox create(SandboxSpec spec) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Sandbox get(SandboxId id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Sandbox> list() {
            return List.of();
        }

        @Override
        public List<Enforcement> enforcement() {
            return List.of();
        }

        @Override
        public int reapExpired() {
            reaps.countDown();
            if (reaps.getCount() == 2) {
                throw new IllegalStateException("API server unavailable");
            }
            return 1;
        }

        @Override
        public void close() {}
    }

    @Test
    void shouldKeepReapingWhenOneRoundFails() throws InterruptedException {
        // Given
        CountingBackend backend = new CountingBackend();
        // When
        try (SandboxReaping reaping = SandboxReaping.every(backend, Duration.ofMillis(10))) {
            // Then
            assertThat(backend.reaps.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
