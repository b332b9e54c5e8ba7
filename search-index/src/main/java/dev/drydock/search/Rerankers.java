package dev.drydock.search;

import dev.drydock.search.FileRanking.Rerank;
import dev.drydock.search.fusion.Fused;
import dev.drydock.search.fusion.RankedList;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/** The re-rankers of {@link FileRanking}: lists computed from the head of the fused ranking. */
final class Rerankers {
    static final int DENSE_CANDIDATES = 30;
    static final int HISTORY_CANDIDATES = 30;
    /** Files whose co-changed files are listed. */
    static final int CO_CHANGE_SEEDS = 3;

    static final int GRAPH_SEEDS = 5;
    static final int GRAPH_CANDIDATES = 50;
    static final int GRAPH_NEIGHBOURS = 50;

    private Rerankers() {}

    static List<Rerank> all(CodeSearch index, RankingSettings settings) {
        return List.of(
                new DenseSimilarity(index, settings),
                new History(index, settings),
                new GraphNeighbours(index, settings));
    }

    private static List<FileKey> head(List<Fused<FileKey>> fused, int n) {
        return fused.subList(0, Math.min(n, fused.size())).stream()
                .map(Fused::item)
                .toList();
    }

    /**
     * Hybrid: the exact dense similarity of the top {@link #DENSE_CANDIDATES} candidates (a general
     * embedder is weaker than BM25 on task text, so it only re-orders lexical candidates).
     */
    record DenseSimilarity(CodeSearch index, RankingSettings settings) implements Rerank {
        @Override
        public List<RankedList<FileKey>> lists(FileSearch s, List<Fused<FileKey>> fused) throws IOException {
            Future<float[]> vector = s.vector();
            if (!s.denseRerank() || vector == null || fused.isEmpty()) {
                return List.of();
            }
            List<String> candidates =
                    head(fused, DENSE_CANDIDATES).stream().map(FileKey::key).toList();
            List<String> reordered = index.byDenseSimilarity(CodeSearch.await(vector), candidates);
            return reordered.isEmpty()
                    ? List.of()
                    : List.of(new RankedList<>("dense", settings.denseWeight(), FirstStages.fileKeys(reordered)));
        }
    }

    /** Hybrid, git corpora: recency of change of the top candidates, and files co-changed with the top 3. */
    record History(CodeSearch index, RankingSettings settings) implements Rerank {
        @Override
        public List<RankedList<FileKey>> lists(FileSearch s, List<Fused<FileKey>> fused) {
            if (!s.hybrid() || (settings.recencyWeight() <= 0 && settings.coChangeWeight() <= 0) || fused.isEmpty()) {
                return List.of();
            }
            List<FileKey> candidates = head(fused, HISTORY_CANDIDATES);
            List<RankedList<FileKey>> out = new ArrayList<>();
            List<FileKey> byRecency = new ArrayList<>();
            Map<FileKey, Double> recency = new HashMap<>();
            for (FileKey key : candidates) {
                double r = index.history(key.repo()).recency().getOrDefault(key.path(), 0.0);
                if (r > 0) {
                    recency.put(key, r);
                    byRecency.add(key);
                }
            }
            if (settings.recencyWeight() > 0 && !byRecency.isEmpty()) {
                byRecency.sort(Comparator.comparingDouble((FileKey key) -> recency.get(key))
                        .reversed());
                out.add(new RankedList<>("recency", settings.recencyWeight(), byRecency));
            }
            Set<FileKey> coChanged = new LinkedHashSet<>();
            for (FileKey key : candidates.subList(0, Math.min(CO_CHANGE_SEEDS, candidates.size()))) {
                for (String other : index.history(key.repo()).coChanged().getOrDefault(key.path(), List.of())) {
                    coChanged.add(new FileKey(key.repo(), other));
                }
            }
            if (settings.coChangeWeight() > 0 && !coChanged.isEmpty()) {
                out.add(new RankedList<>("co-change", settings.coChangeWeight(), new ArrayList<>(coChanged)));
            }
            return out;
        }
    }

    /** Hybrid: symbol-graph neighbours of the top {@link #GRAPH_SEEDS} files among the top {@link #GRAPH_CANDIDATES}. */
    record GraphNeighbours(CodeSearch index, RankingSettings settings) implements Rerank {
        @Override
        public List<RankedList<FileKey>> lists(FileSearch s, List<Fused<FileKey>> fused) throws IOException {
            if (!s.hybrid() || settings.graphWeight() <= 0 || fused.isEmpty()) {
                return List.of();
            }
            List<String> seeds =
                    head(fused, GRAPH_SEEDS).stream().map(FileKey::key).toList();
            Set<FileKey> pool = head(fused, GRAPH_CANDIDATES).stream().collect(Collectors.toSet());
            List<FileKey> near = FirstStages.fileKeys(
                            index.symbolGraph().neighbours(seeds, s.query().readableRepos(), GRAPH_NEIGHBOURS))
                    .stream()
                    .filter(pool::contains)
                    .toList();
            return near.isEmpty() ? List.of() : List.of(new RankedList<>("graph", settings.graphWeight(), near));
        }
    }
}
