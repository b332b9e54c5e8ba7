package dev.drydock.search;

import dev.drydock.search.fusion.Fused;
import dev.drydock.search.fusion.RankedList;
import dev.drydock.search.fusion.ReciprocalRankFusion;
import dev.drydock.search.graph.SymbolGraph;
import dev.drydock.search.history.ChangeHistory;
import dev.drydock.search.history.PastCommit;
import dev.drydock.search.index.DocKeys;
import dev.drydock.search.index.IndexMeta;
import dev.drydock.search.index.IndexSchema;
import dev.drydock.search.index.IndexStore;
import dev.drydock.search.ingest.FileRole;
import dev.drydock.search.lexical.CodeAnalyzer;
import dev.drydock.search.lexical.LexicalQueries;
import dev.drydock.search.lexical.QueryTerms;
import dev.drydock.search.lookup.MentionIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.VectorUtil;
import org.jspecify.annotations.Nullable;

/**
 * Searches an index. Every search names the repos the caller may read; that set is a filter
 * inside every Lucene query and is checked again on every hit before it is returned.
 *
 * <p>File ranking ({@link #searchFiles}) fuses, with weighted reciprocal rank fusion: BM25 over
 * whole files (body, file name, declared symbols, path), BM25 over chunks collapsed to files,
 * exact matches of identifiers in the query against declared type names, for git corpora the
 * files changed by the past commits whose messages read most like the query, dense file
 * similarity (when the index has vectors; one vector per file), and optionally a one-hop
 * symbol-graph expansion.
 * Instances are thread-safe.
 */
public final class CodeSearch implements AutoCloseable {
    /** Query text embedded when dense similarity is the ranking (dense mode, chunk search). */
    private static final int DENSE_QUERY_CHARS = 2000;
    /**
     * Query text embedded when dense similarity only re-orders the hybrid candidates: a subject or
     * title and the start of the body. Long commit bodies tripled the embedding time (the slowest
     * queries' latency) and did not change the dev set's hybrid ranking.
     */
    private static final int RERANK_QUERY_CHARS = 256;
    /** Past commits matched per query, and files taken from them. */
    private static final int PAST_COMMITS = 20;

    private static final int PAST_FILES = 10;

    private final Path indexDir;
    private final DirectoryReader reader;
    private final DocKeys docKeys;
    /**
     * Runs parts of one search side by side (the query embedding, the whole-file list) while the
     * calling thread ranks chunks: on an idle second core they come for free.
     */
    private final ExecutorService parallel;

    private final IndexSearcher searcher;
    private final IndexMeta meta;
    private final @Nullable Embedder embedder;
    private final Analyzer analyzer = CodeAnalyzer.forQuery();
    private final RankingSettings settings;
    private final FileRanking ranking;
    private volatile @Nullable SymbolGraph graph;
    private volatile @Nullable MentionIndex mentions;
    private final java.util.concurrent.ConcurrentMap<String, ChangeHistory> histories =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** True when the index holds past-commit documents (git corpora). */
    private final boolean hasPastCommits;
    /** Every repo name in the index's repo field (deleted documents' too: never fewer than hold documents). */
    private final Set<String> indexedRepos;

    private CodeSearch(
            Path indexDir,
            DirectoryReader reader,
            DocKeys docKeys,
            IndexMeta meta,
            @Nullable Embedder embedder,
            RankingSettings settings) {
        this.indexDir = indexDir;
        this.reader = reader;
        this.docKeys = docKeys;
        this.parallel = Executors.newCachedThreadPool(
                Thread.ofPlatform().name("drydock-search-", 0).daemon().factory());
        this.settings = settings;
        this.ranking = new FileRanking(
                FirstStages.all(this, settings),
                Rerankers.all(this, settings),
                Adjustments.all(this, settings),
                settings.rrfK());
        this.searcher = new IndexSearcher(reader);
        this.searcher.setSimilarity(similarity(settings));
        this.meta = meta;
        this.embedder = embedder;
        try {
            this.hasPastCommits = reader.docFreq(new Term(IndexSchema.KIND, IndexSchema.KIND_COMMIT)) > 0;
            Set<String> repos = new java.util.HashSet<>();
            org.apache.lucene.index.Terms terms = org.apache.lucene.index.MultiTerms.getTerms(reader, IndexSchema.REPO);
            if (terms != null) {
                org.apache.lucene.index.TermsEnum e = terms.iterator();
                for (BytesRef term = e.next(); term != null; term = e.next()) {
                    repos.add(term.utf8ToString());
                }
            }
            this.indexedRepos = Set.copyOf(repos);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Opens the index at {@code indexDir}. {@code embedder} is needed for dense and hybrid
     * searches when the index has vectors; it must be the model the vectors were built with.
     */
    public static CodeSearch open(Path indexDir, @Nullable Embedder embedder) {
        return open(indexDir, embedder, RankingSettings.defaults());
    }

    /** Opens with explicit ranking settings (for evaluation). */
    public static CodeSearch open(Path indexDir, @Nullable Embedder embedder, RankingSettings settings) {
        DirectoryReader reader = IndexStore.openForReading(indexDir);
        try {
            IndexMeta meta = IndexStore.checkedMeta(reader, indexDir);
            if (embedder != null && meta.modelId() != null && !meta.modelId().equals(embedder.modelId())) {
                throw new SearchException("index vectors were built with model '" + meta.modelId()
                        + "' but the query model is '" + embedder.modelId() + "'; "
                        + IndexStore.rebuildHint(indexDir));
            }
            return new CodeSearch(indexDir, reader, DocKeys.load(reader), meta, embedder, settings);
        } catch (IOException e) {
            closeQuietly(reader);
            throw new SearchException("cannot read index " + indexDir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(reader);
            throw e;
        }
    }

    /** The repos in this index, with the revision indexed for each. */
    public Map<String, String> repos() {
        return meta.revisions();
    }

    public IndexMeta meta() {
        return meta;
    }

    /** True when the index has vectors and an embedder to query them. */
    public boolean hasVectors() {
        return meta.modelId() != null && embedder != null;
    }

    /** Chunk-level hits, best first. */
    public List<Hit> search(SearchQuery query) {
        if (query.readableRepos().isEmpty()) {
            return List.of();
        }
        try {
            List<RankedList<Integer>> lists = new ArrayList<>();
            @Nullable
            Future<float[]> vector =
                    query.mode() != SearchMode.LEXICAL ? embedQuery(query.text(), DENSE_QUERY_CHARS) : null;
            List<String> terms = QueryTerms.of(analyzer, IndexSchema.BODY, query.text());
            AnalysedQuery analysed = new AnalysedQuery(terms, subjectWeights(query.text()));
            if (query.mode() != SearchMode.DENSE && !terms.isEmpty()) {
                lists.add(new RankedList<>(
                        "chunks",
                        1.0,
                        docs(lexical(
                                analysed,
                                settings.chunkFields(),
                                IndexSchema.KIND_CHUNK,
                                query.readableRepos(),
                                Math.max(query.k(), 100)))));
            }
            if (vector != null) {
                lists.add(new RankedList<>(
                        "dense", 1.0, docs(dense(vector, query.readableRepos(), Math.max(query.k() * 5, 100)))));
            }
            List<Fused<Integer>> fused = ReciprocalRankFusion.fuse(lists, ReciprocalRankFusion.DEFAULT_K);
            StoredFields stored = searcher.storedFields();
            List<Hit> hits = new ArrayList<>();
            for (Fused<Integer> f : fused.subList(0, Math.min(query.k(), fused.size()))) {
                Document doc = stored.document(f.item());
                hits.add(new Hit(
                        doc.get(IndexSchema.REPO),
                        doc.get(IndexSchema.PATH),
                        doc.getField(IndexSchema.START).numericValue().intValue(),
                        doc.getField(IndexSchema.END).numericValue().intValue(),
                        f.score(),
                        doc.get(IndexSchema.SYMBOL)));
            }
            for (Hit hit : hits) {
                enforceAcl(query, hit.repo());
            }
            return hits;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The retrieval path of the product: files in the order of the file ranking ({@link #searchFiles}:
     * fusion, history, names, priors), each with its best {@code chunksPerFile} chunks from
     * {@link #search} (line ranges, best first); files that only the chunk search found (in hybrid mode,
     * found by meaning alone) follow in its order. A file that no chunk matched is given as its first
     * lines. At most {@code query.k()} files.
     */
    public List<Hit> passages(SearchQuery query, int chunksPerFile) {
        List<FileHit> files = searchFiles(query);
        List<Hit> chunks = search(
                new SearchQuery(query.text(), query.readableRepos(), Math.max(100, query.k() * 10), query.mode()));
        Map<FileKey, List<Hit>> byFile = new LinkedHashMap<>();
        Map<FileKey, Double> fileScore = new LinkedHashMap<>();
        for (FileHit f : files) {
            byFile.put(new FileKey(f.repo(), f.path()), new ArrayList<>());
            fileScore.put(new FileKey(f.repo(), f.path()), f.score());
        }
        for (Hit h : chunks) {
            FileKey key = new FileKey(h.repo(), h.path());
            List<Hit> of = byFile.computeIfAbsent(key, k -> new ArrayList<>());
            fileScore.putIfAbsent(key, h.score());
            int wider = -1;
            for (int i = 0; i < of.size(); i++) {
                if (contains(of.get(i), h)) {
                    wider = i;
                }
            }
            if (wider >= 0) {
                of.set(wider, h); // a chunk inside a whole-file (dense) hit says more precisely where to read
            } else if (of.size() < Math.max(1, chunksPerFile) && of.stream().noneMatch(o -> overlaps(o, h))) {
                of.add(h);
            }
        }
        List<Hit> out = new ArrayList<>();
        int taken = 0;
        for (Map.Entry<FileKey, List<Hit>> e : byFile.entrySet()) {
            if (taken++ >= query.k()) {
                break;
            }
            FileKey key = e.getKey();
            double score = Objects.requireNonNull(fileScore.get(key), key::toString); // every key of byFile has a score
            if (e.getValue().isEmpty()) {
                out.add(new Hit(key.repo(), key.path(), 1, FIRST_LINES, score, ""));
            }
            for (Hit h : e.getValue()) {
                int end =
                        h.startLine() == 1 ? Math.min(h.endLine(), FIRST_LINES) : h.endLine(); // a whole file: its head
                out.add(new Hit(h.repo(), h.path(), h.startLine(), end, score, h.symbol()));
            }
        }
        return out;
    }

    /** Lines given for a file of the file ranking that no chunk matched. */
    private static final int FIRST_LINES = 40;

    private static boolean contains(Hit outer, Hit inner) {
        return outer.startLine() <= inner.startLine()
                && inner.endLine() <= outer.endLine()
                && (outer.startLine() != inner.startLine() || outer.endLine() != inner.endLine());
    }

    private static boolean overlaps(Hit a, Hit b) {
        return a.startLine() <= b.endLine() && b.startLine() <= a.endLine();
    }

    /**
     * File-level hits ("which files should I open for this task?"), best first: the {@link FileRanking}
     * pipeline (first-stage retrievers, fusion, re-rankers, prior and head fill) cut to {@code query.k()}.
     */
    public List<FileHit> searchFiles(SearchQuery query) {
        if (query.readableRepos().isEmpty()) {
            return List.of();
        }
        try {
            boolean denseRerank = query.mode() == SearchMode.HYBRID && settings.denseWeight() > 0;
            @Nullable
            Future<float[]> vector = query.mode() == SearchMode.DENSE
                    ? embedQuery(query.text(), DENSE_QUERY_CHARS)
                    : denseRerank ? embedQuery(query.text(), RERANK_QUERY_CHARS) : null;
            List<String> terms = new ArrayList<>(QueryTerms.of(analyzer, IndexSchema.BODY, query.text()));
            for (String compound : QueryTerms.compounds(analyzer, IndexSchema.BODY, query.text())) {
                if (!terms.contains(compound)) {
                    terms.add(compound);
                }
            }
            AnalysedQuery analysed = new AnalysedQuery(
                    terms,
                    subjectWeights(query.text()),
                    query.mode() == SearchMode.DENSE ? null : proximity(query.text()));
            List<Fused<FileKey>> fused = ranking.rank(new FileSearch(query, analysed, vector, denseRerank));
            List<FileHit> hits = new ArrayList<>();
            for (Fused<FileKey> f : fused.subList(0, Math.min(query.k(), fused.size()))) {
                hits.add(new FileHit(f.item().repo(), f.item().path(), f.score()));
            }
            for (FileHit hit : hits) {
                enforceAcl(query, hit.repo());
            }
            return hits;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs part of one search on the search's thread pool. */
    <T> Future<T> inParallel(java.util.concurrent.Callable<T> part) {
        return parallel.submit(part);
    }

    /** True when the index holds past-commit documents (git corpora). */
    boolean hasPastCommits() {
        return hasPastCommits;
    }

    private static org.apache.lucene.search.similarities.Similarity similarity(RankingSettings settings) {
        org.apache.lucene.search.similarities.Similarity body =
                new org.apache.lucene.search.similarities.BM25Similarity(1.2f, settings.bodyB());
        org.apache.lucene.search.similarities.Similarity other =
                new org.apache.lucene.search.similarities.BM25Similarity();
        return new org.apache.lucene.search.similarities.PerFieldSimilarityWrapper() {
            @Override
            public org.apache.lucene.search.similarities.Similarity get(String field) {
                return field.equals(IndexSchema.BODY) || field.equals(IndexSchema.CHUNK_BODY) ? body : other;
            }
        };
    }

    private static void enforceAcl(SearchQuery query, String repo) {
        if (!query.readableRepos().contains(repo)) {
            throw new IllegalStateException(
                    "access control violation: hit from repo '" + repo + "' not in the readable set");
        }
    }

    /** Proximity of the query's adjacent words in whole-file bodies, or null when off or without pairs. */
    private @Nullable Query proximity(String text) {
        if (settings.proximityWeight() <= 0) {
            return null;
        }
        return LexicalQueries.proximity(
                IndexSchema.BODY, QueryTerms.adjacentPairs(analyzer, IndexSchema.BODY, text), settings.proximitySlop());
    }

    /** Weights for the terms of the first line, when the query has several lines. */
    private Map<String, Float> subjectWeights(String text) {
        int newline = text.indexOf('\n');
        if (settings.subjectBoost() == 1.0 || newline < 0) {
            return Map.of();
        }
        Map<String, Float> weights = new java.util.HashMap<>();
        for (String term : QueryTerms.of(analyzer, IndexSchema.BODY, text.substring(0, newline))) {
            weights.put(term, (float) settings.subjectBoost());
        }
        return weights;
    }

    /** Identifier-looking words of the query: CamelCase, snake_case or dotted names. */
    static List<String> identifiers(String text) {
        Set<String> out = new LinkedHashSet<>();
        String capped =
                text.length() > QueryTerms.MAX_QUERY_CHARS ? text.substring(0, QueryTerms.MAX_QUERY_CHARS) : text;
        for (String word : capped.split("[^A-Za-z0-9_$.#]+")) {
            for (String part : word.split("[.#]")) {
                if (part.length() > 2 && isIdentifierLike(part)) {
                    out.add(part);
                }
            }
            if (out.size() >= 32) {
                break;
            }
        }
        return new ArrayList<>(out);
    }

    private static boolean isIdentifierLike(String word) {
        boolean upper = false;
        boolean lowerThenUpper = false;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0 && Character.isLowerCase(word.charAt(i - 1))) {
                    lowerThenUpper = true;
                }
                upper = true;
            }
        }
        return lowerThenUpper || (upper && word.indexOf('_') > 0);
    }

    TopDocs lexical(AnalysedQuery analysed, Map<String, Float> fields, String kind, Set<String> repos, int n)
            throws IOException {
        BooleanQuery.Builder query = new BooleanQuery.Builder()
                .add(
                        LexicalQueries.multiField(
                                searcher.getTopReaderContext(), analysed.terms(), fields, analysed.weights()),
                        BooleanClause.Occur.MUST);
        if (analysed.proximity() != null
                && kind.equals(IndexSchema.KIND_FILE)
                && fields.containsKey(IndexSchema.BODY)) {
            query.add(
                    new BoostQuery(analysed.proximity(), (float) settings.proximityWeight()),
                    BooleanClause.Occur.SHOULD);
        }
        // Text fields belong to one kind of document, and a set naming every repo of the index
        // excludes nothing: such filters would cost a conjunction per candidate and change no result.
        if (!IndexSchema.fieldsOfKind(kind).containsAll(fields.keySet())) {
            query.add(new TermQuery(new Term(IndexSchema.KIND, kind)), BooleanClause.Occur.FILTER);
        }
        if (!repos.containsAll(indexedRepos)) {
            query.add(repoFilter(repos), BooleanClause.Occur.FILTER);
        }
        return searcher.search(query.build(), n);
    }

    /**
     * Starts embedding the query on another thread, or returns null when this search has no vectors
     * or the text is blank.
     */
    private @Nullable Future<float[]> embedQuery(String text, int maxChars) {
        Embedder e = embedder;
        if (e == null || !hasVectors() || text.isBlank()) {
            return null;
        }
        String capped = text.length() > maxChars ? text.substring(0, maxChars) : text;
        return parallel.submit(() -> e.embed(List.of(capped))[0]);
    }

    static <T> T await(Future<T> part) throws IOException {
        try {
            return part.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SearchException("interrupted while searching", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            switch (cause) {
                case RuntimeException r -> throw r;
                case IOException io -> throw io;
                case Error error -> throw error;
                default -> throw new SearchException("search failed: " + cause, cause);
            }
        }
    }

    TopDocs dense(Future<float[]> vector, Set<String> repos, int n) throws IOException {
        Query filter = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_FILE)), BooleanClause.Occur.FILTER)
                .add(repoFilter(repos), BooleanClause.Occur.FILTER)
                .build();
        // over-fetch: HNSW at small k loses recall
        return searcher.search(new KnnFloatVectorQuery(IndexSchema.VECTOR, await(vector), Math.max(n, 100), filter), n);
    }

    /** {@code candidates} (file keys) that have a vector, most similar to {@code vector} first (exact dot product). */
    List<String> byDenseSimilarity(float[] vector, List<String> candidates) throws IOException {
        Map<String, Float> similarity = new java.util.HashMap<>();
        List<LeafReaderContext> leaves = reader.leaves();
        for (String key : candidates) {
            int doc = docKeys.fileDoc(key);
            if (doc < 0) {
                continue;
            }
            LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
            FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexSchema.VECTOR);
            if (values == null) {
                continue;
            }
            KnnVectorValues.DocIndexIterator it = values.iterator();
            if (it.advance(doc - leaf.docBase) == doc - leaf.docBase) {
                similarity.put(key, VectorUtil.dotProduct(vector, values.vectorValue(it.index())));
            }
        }
        List<String> out = new ArrayList<>(similarity.keySet());
        out.sort(java.util.Comparator.comparing((String key) -> similarity.get(key))
                .reversed()
                .thenComparing(java.util.Comparator.naturalOrder()));
        return out;
    }

    private static Query repoFilter(Set<String> repos) {
        return new TermInSetQuery(
                IndexSchema.REPO, repos.stream().map(BytesRef::new).collect(Collectors.toList()));
    }

    private static List<Integer> docs(TopDocs top) {
        List<Integer> out = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc sd : top.scoreDocs) {
            out.add(sd.doc);
        }
        return out;
    }

    /** File keys ranked by the sum of their best {@code perFile} hit scores (several matching chunks count). */
    List<String> keysBySummedScore(TopDocs top, int perFile) throws IOException {
        if (perFile <= 1) {
            return keys(top);
        }
        java.util.Map<String, double[]> scores = new java.util.LinkedHashMap<>();
        for (ScoreDoc sd : top.scoreDocs) {
            String key = docKeys.key(sd.doc);
            if (key != null) {
                double[] acc = scores.computeIfAbsent(key, k -> new double[2]);
                if (acc[1] < perFile) {
                    acc[0] += sd.score; // hits arrive best first
                    acc[1]++;
                }
            }
        }
        List<String> out = new ArrayList<>(scores.keySet());
        out.sort(java.util.Comparator.comparingDouble((String k) -> Objects.requireNonNull(scores.get(k))[0])
                .reversed());
        return out;
    }

    /** Distinct file keys in rank order. */
    List<String> keys(TopDocs top) throws IOException {
        Set<String> out = new LinkedHashSet<>();
        for (ScoreDoc sd : top.scoreDocs) {
            String key = docKeys.key(sd.doc);
            if (key != null) {
                out.add(key);
            }
        }
        return new ArrayList<>(out);
    }

    /**
     * Code files (keys) changed by the past commits whose messages are most like the query (BM25
     * over the messages of the readable repos), ranked by {@link PastCommit#rankFiles}; only files
     * still indexed. Empty for folders and indexes without past-commit documents.
     */
    List<String> filesOfSimilarCommits(AnalysedQuery terms, Set<String> repos) throws IOException {
        TopDocs top =
                lexical(terms, Map.of(IndexSchema.COMMIT_MESSAGE, 1f), IndexSchema.KIND_COMMIT, repos, PAST_COMMITS);
        if (top.scoreDocs.length == 0) {
            return List.of();
        }
        List<PastCommit.Match> matches = new ArrayList<>(top.scoreDocs.length);
        StoredFields stored = searcher.storedFields();
        for (ScoreDoc sd : top.scoreDocs) {
            Document doc = stored.document(sd.doc);
            String repo = doc.get(IndexSchema.REPO);
            matches.add(new PastCommit.Match(
                    sd.score,
                    java.util.Arrays.stream(doc.get(IndexSchema.COMMIT_PATHS).split("\n"))
                            .map(path -> IndexSchema.key(repo, path))
                            .toList()));
        }
        SymbolGraph files = symbolGraph();
        return PastCommit.rankFiles(
                matches,
                key -> FileRole.of(key.substring(key.indexOf('\0') + 1)) == FileRole.CODE && files.hasFile(key),
                PAST_FILES);
    }

    /** The change history of a git repo's indexed commit (empty for folders). */
    ChangeHistory history(String repo) {
        return histories.computeIfAbsent(repo, r -> {
            try {
                Query q = new BooleanQuery.Builder()
                        .add(
                                new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_HISTORY)),
                                BooleanClause.Occur.FILTER)
                        .add(new TermQuery(new Term(IndexSchema.REPO, r)), BooleanClause.Occur.FILTER)
                        .build();
                TopDocs top = searcher.search(q, 1);
                if (top.scoreDocs.length == 0) {
                    return ChangeHistory.empty();
                }
                return ChangeHistory.parse(
                        searcher.storedFields().document(top.scoreDocs[0].doc).get(IndexSchema.HISTORY));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    SymbolGraph symbolGraph() throws IOException {
        SymbolGraph g = graph;
        if (g == null) {
            synchronized (this) {
                g = graph;
                if (g == null) {
                    g = SymbolGraph.load(searcher);
                    graph = g;
                }
            }
        }
        return g;
    }

    /** The {@code @}-mention completions of this index, built on first use and kept while it is open. */
    public MentionIndex mentions() {
        MentionIndex m = mentions;
        if (m == null) {
            synchronized (this) {
                m = mentions;
                if (m == null) {
                    try {
                        m = MentionIndex.load(searcher);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    mentions = m;
                }
            }
        }
        return m;
    }

    /** Repo names in this index, sorted. */
    public Set<String> repoNames() {
        return new TreeSet<>(meta.revisions().keySet());
    }

    public Path indexDir() {
        return indexDir;
    }

    @Override
    public void close() {
        parallel.shutdownNow();
        closeQuietly(reader);
    }

    private static void closeQuietly(DirectoryReader reader) {
        try {
            reader.close();
        } catch (IOException ignored) {
            // nothing useful to do
        }
    }
}
