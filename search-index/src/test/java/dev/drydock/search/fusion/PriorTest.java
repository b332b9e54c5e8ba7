package dev.drydock.search.fusion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PriorTest {
    @Test
    void shouldReorderByScaledScoreAndKeepInputWhenFactorsDiffer() {
        // Given
        List<Fused<String>> fused = List.of(
                new Fused<>("docs", 0.030),
                new Fused<>("code", 0.020),
                new Fused<>("test", 0.019),
                new Fused<>("other", 0.010));

        // When
        List<Fused<String>> out = Prior.apply(fused, item -> item.equals("docs") || item.equals("test") ? 0.5 : 1.0);

        // Then
        assertThat(out).extracting(Fused::item).containsExactly("code", "docs", "other", "test");
        assertThat(out.get(1).score()).isEqualTo(0.015);
        assertThat(fused.get(0)).isEqualTo(new Fused<>("docs", 0.030));
    }

    @Test
    void shouldKeepOrderOfEqualScoresWhenFactorIsOne() {
        // Given
        List<Fused<String>> fused = List.of(new Fused<>("a", 0.1), new Fused<>("b", 0.1), new Fused<>("c", 0.1));

        // When
        List<Fused<String>> out = Prior.apply(fused, item -> 1.0);

        // Then
        assertThat(out).isEqualTo(fused);
    }
}
