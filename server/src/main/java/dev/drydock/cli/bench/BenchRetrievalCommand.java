package dev.drydock.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.cli.CliException;
import dev.drydock.cli.CliExit;
import dev.drydock.cli.search.EmbeddingOptions;
import dev.drydock.cli.search.Progress;
import dev.drydock.search.CodeIndexer;
import dev.drydock.search.CodeSearch;
import dev.drydock.search.FileHit;
import dev.drydock.search.IndexReport;
import dev.drydock.search.IndexRequest;
import dev.drydock.search.SearchException;
import dev.drydock.search.SearchMode;
import dev.drydock.search.SearchQuery;
import dev.drydock.search.eval.RetrievalMetrics;
import dev.drydock.search.ingest.IngestPolicy;
import dev.drydock.server.embedding.OnnxEmbedder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./drydock bench retrieval}: indexes a corpus, runs every query in lexical, dense and
 * hybrid mode, and prints file-level recall@1/5/10 and MRR@10 side by side, index time and query
 * latency; the last line is one JSON object.
 */
@Command(name = "retrieval", description = "Measure file-level retrieval quality and latency on a query set.")
public final class BenchRetrievalCommand implements Callable<Integer> {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private static final String REPO = "corpus";

    @Spec
    CommandSpec spec;

    static final class Source {
        @ArgGroup(exclusive = false)
        @Nullable
        Explicit explicit;

        @Option(
                names = "--set",
                paramLabel = "FILE.json",
                description = "a benchmark set: Maven sources jars + queries")
        @Nullable
        Path set;
    }

    static final class Explicit {
        @Option(names = "--corpus", required = true, paramLabel = "DIR", description = "folder or git work tree")
        Path corpus;

        @Option(
                names = "--queries",
                required = true,
                paramLabel = "FILE.jsonl",
                description = "one {\"id\",\"query\",\"relevant\":[paths relative to DIR]} per line")
        Path queries;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--index", paramLabel = "DIR", description = "index folder (default: under the cache folder)")
    @Nullable
    Path indexDir;

    @Option(
            names = "--cache",
            paramLabel = "DIR",
            description = "where corpora and indexes go (default $DRYDOCK_HOME/bench or ./.drydock/bench)")
    @Nullable
    Path cacheDir;

    @Option(
            names = "--vectors",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "embed chunks for dense and hybrid (default on)")
    boolean vectors;

    @Option(names = "--max-queries", paramLabel = "N", description = "use only the first N queries")
    int maxQueries;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2", description = "indexing threads")
    int threads;

    @Option(
            names = "--latency-passes",
            paramLabel = "N",
            defaultValue = "3",
            description = "timed passes of the hybrid queries after the quality passes (default 3)")
    int latencyPasses;

    @Mixin
    EmbeddingOptions embedding;

    record Query(String id, String text, Set<String> relevant) {}

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path cache = cacheDir != null ? cacheDir : defaultCache();
        Path corpus;
        List<Query> queries;
        String name;
        if (source.set != null) {
            JsonNode set = readJson(source.set);
            name = source.set.getFileName().toString().replaceFirst("\\.json$", "");
            List<String> coordinates = new ArrayList<>();
            set.path("corpus").forEach(c -> coordinates.add(c.asText()));
            if (coordinates.isEmpty()) {
                throw new CliException(source.set + ": no \"corpus\" coordinates");
            }
            corpus = BenchCorpus.materialise(coordinates, cache.resolve(name), err);
            queries = new ArrayList<>();
            for (JsonNode q : set.path("queries")) {
                queries.add(query(q, source.set.toString()));
            }
        } else {
            Explicit e = Objects.requireNonNull(source.explicit, "picocli requires --set or --corpus and --queries");
            corpus = e.corpus;
            if (!Files.isDirectory(corpus)) {
                throw new CliException("corpus folder not found: " + corpus, CliExit.USAGE);
            }
            name = corpus.toAbsolutePath().normalize().getFileName() + "-"
                    + Integer.toHexString(corpus.toAbsolutePath().hashCode());
            queries = readJsonl(e.queries);
        }
        if (maxQueries > 0 && queries.size() > maxQueries) {
            queries = queries.subList(0, maxQueries);
        }
        if (queries.isEmpty()) {
            throw new CliException("no queries to run");
        }
        if (latencyPasses < 1) {
            throw new CliException("--latency-passes must be at least 1", CliExit.USAGE);
        }
        Path index =
                indexDir != null ? indexDir : cache.resolve(name).resolve(vectors ? "index-vectors" : "index-lexical");

        try (OnnxEmbedder embedder = vectors ? embedding.load() : null) {
            CodeIndexer indexer = new CodeIndexer(index, embedder);
            IndexReport report = indexer.index(
                    new IndexRequest(corpus, REPO, null, IngestPolicy.defaults(), threads), true, new Progress(err));
            err.println(Progress.summary(report));
            err.flush();
            Map<SearchMode, RetrievalMetrics> results = new LinkedHashMap<>();
            double[] latencies;
            try (CodeSearch search = CodeSearch.open(index, embedder, embedding.ranking())) {
                // Quality: every query once per mode; this also warms the JIT up for the timed passes.
                for (SearchMode mode : SearchMode.values()) {
                    if (mode == SearchMode.DENSE && !search.hasVectors()) {
                        continue;
                    }
                    RetrievalMetrics.Accumulator acc = new RetrievalMetrics.Accumulator();
                    for (Query q : queries) {
                        List<FileHit> hits = search.searchFiles(new SearchQuery(q.text(), Set.of(REPO), 10, mode));
                        acc.add(hits.stream().map(FileHit::path).toList(), q.relevant());
                    }
                    results.put(mode, acc.result());
                }
                latencies = hybridLatencies(search, queries);
            }
            Arrays.sort(latencies);
            double p50 = percentile(latencies, 0.50);
            double p99 = percentile(latencies, 0.99);
            printTable(out, results);
            out.printf(
                    Locale.ROOT,
                    "files %d, queries %d, index %.1f s, hybrid query latency p50 %.1f ms, p99 %.1f ms"
                            + " (%d timed passes after a warm-up pass)%n",
                    report.files(),
                    queries.size(),
                    report.seconds(),
                    p50,
                    p99,
                    latencyPasses);
            ObjectNode json = JSON.createObjectNode();
            for (SearchMode mode : SearchMode.values()) {
                RetrievalMetrics m = results.get(mode);
                ObjectNode node = json.putObject(
                        mode == SearchMode.LEXICAL ? "bm25" : mode.name().toLowerCase(Locale.ROOT));
                if (m == null) {
                    node.putNull("recall@1");
                    node.putNull("recall@5");
                    node.putNull("recall@10");
                    node.putNull("mrr@10");
                } else {
                    node.put("recall@1", round(m.recallAt1()));
                    node.put("recall@5", round(m.recallAt5()));
                    node.put("recall@10", round(m.recallAt10()));
                    node.put("mrr@10", round(m.mrrAt10()));
                }
            }
            json.put("files", report.files());
            json.put("queries", queries.size());
            json.put("index_seconds", round(report.seconds()));
            json.put("query_ms_p50", round(p50));
            json.put("query_ms_p99", round(p99));
            out.println(json);
            out.flush();
            return CliExit.OK;
        } catch (SearchException e) {
            throw new CliException(e.getMessage(), CliExit.DATA, e);
        }
    }

    /**
     * Times every hybrid query {@link #latencyPasses} times, the way a long-running server sees
     * them: after the quality passes (the JIT warm-up) and after a full collection of what indexing
     * left behind ({@code System.gc()}, as JMH does between iterations); in one JVM with the
     * indexer, young collections right after indexing paused queries 5–33 ms.
     */
    private double[] hybridLatencies(CodeSearch search, List<Query> queries) {
        System.gc();
        double[] latencies = new double[queries.size() * latencyPasses];
        int n = 0;
        for (int pass = 0; pass < latencyPasses; pass++) {
            for (Query q : queries) {
                long t0 = System.nanoTime();
                search.searchFiles(new SearchQuery(q.text(), Set.of(REPO), 10, SearchMode.HYBRID));
                latencies[n++] = (System.nanoTime() - t0) / 1e6;
            }
        }
        return latencies;
    }

    private static void printTable(PrintWriter out, Map<SearchMode, RetrievalMetrics> results) {
        out.printf(Locale.ROOT, "%-10s %9s %9s %9s %9s%n", "", "recall@1", "recall@5", "recall@10", "mrr@10");
        for (SearchMode mode : SearchMode.values()) {
            RetrievalMetrics m = results.get(mode);
            String label = mode == SearchMode.LEXICAL ? "bm25" : mode.name().toLowerCase(Locale.ROOT);
            if (m == null) {
                out.printf(Locale.ROOT, "%-10s %9s %9s %9s %9s%n", label, "n/a", "n/a", "n/a", "n/a");
            } else {
                out.printf(
                        Locale.ROOT,
                        "%-10s %9.3f %9.3f %9.3f %9.3f%n",
                        label,
                        m.recallAt1(),
                        m.recallAt5(),
                        m.recallAt10(),
                        m.mrrAt10());
            }
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    private static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static Path defaultCache() {
        String home = System.getenv("DRYDOCK_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home, "bench");
        }
        String root = System.getenv("DRYDOCK_ROOT");
        return (root != null ? Path.of(root) : Path.of(".")).resolve(".drydock").resolve("bench");
    }

    static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage());
        }
    }

    static List<Query> readJsonl(Path file) {
        List<Query> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (!line.isBlank()) {
                    try {
                        out.add(query(JSON.readTree(line), file + ":" + number));
                    } catch (IOException e) {
                        throw new CliException(file + ":" + number + ": not a JSON object");
                    }
                }
            }
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage());
        }
        return out;
    }

    static Query query(JsonNode node, String where) {
        JsonNode id = node.get("id");
        JsonNode text = node.get("query");
        JsonNode relevant = node.get("relevant");
        if (id == null || text == null || relevant == null || !relevant.isArray()) {
            throw new CliException(where + ": each query needs \"id\", \"query\" and \"relevant\"");
        }
        Set<String> rel = new HashSet<>();
        relevant.forEach(r -> rel.add(r.asText()));
        return new Query(id.asText(), text.asText(), rel);
    }
}
