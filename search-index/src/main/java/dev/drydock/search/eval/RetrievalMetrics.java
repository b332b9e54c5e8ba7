package dev.drydock.search.eval;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * File-level retrieval metrics averaged over queries: recall@1, @5, @10 (share of the relevant
 * files found in the top k) and MRR@10 (reciprocal rank of the first relevant file).
 */
public record RetrievalMetrics(double recallAt1, double recallAt5, double recallAt10, double mrrAt10, int queries) {

    /** Accumulates per-query results. Not thread-safe. */
    public static final class Accumulator {
        private double r1;
        private double r5;
        private double r10;
        private double mrr;
        private int n;

        /** Adds one query: its ranked results (duplicates are collapsed) and its relevant set. */
        public void add(List<String> ranked, Set<String> relevant) {
            n++;
            if (relevant.isEmpty()) {
                return;
            }
            List<String> distinct = List.copyOf(new LinkedHashSet<>(ranked));
            r1 += recall(distinct, relevant, 1);
            r5 += recall(distinct, relevant, 5);
            r10 += recall(distinct, relevant, 10);
            for (int i = 0; i < Math.min(10, distinct.size()); i++) {
                if (relevant.contains(distinct.get(i))) {
                    mrr += 1.0 / (i + 1);
                    break;
                }
            }
        }

        public RetrievalMetrics result() {
            return n == 0
                    ? new RetrievalMetrics(0, 0, 0, 0, 0)
                    : new RetrievalMetrics(r1 / n, r5 / n, r10 / n, mrr / n, n);
        }

        private static double recall(List<String> ranked, Set<String> relevant, int k) {
            int found = 0;
            for (int i = 0; i < Math.min(k, ranked.size()); i++) {
                if (relevant.contains(ranked.get(i))) {
                    found++;
                }
            }
            return (double) found / relevant.size();
        }
    }
}
