package dev.drydock.search.lexical;

import java.util.List;
import java.util.Map;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/** Builds BM25 queries from analysed terms: every term is looked up in several weighted fields. */
public final class LexicalQueries {
    private LexicalQueries() {}

    /**
     * A disjunction over {@code terms}; each term contributes the sum of its per-field BM25 scores,
     * times the field's weight.
     */
    public static Query multiField(List<String> terms, Map<String, Float> fieldWeights, Map<String, Float> termWeights) {
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        for (String term : terms) {
            float termWeight = termWeights.getOrDefault(term, 1f);
            for (Map.Entry<String, Float> field : fieldWeights.entrySet()) {
                Query q = new TermQuery(new Term(field.getKey(), term));
                float boost = field.getValue() * termWeight;
                if (boost != 1f) {
                    q = new BoostQuery(q, boost);
                }
                query.add(q, BooleanClause.Occur.SHOULD);
            }
        }
        return query.build();
    }
}
