package dev.drydock.search.lexical;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.junit.jupiter.api.Test;

class QueryTermsTest {
    private final Analyzer analyzer = CodeAnalyzer.forQuery();

    @Test
    void shouldPairAdjacentWordsInOrderSkippingStopWords() {
        // When
        List<QueryTerms.Pair> pairs = QueryTerms.adjacentPairs(analyzer, "body", "Refine the default filtered headers");

        // Then
        assertThat(pairs)
                .containsExactly(
                        new QueryTerms.Pair("refin", "default"),
                        new QueryTerms.Pair("default", "filter"),
                        new QueryTerms.Pair("filter", "header"));
    }

    @Test
    void shouldPairIdentifiersByTheirPositionsAsTheIndexHoldsThem() {
        // When: an identifier's whole-word term stands where its first part does, its other parts follow
        List<QueryTerms.Pair> pairs =
                QueryTerms.adjacentPairs(analyzer, "body", "Use ReentrantLock in AbstractJdbcCall");

        // Then
        assertThat(pairs)
                .containsExactly(
                        new QueryTerms.Pair("us", "reentrantlock"),
                        new QueryTerms.Pair("reentrantlock", "lock"),
                        new QueryTerms.Pair("lock", "abstractjdbccal"),
                        new QueryTerms.Pair("abstractjdbccal", "jdbc"),
                        new QueryTerms.Pair("jdbc", "call"));
    }

    @Test
    void shouldListRepeatedPairsAgainAndStopAtTheCap() {
        // Given
        String repeated = "data binding and data binding";
        String longText =
                "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda omicron sigma tau upsilon phi chi psi omega "
                        .repeat(20);

        // When
        List<QueryTerms.Pair> twice = QueryTerms.adjacentPairs(analyzer, "body", repeated);
        List<QueryTerms.Pair> capped = QueryTerms.adjacentPairs(analyzer, "body", longText);

        // Then
        assertThat(twice)
                .containsExactly(
                        new QueryTerms.Pair("data", "bind"),
                        new QueryTerms.Pair("bind", "data"),
                        new QueryTerms.Pair("data", "bind"));
        assertThat(capped).hasSize(QueryTerms.MAX_PAIRS);
    }

    @Test
    void shouldReturnNoPairsWhenTextHasFewerThanTwoWords() {
        assertThat(QueryTerms.adjacentPairs(analyzer, "body", "")).isEmpty();
        assertThat(QueryTerms.adjacentPairs(analyzer, "body", "   ")).isEmpty();
        assertThat(QueryTerms.adjacentPairs(analyzer, "body", "headers")).isEmpty();
        assertThat(QueryTerms.adjacentPairs(analyzer, "body", "the of and")).isEmpty();
        assertThat(QueryTerms.adjacentPairs(analyzer, "body", "[*?(\"\\")).isEmpty();
    }
}
