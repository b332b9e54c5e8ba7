package dev.drydock.search.lexical;

import org.apache.lucene.analysis.util.CharTokenizer;

/** Splits text into identifier-like runs: letters, digits, {@code _} and {@code $}. */
final class CodeTokenizer extends CharTokenizer {
    @Override
    protected boolean isTokenChar(int c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
