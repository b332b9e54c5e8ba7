package dev.drydock.inference;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A HuggingFace {@code tokenizer.json} loaded from disk (shipped in the air-gap bundle), used to count
 * tokens the way a model's own tokenizer does: no special tokens, no truncation. Thread-safe; close it
 * to free the native tokenizer.
 */
public final class TokenizerFile implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;
    private final Path path;

    private TokenizerFile(HuggingFaceTokenizer tokenizer, Path path) {
        this.tokenizer = tokenizer;
        this.path = path;
    }

    /**
     * Loads a {@code tokenizer.json}.
     *
     * @throws ModelLoadException when the file is missing, unreadable or not a tokenizer
     */
    public static TokenizerFile load(Path tokenizerJson) {
        Path file = tokenizerJson.toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException("Tokenizer file " + file + " does not exist or is not a file");
        }
        byte[] json;
        try {
            json = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read tokenizer file " + file + ": " + e.getMessage(), e);
        }
        return new TokenizerFile(OfflineTokenizers.createForCounting(json, file.toString()), file);
    }

    /** The number of tokens of {@code text}. */
    public int count(String text) {
        if (text.isEmpty()) {
            return 0;
        }
        return tokenizer.encode(text, false, false).getIds().length;
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
