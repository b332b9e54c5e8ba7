package dev.drydock.search;

import java.util.List;
import java.util.Map;
import org.apache.lucene.search.Query;
import org.jspecify.annotations.Nullable;

/**
 * The analysed query text: distinct terms, the weights of those that are not 1 (the subject's), and
 * the proximity clause for whole-file BM25 (null: none).
 */
record AnalysedQuery(
        List<String> terms,
        Map<String, Float> weights,
        @Nullable Query proximity) {
    AnalysedQuery(List<String> terms, Map<String, Float> weights) {
        this(terms, weights, null);
    }
}
