package dev.drydock.search.fusion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeadFillTest {
    private static List<Fused<String>> ranked(int n) {
        List<Fused<String>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Fused<>("f" + i, 1.0 - i * 0.01));
        }
        return List.copyOf(out);
    }

    @Test
    void shouldMoveFirstRelatedItemBelowHeadIntoLastHeadPlaceWithThatPlacesScore() {
        // Given: f6 and f7 are related to the head (f0..f3), f6 ranks first
        List<Fused<String>> fused = ranked(10);

        // When
        List<Fused<String>> out = HeadFill.apply(fused, 4, 10, (item, head) -> item.equals("f6") || item.equals("f7"));

        // Then
        assertThat(out)
                .extracting(Fused::item)
                .containsExactly("f0", "f1", "f2", "f6", "f3", "f4", "f5", "f7", "f8", "f9");
        assertThat(out.get(3).score()).isEqualTo(fused.get(3).score());
        assertThat(out).extracting(Fused::score).isSortedAccordingTo((a, b) -> Double.compare(b, a));
    }

    @Test
    void shouldPassTheHeadItemsToTheRelation() {
        // Given
        List<Fused<String>> fused = ranked(6);
        List<List<String>> seen = new ArrayList<>();

        // When
        HeadFill.apply(fused, 3, 6, (item, head) -> seen.add(head) && false);

        // Then: asked once per item below the head, always with the head
        assertThat(seen).hasSize(3).allSatisfy(head -> assertThat(head).containsExactly("f0", "f1", "f2"));
    }

    @Test
    void shouldLeaveRankingAloneWhenNothingRelatedIsAboveTheDepthOrListIsShort() {
        // Given
        List<Fused<String>> fused = ranked(10);

        // When
        List<Fused<String>> beyondDepth = HeadFill.apply(fused, 4, 8, (item, head) -> item.equals("f9"));
        List<Fused<String>> noneRelated = HeadFill.apply(fused, 4, 10, (item, head) -> false);
        List<Fused<String>> shortList = HeadFill.apply(ranked(4), 4, 10, (item, head) -> true);

        // Then
        assertThat(beyondDepth).isEqualTo(fused);
        assertThat(noneRelated).isEqualTo(fused);
        assertThat(shortList).isEqualTo(ranked(4));
    }
}
