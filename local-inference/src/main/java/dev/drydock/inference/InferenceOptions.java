package dev.drydock.inference;

/**
 * How a model runs on this machine.
 *
 * @param threads ONNX Runtime intra-op threads, at least 1. On a busy 2-core machine 1 is often
 *     fastest; see the module README for measurements
 * @param batchSize texts per ONNX Runtime call, at least 1
 * @param maxTokens cap on tokens per text (including special tokens); {@code 0} means the model's
 *     own {@code max-tokens}; a larger value than the model's is lowered to the model's
 */
public record InferenceOptions(int threads, int batchSize, int maxTokens) {

    /** Texts per ONNX Runtime call unless configured: long enough to amortise the call, short enough to keep padding low. */
    public static final int DEFAULT_BATCH_SIZE = 32;

    public InferenceOptions {
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("threads must be between 1 and 256, was " + threads);
        }
        if (batchSize < 1 || batchSize > 4096) {
            throw new IllegalArgumentException("batch size must be between 1 and 4096, was " + batchSize);
        }
        if (maxTokens != 0 && (maxTokens < 2 || maxTokens > ModelSettings.MAX_TOKENS_LIMIT)) {
            throw new IllegalArgumentException("max tokens must be 0 (the model's own limit) or between 2 and "
                    + ModelSettings.MAX_TOKENS_LIMIT
                    + ", was "
                    + maxTokens);
        }
    }

    /**
     * Defaults for this machine: half the available processors (at least 1, at most 8) as threads,
     * batches of {@value #DEFAULT_BATCH_SIZE}, the model's own token limit.
     */
    public static InferenceOptions defaults() {
        int cpus = Runtime.getRuntime().availableProcessors();
        return new InferenceOptions(Math.clamp(cpus / 2, 1, 8), DEFAULT_BATCH_SIZE, 0);
    }

    /** A copy with another thread count. */
    public InferenceOptions withThreads(int newThreads) {
        return new InferenceOptions(newThreads, batchSize, maxTokens);
    }

    /** A copy with another batch size. */
    public InferenceOptions withBatchSize(int newBatchSize) {
        return new InferenceOptions(threads, newBatchSize, maxTokens);
    }

    /** A copy with another token cap ({@code 0}: the model's own). */
    public InferenceOptions withMaxTokens(int newMaxTokens) {
        return new InferenceOptions(threads, batchSize, newMaxTokens);
    }
}
