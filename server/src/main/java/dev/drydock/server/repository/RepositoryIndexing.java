package dev.drydock.server.repository;

import dev.drydock.search.CodeIndexer;
import dev.drydock.search.Embedder;
import dev.drydock.search.IndexProgress;
import dev.drydock.search.IndexReport;
import dev.drydock.search.IndexRequest;
import dev.drydock.search.SearchException;
import dev.drydock.server.embedding.SharedEmbedder;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * The search indexes of registered repositories: the lexical index written during a sync (searchable
 * as soon as it is committed), then vectors added in the background, one repository at a time on one
 * thread, so that hybrid search joins when they are done. A sync or a removal stops the vectors of
 * its repository after the batch being embedded; the next run embeds only the files still without a
 * vector, so vectors are incremental too.
 */
@ApplicationScoped
public class RepositoryIndexing {
    private static final Logger LOG = Logger.getLogger(RepositoryIndexing.class);

    @Inject
    RepositoryConfig config;

    @Inject
    OpenIndexes openIndexes;

    @Inject
    SharedEmbedder embedder;

    /** One embedding job at a time, server-wide: with the model's own thread bound, this bounds the CPU vectors take. */
    private final ExecutorService vectorWorker = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("repo-vectors").daemon(true).factory());

    /**
     * Lexical indexing is CPU-bound for seconds to minutes. It runs here, on a few platform threads,
     * and not on the virtual thread of the sync that asks for it: virtual threads are not preempted,
     * so an index build would hold a carrier that sessions, event streams and model calls need.
     */
    private final ExecutorService lexical = Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
            Thread.ofPlatform().name("repo-index-", 0).daemon(true).factory());

    private final Map<Path, ReentrantLock> writers = new ConcurrentHashMap<>();
    private final Map<Path, AtomicLong> generations = new ConcurrentHashMap<>();
    private final Map<String, VectorStatus> vectors = new ConcurrentHashMap<>();

    /**
     * Vector progress of one repository's index.
     *
     * @param state {@code off} (switched off), {@code pending} (waiting for its turn or stopped by a sync),
     *     {@code embedding}, {@code ready} or {@code failed}
     * @param files files in the index
     * @param embedded files that have a vector
     * @param detail why it failed, or null
     */
    public record VectorStatus(
            String state,
            int files,
            int embedded,
            @org.jspecify.annotations.Nullable String detail) {
        static VectorStatus of(String state) {
            return new VectorStatus(state, 0, 0, null);
        }
    }

    /** The index folder of a repository. */
    public Path indexPath(String workspace, String name) {
        return Path.of(config.dataDir())
                .toAbsolutePath()
                .resolve("indexes")
                .resolve(workspace)
                .resolve(name);
    }

    /** Vector progress, when known since start-up (a sync makes it known). */
    public Optional<VectorStatus> vectors(String workspace, String name) {
        if (!embedder.enabled()) {
            return Optional.of(VectorStatus.of("off"));
        }
        return Optional.ofNullable(vectors.get(workspace + "/" + name));
    }

    /**
     * Indexes incrementally, lexically; vectors of the files it rewrites are added later by
     * {@link #scheduleVectors}. An index written by another Drydock version (or damaged) is rebuilt,
     * not repaired, since it is derived from the mirror.
     */
    public IndexReport index(String workspace, String name, IndexRequest request, IndexProgress progress) {
        Future<IndexReport> job = lexical.submit(() -> indexHere(workspace, name, request, progress));
        try {
            return job.get();
        } catch (InterruptedException e) {
            job.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("indexing of " + workspace + "/" + name + " was stopped", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(
                    "indexing of " + workspace + "/" + name + " failed: " + e.getCause(), e.getCause());
        }
    }

    private IndexReport indexHere(String workspace, String name, IndexRequest request, IndexProgress progress) {
        Path dir = indexPath(workspace, name);
        ReentrantLock writer = stopVectorsAndLock(dir);
        try {
            try {
                return CodeIndexer.deferringVectors(dir).index(request, false, progress);
            } catch (SearchException incompatible) {
                LOG.infof("rebuilding the index of %s/%s: %s", workspace, name, incompatible.getMessage());
                return CodeIndexer.deferringVectors(dir).index(request, true, progress);
            }
        } finally {
            writer.unlock();
            // searches from now on see the new commit; those running finish on the old one
            openIndexes.retire(dir);
        }
    }

    /** Adds vectors to the files of the index that have none, in the background; nothing when vectors are off. */
    public void scheduleVectors(String workspace, String name, IndexRequest request) {
        if (!embedder.enabled()) {
            return;
        }
        Path dir = indexPath(workspace, name);
        long generation = generation(dir).get();
        vectors.compute(
                workspace + "/" + name,
                (k, v) -> v == null
                        ? VectorStatus.of("pending")
                        : new VectorStatus("pending", v.files(), v.embedded(), null));
        vectorWorker.execute(() -> addVectors(workspace, name, request, dir, generation));
    }

    private void addVectors(String workspace, String name, IndexRequest request, Path dir, long generation) {
        String key = workspace + "/" + name;
        if (generation(dir).get() != generation || !Files.isDirectory(dir)) {
            return; // a later sync or a removal replaced this job
        }
        Optional<Embedder> model = embedder.get();
        if (model.isEmpty()) {
            vectors.put(
                    key,
                    new VectorStatus(
                            "failed", 0, 0, embedder.failure().orElse("the embedding model is not available")));
            return;
        }
        ReentrantLock writer = writers.computeIfAbsent(dir, d -> new ReentrantLock());
        writer.lock();
        try {
            if (generation(dir).get() != generation || !Files.isDirectory(dir)) {
                return;
            }
            IndexProgress progress =
                    (done, total, seconds) -> vectors.put(key, new VectorStatus("embedding", total, done, null));
            CodeIndexer.VectorReport report = new CodeIndexer(dir, null)
                    .addVectors(
                            request,
                            model.get(),
                            embedder.batchFiles(),
                            progress,
                            () -> generation(dir).get() != generation);
            vectors.put(
                    key,
                    new VectorStatus(
                            report.remaining() == 0 ? "ready" : "pending",
                            report.files(),
                            report.files() - report.remaining(),
                            null));
            if (report.embedded() > 0) {
                LOG.infof(
                        "vectors of %s: %d files embedded in %.1f s, %d remaining",
                        key, report.embedded(), report.seconds(), report.remaining());
                openIndexes.retire(dir); // hybrid search joins for the searches that start from now on
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "adding vectors to %s failed", key);
            vectors.put(key, new VectorStatus("failed", 0, 0, RepositorySync.failure(e)));
            openIndexes.retire(dir);
        } finally {
            writer.unlock();
        }
    }

    /** Stops the vectors of the index, waits for the writer and deletes the index; the caller holds the repository's lock. */
    public void delete(String workspace, String name) throws IOException {
        Path dir = indexPath(workspace, name);
        ReentrantLock writer = stopVectorsAndLock(dir);
        try {
            openIndexes.retire(dir);
            RepositoryMirror.deleteTree(dir);
            vectors.remove(workspace + "/" + name);
        } finally {
            writer.unlock();
        }
    }

    /** Asks a running vector job on {@code dir} to stop after its batch and takes the index writer's lock. */
    private ReentrantLock stopVectorsAndLock(Path dir) {
        generation(dir).incrementAndGet();
        ReentrantLock writer = writers.computeIfAbsent(dir, d -> new ReentrantLock());
        writer.lock();
        return writer;
    }

    private AtomicLong generation(Path dir) {
        return generations.computeIfAbsent(dir, d -> new AtomicLong());
    }

    void stop(@Observes ShutdownEvent event) {
        vectorWorker.shutdownNow();
        lexical.shutdownNow();
    }
}
