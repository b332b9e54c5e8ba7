package dev.drydock.search.lexical;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LexicalQueriesTest {
    @TempDir
    Path tmp;

    private static Document doc(String body, String name) {
        Document doc = new Document();
        doc.add(new TextField("body", body, Field.Store.NO));
        doc.add(new TextField("name", name, Field.Store.NO));
        return doc;
    }

    @Test
    void shouldScoreLikePlainTermQueriesAndLeaveOutAbsentTermsWhenTermsAreLookedUpOncePerFieldAndSegment()
            throws IOException {
        // Given: two segments; "parser" only in bodies, "invoice" in both fields, "missing" nowhere
        try (FSDirectory dir = FSDirectory.open(tmp)) {
            try (IndexWriter writer =
                    new IndexWriter(dir, new IndexWriterConfig().setMergePolicy(NoMergePolicy.INSTANCE))) {
                writer.addDocument(doc("invoice parser reads invoice lines", "invoice"));
                writer.addDocument(doc("mail sender", "mail"));
                writer.commit();
                writer.addDocument(doc("parser of mail headers", "headers"));
                writer.addDocument(doc("invoice totals", "totals"));
                writer.commit();
            }
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                IndexSearcher searcher = new IndexSearcher(reader);
                List<String> terms = List.of("invoice", "parser", "missing");
                Map<String, Float> fields = Map.of("body", 1f, "name", 0.3f);
                Map<String, Float> termWeights = Map.of("parser", 2f);

                // When
                Query prepared = LexicalQueries.multiField(searcher.getTopReaderContext(), terms, fields, termWeights);

                // Then: the same hits and scores as one plain term query per term and field
                BooleanQuery.Builder plain = new BooleanQuery.Builder();
                for (String term : terms) {
                    fields.forEach((field, weight) -> plain.add(
                            new BoostQuery(
                                    new TermQuery(new Term(field, term)), weight * termWeights.getOrDefault(term, 1f)),
                            BooleanClause.Occur.SHOULD));
                }
                assertThat(reader.leaves()).hasSize(2);
                assertThat(hits(searcher, prepared)).containsExactlyElementsOf(hits(searcher, plain.build()));
                assertThat(((BooleanQuery) prepared).clauses()).hasSize(3); // invoice×2, parser×1, missing×0
            }
        }
    }

    private static List<String> hits(IndexSearcher searcher, Query query) throws IOException {
        List<String> out = new ArrayList<>();
        for (ScoreDoc sd : searcher.search(query, 10).scoreDocs) {
            out.add(sd.doc + ":" + sd.score);
        }
        return out;
    }

    @Test
    void shouldRankDocumentWhereQueryWordsStandTogetherFirstWhenProximityIsAdded() throws IOException {
        // Given: two documents of the same length hold the same words once; only the second has them side by side
        try (FSDirectory dir = FSDirectory.open(tmp)) {
            try (IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig())) {
                writer.addDocument(
                        doc("headers " + "word ".repeat(10) + "filtered " + "word ".repeat(10) + "default", "far"));
                writer.addDocument(doc("word ".repeat(20) + "default filtered headers", "near"));
                writer.addDocument(doc("unrelated text", "other"));
            }
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                IndexSearcher searcher = new IndexSearcher(reader);
                List<String> terms = List.of("default", "filtered", "headers");
                Query words =
                        LexicalQueries.multiField(searcher.getTopReaderContext(), terms, Map.of("body", 1f), Map.of());
                Query proximity = LexicalQueries.proximity(
                        "body",
                        List.of(new QueryTerms.Pair("default", "filtered"), new QueryTerms.Pair("filtered", "headers")),
                        8);

                // When
                float[] plain = scores(searcher, words);
                float[] withProximity = scores(
                        searcher,
                        new BooleanQuery.Builder()
                                .add(words, BooleanClause.Occur.MUST)
                                .add(new BoostQuery(proximity, 0.5f), BooleanClause.Occur.SHOULD)
                                .build());

                // Then: bag of words cannot tell them apart, proximity can; the unrelated document stays out
                assertThat(plain[0]).isEqualTo(plain[1]);
                assertThat(withProximity[1]).isGreaterThan(withProximity[0]);
                assertThat(withProximity[0]).isEqualTo(plain[0]);
                assertThat(searcher.count(proximity)).isEqualTo(1);
                assertThat(LexicalQueries.proximity("body", List.of(), 8)).isNull();
            }
        }
    }

    /** Score of each of the first two documents (0 when not matched). */
    private static float[] scores(IndexSearcher searcher, Query query) throws IOException {
        float[] out = new float[2];
        for (ScoreDoc sd : searcher.search(query, 10).scoreDocs) {
            if (sd.doc < 2) {
                out[sd.doc] = sd.score;
            }
        }
        return out;
    }
}
