package dev.drydock.server.gateway.frontdoor;

import dev.drydock.inference.EmbeddingModel;
import dev.drydock.inference.EmbeddingModels;
import dev.drydock.inference.InferenceOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jspecify.annotations.Nullable;

/** The local embedding model (local-inference, offline), loaded on first use and shared. */
@ApplicationScoped
public class Embeddings {
    private @Nullable EmbeddingModel model;

    public synchronized EmbeddingModel model() {
        if (model == null) {
            model = EmbeddingModels.loadDefault(InferenceOptions.defaults());
        }
        return model;
    }

    @PreDestroy
    synchronized void close() {
        if (model != null) {
            model.close();
        }
    }
}
