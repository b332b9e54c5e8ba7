package dev.drydock.search.fusion;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * Gives the last place of a ranking's head to the best-ranked item below it, down to a depth, that
 * a relation ties to the head. A pure function over a fused list.
 *
 * <p>Why: the last places of a head hold few answers (on the dev set 2–3 % of the relevant files
 * sit at rank 9 or 10), so an item that shares structure with the head's files, such as a
 * namesake in a parallel module, is a better bet there than one more item that shares words only.
 */
public final class HeadFill {
    private HeadFill() {}

    /**
     * {@code fused} with the first item at places {@code head}..{@code depth - 1} (0-based) for which
     * {@code related.test(item, headItems)} holds moved to place {@code head - 1}; the items from
     * there down shift by one. The moved item takes the score of the place it fills, so scores stay
     * in order. Unchanged when no item qualifies or the list is not longer than the head.
     */
    public static <K> List<Fused<K>> apply(List<Fused<K>> fused, int head, int depth, BiPredicate<K, List<K>> related) {
        if (head < 1 || fused.size() <= head) {
            return fused;
        }
        List<K> headItems = fused.subList(0, head).stream().map(Fused::item).toList();
        for (int i = head; i < Math.min(depth, fused.size()); i++) {
            K candidate = fused.get(i).item();
            if (related.test(candidate, headItems)) {
                List<Fused<K>> out = new ArrayList<>(fused);
                out.remove(i);
                out.add(head - 1, new Fused<>(candidate, fused.get(head - 1).score()));
                return List.copyOf(out);
            }
        }
        return fused;
    }
}
