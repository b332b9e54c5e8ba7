package dev.drydock.server.gateway.core;

/**
 * Counts tokens when a server does not report {@code usage}: an approximation of BPE tokenizers
 * (one token per short word or punctuation mark, one per four characters of longer words), close to
 * real counts for English and code. Recorded usage says whether it was reported or counted.
 */
public final class TokenCounter {
    private TokenCounter() {}

    /**
     * Counts the pieces a BPE tokenizer would split into: each run of letters, each run of digits and
     * each other non-space character is a piece of {@code ceil(length / 4)} tokens (at least one). A
     * hand-written scan, not a regular expression: every request's prompt is counted, and prompts reach
     * hundreds of kilobytes.
     */
    public static long count(String text) {
        long tokens = 0;
        int run = 0;
        int runKind = OTHER;
        for (int i = 0; i < text.length(); ) {
            char c = text.charAt(i);
            int cp = c < 128 || !Character.isSurrogate(c) ? c : text.codePointAt(i);
            int width = cp == c ? 1 : Character.charCount(cp);
            int kind = cp < 128 ? ASCII[cp] : kind(cp);
            if (kind != runKind || kind == OTHER) {
                tokens += pieces(run);
                run = 0;
            }
            runKind = kind;
            if (kind != SPACE) {
                run += width;
            }
            i += width;
        }
        return tokens + pieces(run);
    }

    private static final int SPACE = 0;
    private static final int LETTER = 1;
    private static final int DIGIT = 2;
    private static final int OTHER = 3;

    private static final byte[] ASCII = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            ASCII[c] = (byte)
                    (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
                            ? LETTER
                            : c >= '0' && c <= '9' ? DIGIT : c == ' ' || c >= '\t' && c <= '\r' ? SPACE : OTHER);
        }
    }

    private static int kind(int cp) {
        if (Character.isLetter(cp)) {
            return LETTER;
        }
        return switch (Character.getType(cp)) {
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> DIGIT;
            default -> OTHER;
        };
    }

    /** The tokens of one piece of {@code length} chars: one for up to four, then one per four. */
    private static long pieces(int length) {
        return length == 0 ? 0 : length <= 4 ? 1 : (length + 3) / 4;
    }
}
