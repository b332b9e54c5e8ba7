package dev.drydock.server.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TokenCounterTest {
    /** The definition the counter implements, as a regular expression: runs of letters, runs of digits, single other non-space characters. */
    private static final Pattern PIECE = Pattern.compile("\\p{L}+|\\p{N}+|[^\\s\\p{L}\\p{N}]");

    private static long reference(String text) {
        long tokens = 0;
        Matcher m = PIECE.matcher(text);
        while (m.find()) {
            int len = m.end() - m.start();
            tokens += len <= 4 ? 1 : (len + 3) / 4;
        }
        return tokens;
    }

    @Test
    void shouldCountCodeAndProseAsTheReferenceDefinitionDoes() {
        // Given
        String code = "public static long count(String text) {\n\treturn tokens + 42; // done\r\n}";

        // When
        long counted = TokenCounter.count(code);

        // Then
        assertThat(counted).isEqualTo(reference(code)).isEqualTo(24);
        assertThat(TokenCounter.count("")).isZero();
        assertThat(TokenCounter.count("   \n\t")).isZero();
    }

    @Test
    void shouldAgreeWithReferenceOnRandomTextWithNonAsciiLettersDigitsSpacesAndSurrogates() {
        // Given: an alphabet mixing ASCII, accented and CJK letters, Arabic-Indic and Roman numerals,
        // no-break and em spaces (not \s), emoji (surrogate pairs) and a lone surrogate
        String[] alphabet = {
            "a", "Z", "é", "ß", "中", "7", "٣", "Ⅻ", "½", " ", "\n", "\t", "\u000B", "\u00A0", "\u2003", "_", ".", "{",
            "😀", "\uD800", "\u0000"
        };
        Random random = new Random(7);

        for (int n = 0; n < 2000; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                text.append(alphabet[random.nextInt(alphabet.length)]);
            }

            // When / Then
            assertThat(TokenCounter.count(text.toString())).as("text %s", text).isEqualTo(reference(text.toString()));
        }
    }
}
