package dev.drydock.search.lexical;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CodeAnalyzerTest {
    @Test
    void shouldKeepWholeIdentifiersAndTheirPartsWhenTextHasCamelSnakeAndDottedNames() {
        // Given
        String text = "parseHttpHeaders MAX_RETRY_COUNT org.example.FooBar";

        // When
        List<String> terms = QueryTerms.of(CodeAnalyzer.forQuery(), "body", text);

        // Then
        assertThat(terms).contains("parsehttphead", "pars", "http", "header", "max_retry_count", "max", "retri",
                "count", "org", "exampl", "foobar", "foo", "bar");
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
}
