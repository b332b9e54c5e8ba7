package dev.drydock.server.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A real tokenizer.json for tests: MiniLM's, shipped on the classpath with local-inference's default model. */
final class TestTokenizers {
    private TestTokenizers() {}

    /** Writes MiniLM's tokenizer.json into {@code dir}, as the air-gap bundle would put it on disk. */
    static Path miniLm(Path dir) throws IOException {
        try (InputStream in =
                TestTokenizers.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2-q-tokenizer.json")) {
            if (in == null) {
                throw new IOException("the MiniLM tokenizer is not on the classpath (local-inference's model carrier)");
            }
            Path file = dir.resolve("tokenizer.json");
            Files.copy(in, file);
            return file;
        }
    }
}
