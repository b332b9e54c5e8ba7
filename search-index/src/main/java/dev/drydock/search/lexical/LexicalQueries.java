package dev.drydock.search.lexical;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.IndexReaderContext;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TermStates;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import org.jspecify.annotations.Nullable;

/** Builds BM25 queries from analysed terms: every term is looked up in several weighted fields. */
public final class LexicalQueries {
    private LexicalQueries() {}

    /**
     * A disjunction over {@code terms}; each term contributes the sum of its per-field BM25 scores,
     * times the field's weight.
     *
     * <p>The terms are looked up here, in {@code top}'s segments, with one terms enumeration per
     * field and segment: a {@link TermQuery} without prepared states would open one per term, field
     * and segment (a long task text has a few hundred such lookups, most of a query's allocation).
     * A term absent from a field gets no clause. Scores are the same as with plain term queries;
     * the query must run on a searcher over {@code top}.
     */
    public static Query multiField(
            IndexReaderContext top, List<String> terms, Map<String, Float> fieldWeights, Map<String, Float> termWeights)
            throws IOException {
        List<BytesRef> bytes = new ArrayList<>(terms.size());
        for (String term : terms) {
            bytes.add(new BytesRef(term));
        }
        List<Map.Entry<String, Float>> fields = List.copyOf(fieldWeights.entrySet());
        TermStates[][] states = new TermStates[fields.size()][];
        for (int f = 0; f < fields.size(); f++) {
            states[f] = lookUp(top, fields.get(f).getKey(), bytes);
        }
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        for (int t = 0; t < terms.size(); t++) {
            float termWeight = termWeights.getOrDefault(terms.get(t), 1f);
            for (int f = 0; f < fields.size(); f++) {
                TermStates found = states[f][t];
                if (found == null) {
                    continue;
                }
                Query q = new TermQuery(new Term(fields.get(f).getKey(), bytes.get(t)), found);
                float boost = fields.get(f).getValue() * termWeight;
                if (boost != 1f) {
                    q = new BoostQuery(q, boost);
                }
                query.add(q, BooleanClause.Occur.SHOULD);
            }
        }
        return query.build();
    }

    /**
     * Rewards documents where the query's adjacent words also stand close together: one sloppy
     * phrase per pair (within {@code slop} position moves; the reverse order costs two), each scored by Lucene
     * like a term with the pair's combined IDF, summed. This is the unordered-window part of the
     * sequential dependence model; bag-of-words BM25 cannot tell "default filtered headers" from a
     * file that uses the three words in unrelated places. Null when there is no pair.
     */
    public static @Nullable Query proximity(String field, List<QueryTerms.Pair> pairs, int slop) {
        if (pairs.isEmpty()) {
            return null;
        }
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        for (QueryTerms.Pair pair : pairs) {
            query.add(new PhraseQuery(slop, field, pair.first(), pair.second()), BooleanClause.Occur.SHOULD);
        }
        return query.build();
    }

    /** The states of {@code terms} in {@code field} (null where no segment holds the term). */
    private static TermStates[] lookUp(IndexReaderContext top, String field, List<BytesRef> terms) throws IOException {
        TermStates[] states = new TermStates[terms.size()];
        for (LeafReaderContext leaf : top.leaves()) {
            Terms fieldTerms = leaf.reader().terms(field);
            if (fieldTerms == null) {
                continue;
            }
            TermsEnum e = fieldTerms.iterator();
            for (int t = 0; t < terms.size(); t++) {
                if (e.seekExact(terms.get(t))) {
                    if (states[t] == null) {
                        states[t] = new TermStates(top);
                    }
                    states[t].register(e.termState(), leaf.ord, e.docFreq(), e.totalTermFreq());
                }
            }
        }
        return states;
    }
}
