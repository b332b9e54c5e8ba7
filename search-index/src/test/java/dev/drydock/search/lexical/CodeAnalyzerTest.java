package dev.drydock.search.lexical;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.junit.jupiter.api.Test;

class CodeAnalyzerTest {
    @Test
    void shouldKeepWholeIdentifiersAndTheirPartsWhenTextHasCamelSnakeAndDottedNames() {
        // Given
        String text = "parseHttpHeaders MAX_RETRY_COUNT org.example.FooBar";

        // When
        List<String> terms = QueryTerms.of(CodeAnalyzer.forQuery(), "body", text);

        // Then
        assertThat(terms)
                .contains(
                        "parsehttphead",
                        "pars",
                        "http",
                        "header",
                        "max_retry_count",
                        "max",
                        "retri",
                        "count",
                        "org",
                        "exampl",
                        "foobar",
                        "foo",
                        "bar");
    }

    @Test
    void shouldTreatQuerySyntaxAsPlainTextWhenQueryHasOperators() {
        // Given
        String text = "title:foo* AND (bar OR \"baz) ~2 ^3 [a TO b] /re.*gex/ \\";

        // When
        List<String> terms = QueryTerms.of(CodeAnalyzer.forQuery(), "body", text);

        // Then
        assertThat(terms).contains("titl", "foo", "bar", "baz", "re", "gex");
    }

    @Test
    void shouldCapTermsWhenQueryIsHuge() {
        // Given
        StringBuilder huge = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            huge.append("word").append(i).append(' ');
        }

        // When
        List<String> terms = QueryTerms.of(CodeAnalyzer.forQuery(), "body", huge.toString());

        // Then
        assertThat(terms).hasSizeLessThanOrEqualTo(QueryTerms.MAX_TERMS);
    }

    @Test
    void shouldJoinAdjacentProseWordsIntoIdentifierTermsWhenQueryIsProse() {
        // Given
        String text = "Support header filtering in web data binding for the RestClient";

        // When
        List<String> compounds = QueryTerms.compounds(CodeAnalyzer.forQuery(), "body", text);

        // Then
        assertThat(compounds)
                .contains("supporthead", "headerfilt", "webdata", "databind")
                .doesNotContain("filteringin", "therestclient", "bindingfor");
        assertThat(compounds).isEqualTo(List.copyOf(new java.util.LinkedHashSet<>(compounds)));
    }

    @Test
    void shouldMatchIdentifierWhenQuerySpellsItAsTwoWords() throws IOException {
        // Given
        Directory dir = new ByteBuffersDirectory();
        try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(CodeAnalyzer.forIndex()))) {
            Document doc = new Document();
            doc.add(new TextField("body", "class DataBinder {}", Field.Store.NO));
            w.addDocument(doc);
        }
        String compound = QueryTerms.compounds(CodeAnalyzer.forQuery(), "body", "data binder")
                .get(0);

        // When
        int freq;
        try (DirectoryReader reader = DirectoryReader.open(dir)) {
            freq = reader.docFreq(new Term("body", compound));
        }

        // Then
        assertThat(freq).isEqualTo(1);
    }
}
