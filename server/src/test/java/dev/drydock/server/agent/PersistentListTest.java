package dev.drydock.server.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PersistentListTest {

    @Test
    void shouldBehaveLikeCopiedListsWhenAppendedAndReplacedAtRandom() {
        // Given a seeded sequence of appends and replacements, applied to a persistent list and to copies of an
        // ArrayList
        Random random = new Random(7);
        PersistentList<Integer> persistent = PersistentList.empty();
        List<Integer> expected = new ArrayList<>();
        List<PersistentList<Integer>> versions = new ArrayList<>();
        List<List<Integer>> expectedVersions = new ArrayList<>();

        // When
        for (int k = 0; k < 5_000; k++) {
            if (expected.isEmpty() || random.nextInt(3) > 0) {
                persistent = persistent.plus(k);
                expected.add(k);
            } else {
                int i = random.nextInt(expected.size());
                persistent = persistent.with(i, -k);
                expected.set(i, -k);
            }
            versions.add(persistent);
            expectedVersions.add(List.copyOf(expected));
        }

        // Then every version still holds what it held when it was made (earlier versions are untouched by later
        // changes)
        assertThat(versions).hasSameSizeAs(expectedVersions);
        for (int v = 0; v < versions.size(); v += 97) {
            assertThat(versions.get(v)).as("version %d", v).containsExactlyElementsOf(expectedVersions.get(v));
        }
        assertThat(persistent).isEqualTo(expected);
    }

    @Test
    void shouldWriteOneLeafWhenOneItemOfALongListIsReplaced() {
        // Given a list of 100,000 items
        PersistentList<Integer> list = PersistentList.empty();
        for (int k = 0; k < 100_000; k++) {
            list = list.plus(k);
        }

        // When
        PersistentList<Integer> changed = list.with(54_321, -1);

        // Then only the leaf holding that item is new; the other 3,124 leaves are shared
        assertThat(PersistentList.leavesNotShared(list, changed)).isEqualTo(1);
        assertThat(changed.get(54_321)).isEqualTo(-1);
        assertThat(list.get(54_321)).isEqualTo(54_321);
    }
}
