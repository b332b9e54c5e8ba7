package dev.drydock.search;

import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * One file search as every stage of {@link FileRanking} sees it: the query, its analysis, and the
 * query vector being computed on another thread (null: this search uses no vectors).
 *
 * @param denseRerank hybrid mode with a dense weight: the vector re-orders the candidates
 */
record FileSearch(
        SearchQuery query, AnalysedQuery analysed, @Nullable Future<float[]> vector, boolean denseRerank) {
    boolean hybrid() {
        return query.mode() == SearchMode.HYBRID;
    }
}
