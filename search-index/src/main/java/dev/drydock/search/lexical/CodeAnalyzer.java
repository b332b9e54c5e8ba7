package dev.drydock.search.lexical;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.FlattenGraphFilter;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.LengthFilter;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter;

/**
 * Code-aware analysis: a token is an identifier or a number; dotted names and paths are cut at the
 * dots and slashes. Each identifier is kept whole and also split on underscores, case changes and digits
 * ({@code parseHttpHeaders} → {@code parsehttpheaders parse http headers}), then lower-cased,
 * English stop words dropped and stemmed, so prose ("parsing headers") meets code.
 */
public final class CodeAnalyzer extends Analyzer {
    private static final int FLAGS = WordDelimiterGraphFilter.GENERATE_WORD_PARTS
            | WordDelimiterGraphFilter.GENERATE_NUMBER_PARTS
            | WordDelimiterGraphFilter.SPLIT_ON_CASE_CHANGE
            | WordDelimiterGraphFilter.SPLIT_ON_NUMERICS
            | WordDelimiterGraphFilter.PRESERVE_ORIGINAL
            | WordDelimiterGraphFilter.STEM_ENGLISH_POSSESSIVE;
    private static final CharArraySet STOP_WORDS = EnglishAnalyzer.ENGLISH_STOP_WORDS_SET;

    private final boolean forQuery;

    private CodeAnalyzer(boolean forQuery) {
        this.forQuery = forQuery;
    }

    /** The analyzer for indexed text. */
    public static CodeAnalyzer forIndex() {
        return new CodeAnalyzer(false);
    }

    /** The analyzer for query text (same tokens; graph not flattened since only terms are used). */
    public static CodeAnalyzer forQuery() {
        return new CodeAnalyzer(true);
    }

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer tokenizer = new CodeTokenizer();
        TokenStream stream = new LengthFilter(tokenizer, 1, 128);
        stream = new WordDelimiterGraphFilter(stream, FLAGS, null);
        if (!forQuery) {
            stream = new FlattenGraphFilter(stream);
        }
        stream = new LowerCaseFilter(stream);
        stream = new StopFilter(stream, STOP_WORDS);
        stream = new PorterStemFilter(stream);
        return new TokenStreamComponents(tokenizer, stream);
    }
}
