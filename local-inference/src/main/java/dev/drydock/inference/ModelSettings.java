package dev.drydock.inference;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The settings of one model, as written in its {@code drydock-model.properties}.
 *
 * @param id the model's name; defaults to the folder name
 * @param pooling how token vectors are pooled ({@code pooling}, required)
 * @param maxTokens the longest input the model was trained for ({@code max-tokens}, default 512)
 * @param dimensions the vector length if declared ({@code dimensions}), else 0; checked against the
 *     model's output at load
 * @param sha256 the expected SHA-256 of the ONNX file ({@code sha256}), lower-case hex, or null
 * @param tokenizerSha256 the expected SHA-256 of {@code tokenizer.json} ({@code tokenizer-sha256}),
 *     or null
 * @param output the ONNX output holding token vectors ({@code output}); null picks {@code
 *     last_hidden_state}, then {@code token_embeddings}, then the only rank-3 output
 */
record ModelSettings(
        String id,
        Pooling pooling,
        int maxTokens,
        int dimensions,
        @Nullable String sha256,
        @Nullable String tokenizerSha256,
        @Nullable String output) {

    /** The largest token limit accepted anywhere (ModernBERT-style models read 8192). */
    static final int MAX_TOKENS_LIMIT = 8192;

    static final String FILE_NAME = "drydock-model.properties";

    private static final int DEFAULT_MAX_TOKENS = 512;
    private static final Set<String> KEYS =
            Set.of("id", "pooling", "max-tokens", "dimensions", "sha256", "tokenizer-sha256", "output");

    /**
     * Parses settings, refusing unknown keys so that a typo never silently falls back to a default.
     *
     * @param source names the settings in error messages (a path or a resource)
     * @param extraKeys further keys the caller reads itself
     */
    static ModelSettings parse(Properties properties, String defaultId, String source, Set<String> extraKeys) {
        Set<String> unknown = new TreeSet<>(properties.stringPropertyNames());
        unknown.removeAll(KEYS);
        unknown.removeAll(extraKeys);
        if (!unknown.isEmpty()) {
            throw new ModelLoadException(
                    source + ": unknown keys " + unknown + "; known keys are " + new TreeSet<>(KEYS));
        }
        String poolingValue = properties.getProperty("pooling");
        if (poolingValue == null || poolingValue.isBlank()) {
            throw new ModelLoadException(source
                    + ": 'pooling' is required (mean for sentence-transformers models such as MiniLM, cls for bge)");
        }
        String id = properties.getProperty("id", defaultId).trim();
        if (id.isEmpty()) {
            throw new ModelLoadException(source + ": 'id' is empty");
        }
        return new ModelSettings(
                id,
                Pooling.parse(poolingValue, source),
                intValue(properties, "max-tokens", DEFAULT_MAX_TOKENS, 2, MAX_TOKENS_LIMIT, source),
                intValue(properties, "dimensions", 0, 1, 65_536, source),
                sha256(properties, "sha256", source),
                sha256(properties, "tokenizer-sha256", source),
                blankToNull(properties.getProperty("output")));
    }

    private static int intValue(Properties properties, String key, int fallback, int min, int max, String source) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < min || parsed > max) {
                throw new ModelLoadException(
                        source + ": '" + key + "' must be between " + min + " and " + max + ", was " + parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ModelLoadException(source + ": '" + key + "' must be a whole number, was '" + value + "'");
        }
    }

    private static @Nullable String sha256(Properties properties, String key, String source) {
        String value = blankToNull(properties.getProperty(key));
        if (value == null) {
            return null;
        }
        String hex = value.toLowerCase(Locale.ROOT);
        if (hex.length() != 64 || !hex.chars().allMatch(HexFormat::isHexDigit)) {
            throw new ModelLoadException(
                    source + ": '" + key + "' must be 64 hex digits (sha256sum output), was '" + value + "'");
        }
        return hex;
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
