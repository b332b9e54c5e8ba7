package dev.drydock.inference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Measures an {@link EmbeddingModel}'s full pipeline (tokenize, batch, infer, pool, normalise)
 * against a bare ONNX Runtime session call on the same pre-tokenised batches, in the same run.
 *
 * <p>The two are interleaved batch by batch (alternating which goes first), so that load from
 * other processes hits both alike; their ratio is the pipeline's overhead over raw inference.
 */
public final class EmbeddingBenchmark {

    /**
     * One measurement.
     *
     * @param texts texts embedded per round
     * @param rounds timed rounds
     * @param batches batches per round
     * @param realTokens tokens per round, without padding
     * @param paddedTokens tokens per round as run, with padding
     * @param pipelineSeconds total time of the full pipeline over all rounds
     * @param rawSeconds total time of the raw session calls over all rounds
     * @param medianBatchRatio the median over batches of raw time / pipeline time for the same
     *     batch measured back to back: less sensitive than {@link #ratio()} to load spikes from
     *     other processes
     */
    public record Result(
            int texts,
            int rounds,
            int batches,
            long realTokens,
            long paddedTokens,
            double pipelineSeconds,
            double rawSeconds,
            double medianBatchRatio) {

        /** Texts per second through {@link EmbeddingModel#embed}. */
        public double pipelinePerSecond() {
            return (double) texts * rounds / pipelineSeconds;
        }

        /** Texts per second through the bare ONNX Runtime session. */
        public double rawPerSecond() {
            return (double) texts * rounds / rawSeconds;
        }

        /** Pipeline throughput over raw throughput; 1.0 means no overhead. */
        public double ratio() {
            return rawSeconds / pipelineSeconds;
        }
    }

    private EmbeddingBenchmark() {}

    /**
     * Runs the benchmark.
     *
     * @param model a model from {@link EmbeddingModels}
     * @param texts the texts, at least one
     * @param warmupRounds untimed rounds over the first batches, to compile hot code and size
     *     ONNX Runtime's buffers
     * @param rounds timed rounds over all texts, at least 1
     * @throws IllegalArgumentException for a model not loaded by {@link EmbeddingModels}
     */
    public static Result measure(EmbeddingModel model, List<String> texts, int warmupRounds, int rounds) {
        if (!(model instanceof OnnxEmbeddingModel onnx)) {
            throw new IllegalArgumentException(
                    "only models loaded by EmbeddingModels can be benchmarked, not " + model.getClass());
        }
        if (texts.isEmpty() || rounds < 1 || warmupRounds < 0) {
            throw new IllegalArgumentException("need texts, rounds >= 1 and warmup rounds >= 0");
        }
        List<TokenBatch> batches = onnx.tokenize(texts, 0);
        List<List<String>> textsOf = new ArrayList<>(batches.size());
        long realTokens = 0;
        long paddedTokens = 0;
        for (TokenBatch batch : batches) {
            List<String> batchTexts = new ArrayList<>(batch.size());
            for (int position : batch.positions()) {
                batchTexts.add(texts.get(position));
            }
            textsOf.add(batchTexts);
            realTokens += batch.realTokens();
            paddedTokens += (long) batch.size() * batch.length();
        }
        int warmupBatches = Math.min(batches.size(), 4);
        for (int round = 0; round < warmupRounds; round++) {
            for (int i = 0; i < warmupBatches; i++) {
                onnx.embed(textsOf.get(i));
                onnx.runRaw(batches.get(i));
            }
        }
        long pipelineNanos = 0;
        long rawNanos = 0;
        double[] pairRatios = new double[rounds * batches.size()];
        int pair = 0;
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < batches.size(); i++, pair++) {
                long pipeline;
                long raw;
                if (pair % 2 == 0) {
                    pipeline = timePipeline(onnx, textsOf.get(i));
                    raw = timeRaw(onnx, batches.get(i));
                } else {
                    raw = timeRaw(onnx, batches.get(i));
                    pipeline = timePipeline(onnx, textsOf.get(i));
                }
                pipelineNanos += pipeline;
                rawNanos += raw;
                pairRatios[pair] = (double) raw / pipeline;
            }
        }
        Arrays.sort(pairRatios);
        double median = pairRatios.length % 2 == 1
                ? pairRatios[pairRatios.length / 2]
                : (pairRatios[pairRatios.length / 2 - 1] + pairRatios[pairRatios.length / 2]) / 2;
        return new Result(
                texts.size(),
                rounds,
                batches.size(),
                realTokens,
                paddedTokens,
                pipelineNanos / 1e9,
                rawNanos / 1e9,
                median);
    }

    private static long timePipeline(OnnxEmbeddingModel model, List<String> texts) {
        long start = System.nanoTime();
        float[][] vectors = model.embed(texts);
        long elapsed = System.nanoTime() - start;
        if (vectors.length != texts.size()) {
            throw new IllegalStateException(
                    "pipeline returned " + vectors.length + " vectors for " + texts.size() + " texts");
        }
        return elapsed;
    }

    private static long timeRaw(OnnxEmbeddingModel model, TokenBatch batch) {
        long start = System.nanoTime();
        long elements = model.runRaw(batch);
        long elapsed = System.nanoTime() - start;
        if (elements <= 0) {
            throw new IllegalStateException("raw session returned no output");
        }
        return elapsed;
    }
}
