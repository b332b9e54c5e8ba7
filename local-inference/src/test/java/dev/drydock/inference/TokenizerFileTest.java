package dev.drydock.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerFileTest {

    @Test
    void shouldCountWordPiecesWithoutSpecialTokensOrTruncationWhenLoadedFromDisk(@TempDir Path dir) throws Exception {
        // Given the shipped MiniLM tokenizer as a file
        Path file = Files.write(dir.resolve("tokenizer.json"), TinyOnnxModels.shippedTokenizer());
        String longText = "word ".repeat(1000);

        // When
        try (TokenizerFile tokenizer = TokenizerFile.load(file)) {
            // Then "hello world" is [hello, world] without [CLS]/[SEP], and nothing is cut at the model's 512
            assertThat(tokenizer.count("hello world")).isEqualTo(2);
            assertThat(tokenizer.count("")).isZero();
            assertThat(tokenizer.count(longText)).isEqualTo(1000);
        }
    }

    @Test
    void shouldNameTheFileWhenItIsMissing(@TempDir Path dir) {
        // Given
        Path missing = dir.resolve("nope.json");

        // When
        var thrown = assertThatThrownBy(() -> TokenizerFile.load(missing));

        // Then
        thrown.isInstanceOf(ModelLoadException.class).hasMessageContaining("nope.json");
    }
}
