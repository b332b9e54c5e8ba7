package dev.drydock.search.lexical;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * Turns free text into distinct analysed terms. Queries are never parsed as Lucene syntax, so
 * regex or query operators in them are just text; very long queries are capped.
 */
public final class QueryTerms {
    /** Longest query text analysed, in characters. */
    public static final int MAX_QUERY_CHARS = 4096;
    /** Most distinct terms used from one query. */
    public static final int MAX_TERMS = 64;

    private QueryTerms() {}

    public static List<String> of(Analyzer analyzer, String field, String text) {
        String capped = text.length() > MAX_QUERY_CHARS ? text.substring(0, MAX_QUERY_CHARS) : text;
        Set<String> terms = new LinkedHashSet<>();
        try (TokenStream stream = analyzer.tokenStream(field, capped)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken() && terms.size() < MAX_TERMS) {
                terms.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ArrayList<>(terms);
    }
}
