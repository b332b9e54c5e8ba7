package dev.drydock.server.embedding;

import dev.drydock.inference.EmbeddingModel;
import dev.drydock.inference.EmbeddingModels;
import dev.drydock.inference.InferenceOptions;
import dev.drydock.search.Embedder;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Adapts a local-inference {@link EmbeddingModel} (ONNX Runtime, offline) to search's {@link Embedder} port. */
public final class OnnxEmbedder implements Embedder, AutoCloseable {
    private final EmbeddingModel model;

    public OnnxEmbedder(EmbeddingModel model) {
        this.model = model;
    }

    /** Loads the model folder {@code modelDir}, or the model shipped in the build when null. */
    public static OnnxEmbedder load(@Nullable Path modelDir, int threads, int maxTokens) {
        InferenceOptions options = InferenceOptions.defaults().withMaxTokens(maxTokens);
        if (threads > 0) {
            options = options.withThreads(threads);
        }
        return new OnnxEmbedder(
                modelDir == null ? EmbeddingModels.loadDefault(options) : EmbeddingModels.load(modelDir, options));
    }

    @Override
    public String modelId() {
        return model.id();
    }

    @Override
    public int dimensions() {
        return model.dimensions();
    }

    @Override
    public float[][] embed(List<String> texts) {
        return model.embed(texts);
    }

    @Override
    public void close() {
        model.close();
    }
}
