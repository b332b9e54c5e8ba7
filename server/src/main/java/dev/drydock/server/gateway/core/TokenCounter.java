package dev.drydock.server.gateway.core;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts tokens when a server does not report {@code usage}: an approximation of BPE tokenizers
 * (one token per short word or punctuation mark, one per four characters of longer words), close to
 * real counts for English and code. Recorded usage says whether it was reported or counted.
 */
public final class TokenCounter {
    private static final Pattern PIECE = Pattern.compile("\\p{L}+|\\p{N}+|[^\\s\\p{L}\\p{N}]");

    private TokenCounter() {}

    public static long count(String text) {
        long tokens = 0;
        Matcher m = PIECE.matcher(text);
        while (m.find()) {
            int len = m.end() - m.start();
            tokens += len <= 4 ? 1 : (len + 3) / 4;
        }
        return tokens;
    }
}
