package dev.drydock.server.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class RequestIdsTest {
    @Test
    void shouldMakeVersion7IdsCarryingTheMillisecond() {
        // Given
        long millis = 1_764_130_000_123L;

        // When
        UUID id = RequestIds.next(millis, ThreadLocalRandom.current());

        // Then
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(millis);
        assertThat(UUID.fromString(RequestIds.next())).extracting(UUID::version).isEqualTo(7);
    }

    @Test
    void shouldOrderIdsOfLaterMillisecondsAfterEarlierOnesAsText() {
        // Given
        List<String> ids = new ArrayList<>();

        // When: ten thousand ids over a hundred milliseconds
        for (int i = 0; i < 10_000; i++) {
            ids.add(RequestIds.next(1_764_130_000_000L + i / 100, ThreadLocalRandom.current())
                    .toString());
        }

        // Then: sorted as text, the milliseconds stay in order, and none repeats
        for (int i = 100; i < ids.size(); i += 100) {
            assertThat(ids.get(i)).isGreaterThan(ids.get(i - 1));
        }
        assertThat(new HashSet<>(ids)).hasSize(ids.size());
    }
}
