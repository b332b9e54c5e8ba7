package dev.drydock.search.lexical;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.jspecify.annotations.Nullable;

/**
 * Turns free text into distinct analysed terms. Queries are never parsed as Lucene syntax, so
 * regex or query operators in them are just text; very long queries are capped.
 */
public final class QueryTerms {
    /** Longest query text analysed, in characters. */
    public static final int MAX_QUERY_CHARS = 4096;
    /**
     * Most distinct terms used from one query: a subject or title and the start of the body. Deep
     * into a long commit body the words describe the change's reasoning more than the code it
     * touches; 32 instead of 64 kept or raised recall@10 and MRR on the dev set and all four
     * held-out sets (24–40 alike) and halved the clauses of the slowest queries.
     */
    public static final int MAX_TERMS = 32;

    /**
     * Most adjacent word pairs used from one query for proximity (the first ones: the subject and
     * the start of the body).
     */
    public static final int MAX_PAIRS = 16;

    private static final CharArraySet STOP = EnglishAnalyzer.ENGLISH_STOP_WORDS_SET;

    /** Two analysed words that stand next to each other in the query (stop words removed between them). */
    public record Pair(String first, String second) {}

    private QueryTerms() {}

    /**
     * Terms for adjacent word pairs of the text written as one identifier ({@code "data binding"} →
     * the term of {@code databinding}), so prose meets the whole-identifier terms of the index. Words
     * that are stop words, or already identifiers (mixed case, underscores), do not pair.
     */
    public static List<String> compounds(Analyzer analyzer, String field, String text) {
        String capped = capped(text);
        Set<String> out = new LinkedHashSet<>();
        @Nullable String previous = null;
        for (String word : capped.split("[^\\p{L}\\p{N}]+")) {
            boolean plain = word.length() > 1
                    && word.chars().allMatch(Character::isLetter)
                    && (word.equals(word.toLowerCase(Locale.ROOT)) || isCapitalised(word));
            if (!plain) {
                previous = null;
                continue;
            }
            String lower = word.toLowerCase(Locale.ROOT);
            if (previous != null && !STOP.contains(lower) && !STOP.contains(previous)) {
                List<String> terms = of(analyzer, field, previous + lower);
                if (!terms.isEmpty()) {
                    out.add(terms.get(0));
                }
            }
            previous = STOP.contains(lower) ? null : lower;
            if (out.size() >= MAX_TERMS / 2) {
                break;
            }
        }
        return new ArrayList<>(out);
    }

    /**
     * Adjacent analysed words of the text, in order, at most {@value #MAX_PAIRS}: the first term of
     * each position, stop words skipped. An identifier's whole-word term stands at its first part's
     * position and its other parts follow ({@code ReentrantLock} → reentrantlock, lock), as in the
     * index. A pair the text repeats is listed again (it weighs more, like a repeated query term).
     * {@code "Refine default filtered headers"} → (refin, default), (default, filter), (filter, header).
     */
    public static List<Pair> adjacentPairs(Analyzer analyzer, String field, String text) {
        String capped = capped(text);
        List<Pair> out = new ArrayList<>();
        try (TokenStream stream = analyzer.tokenStream(field, capped)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            PositionIncrementAttribute increment = stream.addAttribute(PositionIncrementAttribute.class);
            stream.reset();
            @Nullable String previous = null;
            while (stream.incrementToken() && out.size() < MAX_PAIRS) {
                if (increment.getPositionIncrement() == 0) {
                    continue; // the first part of an identifier, at its whole-word term's position
                }
                String current = term.toString();
                if (previous != null && !previous.equals(current)) {
                    out.add(new Pair(previous, current));
                }
                previous = current;
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The first {@value #MAX_QUERY_CHARS} characters of {@code text}. */
    private static String capped(String text) {
        return text.length() > MAX_QUERY_CHARS ? text.substring(0, MAX_QUERY_CHARS) : text;
    }

    private static boolean isCapitalised(String word) {
        return Character.isUpperCase(word.charAt(0))
                && word.substring(1).chars().allMatch(Character::isLowerCase);
    }

    public static List<String> of(Analyzer analyzer, String field, String text) {
        String capped = capped(text);
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
