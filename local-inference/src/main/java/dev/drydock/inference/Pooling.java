package dev.drydock.inference;

import java.util.Locale;

/** How token vectors become one text vector. Which one is right is a property of how the model was trained. */
public enum Pooling {
    /** Average of the token vectors under the attention mask (sentence-transformers models such as MiniLM). */
    MEAN,
    /** The first token's vector ({@code [CLS]}), for models trained that way (bge). */
    CLS;

    /** The value written in {@code drydock-model.properties}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Pooling parse(String value, String source) {
        for (Pooling pooling : values()) {
            if (pooling.key().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return pooling;
            }
        }
        throw new ModelLoadException(source + ": pooling must be 'mean' or 'cls', was '" + value + "'");
    }
}
