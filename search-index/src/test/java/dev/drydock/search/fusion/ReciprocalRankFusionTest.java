package dev.drydock.search.fusion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReciprocalRankFusionTest {
    @Test
    void shouldRankItemsFoundByBothListsFirstWhenFusing() {
        // Given
        List<String> lexical = new ArrayList<>(List.of("a", "b", "c"));
        List<String> dense = new ArrayList<>(List.of("c", "d", "a"));
        List<RankedList<String>> lists =
                List.of(new RankedList<>("lexical", 1.0, lexical), new RankedList<>("dense", 1.0, dense));

        // When
        List<Fused<String>> fused = ReciprocalRankFusion.fuse(lists, 60);

        // Then
        assertThat(fused).extracting(Fused::item).containsExactly("a", "c", "b", "d");
        assertThat(fused.get(0).score()).isCloseTo(1.0 / 61 + 1.0 / 63, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(lexical).containsExactly("a", "b", "c");
        assertThat(dense).containsExactly("c", "d", "a");
    }

    @Test
    void shouldFollowWeightsWhenListsDisagree() {
        // Given
        List<RankedList<String>> lists = List.of(
                new RankedList<>("weak", 0.5, List.of("x", "y")), new RankedList<>("strong", 2.0, List.of("y", "x")));

        // When
        List<Fused<String>> fused = ReciprocalRankFusion.fuse(lists, 60);

        // Then
        assertThat(fused).extracting(Fused::item).containsExactly("y", "x");
    }

    @Test
    void shouldReturnNothingWhenThereAreNoLists() {
        // Given
        List<RankedList<String>> none = List.of();

        // When
        List<Fused<String>> fused = ReciprocalRankFusion.fuse(none, 60);

        // Then
        assertThat(fused).isEmpty();
    }
}
