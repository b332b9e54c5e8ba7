package dev.drydock.search.fusion;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Weighted reciprocal rank fusion: {@code score(d) = Σ weight_i / (k + rank_i(d))} with ranks
 * from 1. A pure function: the inputs are not modified, ties keep first-seen order.
 */
public final class ReciprocalRankFusion {
    /** The usual constant; larger values flatten the head of each list. */
    public static final int DEFAULT_K = 60;

    private ReciprocalRankFusion() {}

    public static <K> List<Fused<K>> fuse(List<RankedList<K>> lists, int k) {
        Map<K, Double> scores = new LinkedHashMap<>();
        for (RankedList<K> list : lists) {
            int rank = 0;
            for (K item : list.items()) {
                rank++;
                double contribution = list.weight() / (k + rank);
                scores.merge(item, contribution, Double::sum);
            }
        }
        List<Fused<K>> out = new ArrayList<>(scores.size());
        scores.forEach((item, score) -> out.add(new Fused<>(item, score)));
        out.sort(Comparator.comparingDouble((Fused<K> f) -> f.score()).reversed());
        return List.copyOf(out);
    }
}
