package dev.drydock.search.fusion;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A query-independent prior applied to a fused ranking: each score is multiplied by the item's
 * factor and the list re-sorted (stable: equal scores keep their order). A pure function.
 */
public final class Prior {
    private Prior() {}

    public static <K> List<Fused<K>> apply(List<Fused<K>> fused, ToDoubleFunction<K> factor) {
        List<Fused<K>> out = new ArrayList<>(fused.size());
        for (Fused<K> f : fused) {
            out.add(new Fused<>(f.item(), f.score() * factor.applyAsDouble(f.item())));
        }
        out.sort(Comparator.comparingDouble((Fused<K> f) -> f.score()).reversed());
        return List.copyOf(out);
    }
}
