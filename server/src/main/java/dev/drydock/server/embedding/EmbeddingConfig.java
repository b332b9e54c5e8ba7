package dev.drydock.server.embedding;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** The local embedding model that gives repository indexes their vectors (the dense list of hybrid search). */
@ConfigMapping(prefix = "drydock.search.vectors")
public interface EmbeddingConfig {

    /**
     * Whether indexes of registered repositories get vectors. Off: search is lexical only (file and chunk
     * BM25, names, history); vectors already in an index are kept but not queried.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * ONNX Runtime threads of the model, shared by background embedding and query embedding. Keep it
     * low so sessions and sandboxes keep their share of the CPU (the runtime never spins idle threads).
     */
    @WithDefault("1")
    int threads();

    /**
     * Model folder ({@code model.onnx}, {@code tokenizer.json}, {@code drydock-model.properties}); the
     * model shipped in the build when unset. Changing it re-embeds every repository in the background if
     * the new model has as many dimensions; otherwise the repository status asks for a rebuild.
     */
    Optional<Path> model();

    /** Tokens embedded per file (0: the model's limit); more tokens cost time linearly or worse. */
    @WithDefault("128")
    int maxTokens();

    /** Files embedded per committed batch: a sync waits at most one batch for the index writer. */
    @WithDefault("64")
    int batchFiles();
}
