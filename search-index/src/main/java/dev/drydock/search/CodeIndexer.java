package dev.drydock.search;

import dev.drydock.search.chunk.Chunker;
import dev.drydock.search.chunk.ParsedFile;
import dev.drydock.search.history.ChangeHistory;
import dev.drydock.search.history.PastCommit;
import dev.drydock.search.index.Documents;
import dev.drydock.search.index.IndexMeta;
import dev.drydock.search.index.IndexSchema;
import dev.drydock.search.index.IndexStore;
import dev.drydock.search.ingest.FolderSourceTree;
import dev.drydock.search.ingest.GitSourceTree;
import dev.drydock.search.ingest.Languages;
import dev.drydock.search.ingest.SkipReason;
import dev.drydock.search.ingest.SourceEntry;
import dev.drydock.search.ingest.SourceTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.Term;
import org.jspecify.annotations.Nullable;

/**
 * Builds or updates an index from a folder or a git commit. Only files whose content changed are
 * re-read (git blob ids, or the same hash computed over folder files); files gone from the source
 * are deleted. Everything becomes visible in one Lucene commit at the end, so a run that dies
 * midway leaves the previous index untouched and searchable.
 */
public final class CodeIndexer {
    private static final int BATCH = 256;

    private final Path indexDir;
    private final @Nullable Embedder embedder;
    private final boolean deferVectors;
    private final Chunker chunker = Chunker.defaults();

    public CodeIndexer(Path indexDir, @Nullable Embedder embedder) {
        this(indexDir, embedder, false);
    }

    private CodeIndexer(Path indexDir, @Nullable Embedder embedder, boolean deferVectors) {
        this.indexDir = indexDir;
        this.embedder = embedder;
        this.deferVectors = deferVectors;
    }

    /**
     * An indexer that writes the lexical index only and keeps the index's embedding model: files it
     * (re)writes have no vector until {@link #addVectors} gives them one, so search works at once and
     * the dense list joins as vectors arrive.
     */
    public static CodeIndexer deferringVectors(Path indexDir) {
        return new CodeIndexer(indexDir, null, true);
    }

    /** Indexes {@code request}; {@code rebuild} discards everything indexed before (atomically at commit). */
    public IndexReport index(IndexRequest request, boolean rebuild, IndexProgress progress) {
        long started = System.nanoTime();
        Path source = request.source();
        if (!Files.isDirectory(source)) {
            throw new SearchException("source folder not found: " + source);
        }
        if (request.repo().isBlank() || request.repo().indexOf('\0') >= 0) {
            throw new SearchException("repo name must not be blank");
        }
        try (SourceTree tree = GitSourceTree.isGitRepository(source)
                        ? GitSourceTree.open(source, request.revision())
                        : new FolderSourceTree(source);
                IndexStore.Writing writing = IndexStore.openForWriting(indexDir, rebuild)) {
            IndexMeta meta = writing.meta();
            checkModel(meta, writing.isEmpty() || rebuild || deferVectors);
            Set<String> present = new HashSet<>();
            AtomicInteger changed = new AtomicInteger();
            AtomicInteger chunks = new AtomicInteger();
            Map<SkipReason, Integer> skipped = new EnumMap<>(SkipReason.class);
            List<SourceEntry> entries = new ArrayList<>();
            Map<String, String> known;
            ExecutorService pool = Executors.newFixedThreadPool(
                    Math.max(1, request.threads()),
                    Thread.ofPlatform().name("drydock-index-", 0).daemon(true).factory());
            try {
                // What the index holds is read while this thread walks the source: on an update of a
                // large tree with one changed file, these two are most of the time.
                Future<Map<String, String>> indexed = rebuild
                        ? CompletableFuture.completedFuture(Map.of())
                        : pool.submit(() -> writing.fileHashes(request.repo()));
                tree.walk(request.policy(), entries::add, reason -> skipped.merge(reason, 1, Integer::sum));
                try {
                    known = indexed.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw e;
                }

                for (int from = 0; from < entries.size(); from += BATCH) {
                    List<SourceEntry> batch = entries.subList(from, Math.min(entries.size(), from + BATCH));
                    List<Future<Outcome>> futures = new ArrayList<>();
                    for (SourceEntry entry : batch) {
                        futures.add(pool.submit(() -> prepare(entry, known.get(entry.path()), request)));
                    }
                    List<Prepared> prepared = new ArrayList<>();
                    for (Future<Outcome> future : futures) {
                        Outcome outcome = future.get();
                        switch (outcome) {
                            case Outcome.Unchanged u -> present.add(u.path());
                            case Outcome.Skipped s -> skipped.merge(s.reason(), 1, Integer::sum);
                            case Prepared p -> {
                                present.add(p.path());
                                prepared.add(p);
                            }
                        }
                    }
                    write(writing.writer(), request.repo(), prepared, pool, embedder);
                    changed.addAndGet(prepared.size());
                    prepared.forEach(p -> chunks.addAndGet(p.parsed().chunks().size()));
                    progress.update(
                            Math.min(entries.size(), from + BATCH),
                            entries.size(),
                            (System.nanoTime() - started) / 1e9);
                }
            } finally {
                pool.shutdownNow();
            }
            int deleted = 0;
            for (String path : known.keySet()) {
                if (!present.contains(path)) {
                    writing.writer().deleteDocuments(new Term(IndexSchema.KEY, IndexSchema.key(request.repo(), path)));
                    deleted++;
                }
            }
            @Nullable String revision = tree.revision();
            if (tree instanceof GitSourceTree git
                    && (rebuild || !git.revision().equals(meta.revisions().get(request.repo())))) {
                ChangeHistory history = ChangeHistory.mine(git.repository(), git.commit());
                org.apache.lucene.document.Document doc = new org.apache.lucene.document.Document();
                String key = IndexSchema.historyKey(request.repo());
                doc.add(new org.apache.lucene.document.StringField(
                        IndexSchema.KEY, key, org.apache.lucene.document.Field.Store.NO));
                doc.add(new org.apache.lucene.document.SortedDocValuesField(
                        IndexSchema.KEY, new org.apache.lucene.util.BytesRef(key)));
                doc.add(new org.apache.lucene.document.StringField(
                        IndexSchema.KIND, IndexSchema.KIND_HISTORY, org.apache.lucene.document.Field.Store.NO));
                doc.add(new org.apache.lucene.document.StringField(
                        IndexSchema.REPO, request.repo(), org.apache.lucene.document.Field.Store.YES));
                doc.add(new org.apache.lucene.document.StoredField(IndexSchema.HISTORY, history.serialize()));
                writing.writer().updateDocument(new Term(IndexSchema.KEY, key), doc);
                writePastCommits(
                        writing.writer(),
                        request.repo(),
                        git,
                        rebuild ? null : meta.revisions().get(request.repo()));
            }
            if (deferVectors) {
                writing.commit(meta.withRevision(
                        request.repo(),
                        revision == null ? "folder" : revision,
                        rebuild ? null : meta.modelId(),
                        rebuild ? 0 : meta.dimensions()));
            } else {
                writing.commit(meta.withRevision(
                        request.repo(),
                        revision == null ? "folder" : revision,
                        embedder == null ? null : embedder.modelId(),
                        embedder == null ? 0 : embedder.dimensions()));
            }
            return new IndexReport(
                    present.size(),
                    changed.get(),
                    deleted,
                    chunks.get(),
                    skipped,
                    (System.nanoTime() - started) / 1e9,
                    revision);
        } catch (IOException e) {
            throw new SearchException(
                    "cannot index " + source + " into " + indexDir + ": " + e
                            + " (the previous index, if any, is unchanged)",
                    e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SearchException("indexing interrupted; the previous index is unchanged", e);
        }
    }

    /**
     * Gives a vector from {@code vectors} to every file of {@code request.repo()} that has none (every
     * file when the index's vectors come from another model), reading the files at the revision the
     * index holds, in batches of {@code batch} files, each committed, so the work done survives a stop;
     * {@code stop} is asked between batches. The writer lock is held throughout: callers serialise this
     * with {@link #index} on the same folder.
     *
     * @return files that got a vector, and files still without one (non-zero when stopped)
     */
    public VectorReport addVectors(
            IndexRequest request,
            Embedder vectors,
            int batch,
            IndexProgress progress,
            java.util.function.BooleanSupplier stop) {
        long started = System.nanoTime();
        try (IndexStore.Writing writing = IndexStore.openForWriting(indexDir, false)) {
            IndexMeta meta = writing.meta();
            String revision = meta.revisions().get(request.repo());
            if (revision == null) {
                throw new SearchException(
                        "repo '" + request.repo() + "' is not in index " + indexDir + "; index it first");
            }
            boolean sameModel = vectors.modelId().equals(meta.modelId());
            if (!sameModel && meta.modelId() != null && meta.dimensions() != vectors.dimensions()) {
                throw new SearchException(
                        "index vectors were built with model '" + meta.modelId() + "' (" + meta.dimensions()
                                + " dimensions) but this run uses '" + vectors.modelId() + "'; rebuild the index");
            }
            Set<String> missing = writing.filePaths(request.repo(), sameModel);
            int total = writing.filePaths(request.repo(), false).size();
            if (missing.isEmpty()) {
                if (!sameModel) {
                    writing.commit(meta.withModel(vectors.modelId(), vectors.dimensions()));
                }
                return new VectorReport(0, 0, total, (System.nanoTime() - started) / 1e9);
            }
            List<SourceEntry> todo = new ArrayList<>();
            try (SourceTree tree = GitSourceTree.isGitRepository(request.source())
                    ? GitSourceTree.open(request.source(), "folder".equals(revision) ? null : revision)
                    : new FolderSourceTree(request.source())) {
                tree.walk(
                        request.policy(),
                        entry -> {
                            if (missing.contains(entry.path())) {
                                todo.add(entry);
                            }
                        },
                        reason -> {});
                int embedded = 0;
                int unreadable = 0;
                ExecutorService pool = Executors.newFixedThreadPool(
                        Math.max(1, request.threads()),
                        Thread.ofPlatform()
                                .name("drydock-vectors-", 0)
                                .daemon(true)
                                .factory());
                try {
                    for (int from = 0; from < todo.size() && !stop.getAsBoolean(); from += Math.max(1, batch)) {
                        List<Prepared> prepared = new ArrayList<>();
                        for (SourceEntry entry : todo.subList(from, Math.min(todo.size(), from + Math.max(1, batch)))) {
                            if (prepare(entry, null, request) instanceof Prepared p) {
                                prepared.add(p);
                            } else {
                                unreadable++;
                            }
                        }
                        write(writing.writer(), request.repo(), prepared, pool, vectors);
                        embedded += prepared.size();
                        writing.commit(meta.withModel(vectors.modelId(), vectors.dimensions()));
                        progress.update(
                                total - missing.size() + embedded + unreadable,
                                total,
                                (System.nanoTime() - started) / 1e9);
                    }
                } finally {
                    pool.shutdownNow();
                }
                return new VectorReport(
                        embedded, missing.size() - embedded - unreadable, total, (System.nanoTime() - started) / 1e9);
            }
        } catch (IOException e) {
            throw new SearchException("cannot add vectors to " + indexDir + ": " + e, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SearchException("adding vectors interrupted; the batches committed so far are kept", e);
        }
    }

    /**
     * What {@link #addVectors} did.
     *
     * @param embedded files that got a vector in this run
     * @param remaining files still without one (the run was stopped)
     * @param files files of the repo in the index
     * @param seconds wall time
     */
    public record VectorReport(int embedded, int remaining, int files, double seconds) {}

    /**
     * Brings the repo's past-commit documents (message analysed, changed paths stored) up to the
     * indexed commit: after an earlier indexed ancestor only the new commits are read and added;
     * otherwise (first index, rebuild, history rewritten) they are all replaced.
     */
    private static void writePastCommits(
            org.apache.lucene.index.IndexWriter writer,
            String repo,
            GitSourceTree git,
            @Nullable String previousRevision)
            throws IOException {
        org.apache.lucene.search.Query ofRepo = new org.apache.lucene.search.BooleanQuery.Builder()
                .add(
                        new org.apache.lucene.search.TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_COMMIT)),
                        org.apache.lucene.search.BooleanClause.Occur.FILTER)
                .add(
                        new org.apache.lucene.search.TermQuery(new Term(IndexSchema.REPO, repo)),
                        org.apache.lucene.search.BooleanClause.Occur.FILTER)
                .build();
        org.eclipse.jgit.lib.ObjectId since = PastCommit.ancestor(git.repository(), previousRevision, git.commit());
        if (since != null && !hasDocuments(writer, ofRepo)) {
            since = null; // an index from before past commits were stored
        }
        if (since == null) {
            writer.deleteDocuments(ofRepo);
        }
        for (PastCommit commit : PastCommit.read(git.repository(), git.commit(), since)) {
            org.apache.lucene.document.Document doc = new org.apache.lucene.document.Document();
            String key = IndexSchema.commitKey(repo, commit.id());
            doc.add(new org.apache.lucene.document.StringField(
                    IndexSchema.KEY, key, org.apache.lucene.document.Field.Store.NO));
            doc.add(new org.apache.lucene.document.SortedDocValuesField(
                    IndexSchema.KEY, new org.apache.lucene.util.BytesRef(key)));
            doc.add(new org.apache.lucene.document.StringField(
                    IndexSchema.KIND, IndexSchema.KIND_COMMIT, org.apache.lucene.document.Field.Store.NO));
            doc.add(new org.apache.lucene.document.StringField(
                    IndexSchema.REPO, repo, org.apache.lucene.document.Field.Store.YES));
            doc.add(new org.apache.lucene.document.TextField(
                    IndexSchema.COMMIT_MESSAGE, commit.message(), org.apache.lucene.document.Field.Store.NO));
            doc.add(new org.apache.lucene.document.StoredField(
                    IndexSchema.COMMIT_PATHS, String.join("\n", commit.paths())));
            writer.updateDocument(new Term(IndexSchema.KEY, key), doc);
        }
    }

    private static boolean hasDocuments(
            org.apache.lucene.index.IndexWriter writer, org.apache.lucene.search.Query query) throws IOException {
        try (org.apache.lucene.index.DirectoryReader reader = org.apache.lucene.index.DirectoryReader.open(writer)) {
            return new org.apache.lucene.search.IndexSearcher(reader).count(query) > 0;
        }
    }

    private void checkModel(IndexMeta meta, boolean fresh) {
        if (fresh) {
            return;
        }
        String want = embedder == null ? null : embedder.modelId();
        if (!java.util.Objects.equals(meta.modelId(), want)) {
            throw new SearchException("index vectors were built with model '" + meta.modelId() + "' but this run uses '"
                    + want + "'; rebuild the index with --rebuild");
        }
    }

    private sealed interface Outcome permits Outcome.Unchanged, Outcome.Skipped, Prepared {
        record Unchanged(String path) implements Outcome {}

        record Skipped(SkipReason reason) implements Outcome {}
    }

    private record Prepared(String path, String language, String hash, String stamp, String content, ParsedFile parsed)
            implements Outcome {}

    private Outcome prepare(SourceEntry entry, @Nullable String known, IndexRequest request) {
        String knownHash = known == null ? null : known.substring(0, known.indexOf('\n'));
        String knownStamp = known == null ? null : known.substring(known.indexOf('\n') + 1);
        if (entry.blobId() != null && entry.blobId().equals(knownHash)) {
            return new Outcome.Unchanged(entry.path());
        }
        if (entry.blobId() == null && !entry.stamp().isEmpty() && entry.stamp().equals(knownStamp)) {
            return new Outcome.Unchanged(entry.path()); // same size and mtime: content hash not needed
        }
        byte[] bytes;
        try {
            bytes = entry.content().read();
        } catch (org.eclipse.jgit.errors.MissingObjectException e) {
            return new Outcome.Skipped(SkipReason.MISSING);
        } catch (IOException | RuntimeException e) {
            return new Outcome.Skipped(SkipReason.UNREADABLE);
        }
        var reason = request.policy().checkContent(bytes);
        if (reason.isPresent()) {
            return new Outcome.Skipped(reason.get());
        }
        String hash = entry.blobId() != null ? entry.blobId() : blobHash(bytes);
        if (hash.equals(knownHash)) {
            return new Outcome.Unchanged(entry.path());
        }
        String content = new String(bytes, StandardCharsets.UTF_8); // malformed bytes become U+FFFD
        if (!content.isEmpty() && content.charAt(0) == '\uFEFF') {
            content = content.substring(1);
        }
        String language = Languages.detect(entry.path());
        return new Prepared(entry.path(), language, hash, entry.stamp(), content, chunker.parse(language, content));
    }

    private static void write(
            IndexWriter writer, String repo, List<Prepared> prepared, ExecutorService pool, @Nullable Embedder embedder)
            throws IOException, InterruptedException, ExecutionException {
        List<float @Nullable []> vectors = new ArrayList<>();
        if (embedder != null && !prepared.isEmpty()) {
            List<String> texts = new ArrayList<>();
            for (Prepared p : prepared) {
                texts.add(Documents.embeddingText(p.path(), p.parsed(), p.content()));
            }
            vectors.addAll(java.util.Arrays.asList(embedder.embed(texts)));
        } else {
            prepared.forEach(p -> vectors.add(null));
        }
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < prepared.size(); i++) {
            Prepared p = prepared.get(i);
            float @Nullable [] v = vectors.get(i);
            futures.add(pool.submit(() -> {
                List<Document> docs =
                        Documents.of(repo, p.path(), p.language(), p.hash(), p.stamp(), p.content(), p.parsed(), v);
                writer.updateDocuments(new Term(IndexSchema.KEY, IndexSchema.key(repo, p.path())), docs);
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
    }

    /** The git blob id of {@code bytes}, so folder and git indexes of the same content agree. */
    static String blobHash(byte[] bytes) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(("blob " + bytes.length + "\0").getBytes(StandardCharsets.US_ASCII));
            sha1.update(bytes);
            return HexFormat.of().formatHex(sha1.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
