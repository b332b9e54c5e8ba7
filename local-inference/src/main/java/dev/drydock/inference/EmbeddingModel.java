package dev.drydock.inference;

import java.util.List;

/**
 * A sentence-embedding model: turns texts into unit-length vectors whose dot product is their cosine
 * similarity. <b>API boundary</b>: changes need an ADR.
 *
 * <p>Obtain one from {@link EmbeddingModels}. Implementations run fully offline, on CPU, in this
 * process.
 *
 * <p><b>Threading.</b> Implementations are thread-safe: {@link #embed} may be called from several
 * threads at once. {@link #close} waits for calls in flight; any call after it fails with {@link
 * IllegalStateException}.
 *
 * <p><b>Determinism.</b> The same text in the same batch gives the same vector. Quantized (int8)
 * models quantize activations per batch, so the vector of a text can differ very slightly (cosine
 * above 0.99) depending on which other texts share its batch.
 */
public interface EmbeddingModel extends AutoCloseable {

    /** A stable name of the model, for logs and for stamping indexes (for example {@code all-minilm-l6-v2-q}). */
    String id();

    /** Length of every vector that {@link #embed} returns. */
    int dimensions();

    /**
     * Tokens per text (including special tokens) that the model reads; longer texts are truncated
     * at the end, silently.
     */
    int maxTokens();

    /**
     * Embeds texts.
     *
     * @param texts the texts, possibly empty; no element may be null; an empty string is fine
     * @return one L2-normalised vector of {@link #dimensions()} floats per text, in input order; an
     *     empty array for an empty list
     * @throws IllegalStateException after {@link #close()}
     * @throws EmbeddingException when the runtime fails (a bug or a broken model)
     */
    float[][] embed(List<String> texts);

    /** Releases the native session and tokenizer. Idempotent. */
    @Override
    void close();
}
