package dev.drydock.search.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetrievalMetricsTest {
    @Test
    void shouldAverageRecallAndReciprocalRankWhenQueriesAreAdded() {
        // Given
        RetrievalMetrics.Accumulator acc = new RetrievalMetrics.Accumulator();
        acc.add(List.of("a", "b", "a", "c"), Set.of("c", "z"));
        acc.add(List.of("x"), Set.of("x"));

        // When
        RetrievalMetrics m = acc.result();

        // Then
        assertThat(m.queries()).isEqualTo(2);
        assertThat(m.recallAt1()).isCloseTo(0.5, within(1e-9));
        assertThat(m.recallAt5()).isCloseTo(0.75, within(1e-9));
        assertThat(m.mrrAt10()).isCloseTo((1.0 / 3 + 1.0) / 2, within(1e-9));
    }
}
