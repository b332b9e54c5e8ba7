package dev.drydock.server.embedding;

import dev.drydock.search.Embedder;
import dev.drydock.search.index.IndexMeta;
import dev.drydock.search.index.IndexStore;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The server's one embedding model, loaded on first use (never at start-up: a server without
 * registered repositories never loads it) and shared by background embedding and every search.
 * Empty when vectors are switched off or the model cannot be loaded; the load is not retried until
 * restart, and search stays lexical.
 */
@ApplicationScoped
public class SharedEmbedder {
    private static final Logger LOG = Logger.getLogger(SharedEmbedder.class);

    @Inject
    EmbeddingConfig config;

    private @Nullable OnnxEmbedder loaded;
    private @Nullable String failure;

    /** Whether vectors are switched on. */
    public boolean enabled() {
        return config.enabled();
    }

    /** The model, loading it on the first call; empty when switched off or unloadable ({@link #failure} says why). */
    public synchronized Optional<Embedder> get() {
        if (!config.enabled() || failure != null) {
            return Optional.empty();
        }
        if (loaded == null) {
            try {
                long started = System.nanoTime();
                loaded = OnnxEmbedder.load(config.model().orElse(null), config.threads(), config.maxTokens());
                LOG.infof(
                        "embedding model %s loaded in %.1f s (%d threads)",
                        loaded.modelId(), (System.nanoTime() - started) / 1e9, config.threads());
            } catch (RuntimeException | LinkageError e) {
                failure = "cannot load the embedding model: " + e.getMessage();
                LOG.warn(failure + "; search stays lexical (drydock.search.vectors.*)");
                return Optional.empty();
            }
        }
        return Optional.of(loaded);
    }

    /**
     * The model to embed queries with when the index at {@code indexDir} has vectors of the shared
     * model; null otherwise (no vectors yet, vectors off, or vectors of another model not yet
     * replaced), and searches of that index are lexical.
     */
    public @Nullable Embedder forIndex(java.nio.file.Path indexDir) {
        if (!config.enabled()) {
            return null;
        }
        String model = IndexStore.peekMeta(indexDir).map(IndexMeta::modelId).orElse(null);
        if (model == null) {
            return null;
        }
        return get().filter(e -> e.modelId().equals(model)).orElse(null);
    }

    /** Why the model could not be loaded, if it could not. */
    public synchronized Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** Files embedded and committed per batch. */
    public int batchFiles() {
        return Math.max(1, config.batchFiles());
    }

    @PreDestroy
    synchronized void close() {
        if (loaded != null) {
            loaded.close();
            loaded = null;
        }
    }
}
