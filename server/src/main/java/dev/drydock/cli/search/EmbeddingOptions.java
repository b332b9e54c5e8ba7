package dev.drydock.cli.search;

import dev.drydock.cli.CliException;
import dev.drydock.cli.CliExit;
import dev.drydock.search.index.IndexMeta;
import dev.drydock.server.embedding.OnnxEmbedder;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Options choosing the embedding model shared by {@code index}, {@code search} and {@code bench}. */
public final class EmbeddingOptions {
    @Option(
            names = "--model",
            paramLabel = "DIR",
            description =
                    "ONNX model folder (model.onnx, tokenizer.json, drydock-model.properties); default: the model shipped in the build")
    @Nullable
    Path modelDir;

    @Option(names = "--embed-threads", paramLabel = "N", description = "ONNX Runtime threads (default: half the cores)")
    int threads;

    @Option(
            names = "--embed-max-tokens",
            paramLabel = "N",
            defaultValue = "128",
            description = "tokens embedded per chunk (default ${DEFAULT-VALUE}; 0: the model's limit)")
    int maxTokens;

    @Option(
            names = "--dense-weight",
            paramLabel = "W",
            defaultValue = "0.05",
            description =
                    "weight of the dense ranking in hybrid fusion (default ${DEFAULT-VALUE}; raise it for a code-trained model)")
    double denseWeight;

    public dev.drydock.search.RankingSettings ranking() {
        return dev.drydock.search.RankingSettings.defaults().with("dense", denseWeight);
    }

    /** Loads the model, with one clear line when it cannot be loaded. */
    public OnnxEmbedder load() {
        try {
            return OnnxEmbedder.load(modelDir, threads, maxTokens);
        } catch (RuntimeException | LinkageError e) {
            throw new CliException(
                    "cannot load the embedding model: " + e.getMessage() + " (index without vectors with --no-vectors)",
                    CliExit.UNAVAILABLE,
                    e);
        }
    }

    /** Loads the model an existing index was built with, or null when the index has no vectors. */
    @Nullable
    OnnxEmbedder forIndex(IndexMeta meta) {
        if (meta.modelId() == null) {
            return null;
        }
        OnnxEmbedder embedder = load();
        if (!embedder.modelId().equals(meta.modelId())) {
            embedder.close();
            throw new CliException("the index was built with model '" + meta.modelId() + "' but --model gives '"
                    + embedder.modelId() + "'; pass the same --model, or rebuild the index");
        }
        return embedder;
    }
}
