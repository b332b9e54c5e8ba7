package dev.drydock.cli.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.cli.CliException;
import dev.drydock.cli.CliExit;
import dev.drydock.search.CodeSearch;
import dev.drydock.search.FileHit;
import dev.drydock.search.Hit;
import dev.drydock.search.SearchException;
import dev.drydock.search.SearchMode;
import dev.drydock.search.SearchQuery;
import dev.drydock.search.index.IndexMeta;
import dev.drydock.server.embedding.OnnxEmbedder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./drydock search --index DIR [--k 10] [--json] QUERY} and the batch form
 * {@code --queries FILE.jsonl --files}.
 */
@Command(name = "search", description = "Search a code index: chunk hits, or ranked files with --files.")
public final class SearchCommand implements Callable<Integer> {
    static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--index", required = true, paramLabel = "DIR", description = "index folder")
    Path indexDir;

    @Option(
            names = "--k",
            paramLabel = "N",
            defaultValue = "10",
            description = "hits to return (default ${DEFAULT-VALUE})")
    int k;

    @Option(names = "--json", description = "one JSON object per hit")
    boolean json;

    @Option(names = "--files", description = "rank distinct files instead of chunks")
    boolean files;

    @Option(
            names = "--queries",
            paramLabel = "FILE.jsonl",
            description = "batch mode: one {\"id\",\"query\"} object per line")
    @Nullable
    Path queries;

    @Option(
            names = "--repo",
            paramLabel = "NAME",
            split = ",",
            description = "repos the search may read (default: every repo in the index)")
    @Nullable
    List<String> repos;

    @Option(
            names = "--mode",
            paramLabel = "MODE",
            defaultValue = "hybrid",
            description = "lexical, dense or hybrid (default ${DEFAULT-VALUE})")
    String mode;

    @Mixin
    EmbeddingOptions embedding;

    @Parameters(paramLabel = "QUERY", arity = "0..*", description = "query text")
    @Nullable
    List<String> words;

    @Override
    public Integer call() {
        if (k < 1 || k > SearchQuery.MAX_K) {
            throw new CliException("--k must be between 1 and " + SearchQuery.MAX_K, CliExit.USAGE);
        }
        SearchMode searchMode = parseMode(mode);
        String text = words == null ? "" : String.join(" ", words);
        if (queries == null && text.isBlank()) {
            throw new CliException("empty query: give QUERY words or --queries FILE.jsonl", CliExit.USAGE);
        }
        IndexMeta meta = IndexCommand.peek(indexDir)
                .orElseThrow(() -> new CliException(
                        "no index at " + indexDir + "; create one with: ./drydock index PATH --index " + indexDir,
                        CliExit.DATA));
        PrintWriter out = spec.commandLine().getOut();
        boolean needsModel = searchMode != SearchMode.LEXICAL;
        try (OnnxEmbedder embedder = needsModel ? embedding.forIndex(meta) : null;
                CodeSearch search = CodeSearch.open(indexDir, embedder, embedding.ranking())) {
            if (searchMode == SearchMode.DENSE && !search.hasVectors()) {
                throw new CliException(
                        "the index has no vectors; use --mode lexical or re-index with --vectors", CliExit.USAGE);
            }
            Set<String> readable = repos == null ? search.repoNames() : Set.copyOf(repos);
            if (queries != null) {
                batch(search, readable, searchMode, out);
            } else {
                SearchQuery query = new SearchQuery(text, readable, k, searchMode);
                if (files) {
                    for (FileHit hit : search.searchFiles(query)) {
                        out.println(
                                json
                                        ? fileJson(hit)
                                        : String.format(Locale.ROOT, "%-8.4f %s", hit.score(), hit.path()));
                    }
                } else {
                    // the retrieval path of the server's API and droids: the file ranking, each file with its best
                    // chunks
                    for (Hit hit : search.passages(query, 2)) {
                        out.println(
                                json
                                        ? hitJson(hit)
                                        : String.format(
                                                Locale.ROOT,
                                                "%-8.4f %s:%d-%d  %s",
                                                hit.score(),
                                                hit.path(),
                                                hit.startLine(),
                                                hit.endLine(),
                                                hit.symbol()));
                    }
                }
            }
            out.flush();
            return CliExit.OK;
        } catch (SearchException e) {
            throw new CliException(e.getMessage(), CliExit.DATA, e);
        }
    }

    private void batch(CodeSearch search, Set<String> readable, SearchMode searchMode, PrintWriter out) {
        try (BufferedReader in = Files.newBufferedReader(queries, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (IOException e) {
                    throw new CliException(queries + ":" + number + ": not a JSON object");
                }
                JsonNode id = node.get("id");
                JsonNode q = node.get("query");
                if (id == null || q == null || !q.isTextual()) {
                    throw new CliException(queries + ":" + number + ": needs \"id\" and a string \"query\"");
                }
                ObjectNode result = JSON.createObjectNode();
                result.set("id", id);
                SearchQuery query = new SearchQuery(q.asText(), readable, k, searchMode);
                if (files) {
                    ArrayNode paths = result.putArray("files");
                    search.searchFiles(query).forEach(h -> paths.add(h.path()));
                } else {
                    ArrayNode hits = result.putArray("hits");
                    search.search(query).forEach(h -> hits.add(hitNode(h)));
                }
                out.println(result);
            }
        } catch (IOException e) {
            throw new CliException("cannot read " + queries + ": " + e.getMessage());
        }
    }

    static SearchMode parseMode(String mode) {
        try {
            return SearchMode.valueOf(mode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CliException("--mode must be lexical, dense or hybrid, was '" + mode + "'", CliExit.USAGE);
        }
    }

    private static ObjectNode hitNode(Hit hit) {
        ObjectNode node = JSON.createObjectNode();
        node.put("repo", hit.repo());
        node.put("path", hit.path());
        node.put("startLine", hit.startLine());
        node.put("endLine", hit.endLine());
        node.put("score", hit.score());
        node.put("symbol", hit.symbol());
        return node;
    }

    private static String hitJson(Hit hit) {
        return hitNode(hit).toString();
    }

    private static String fileJson(FileHit hit) {
        ObjectNode node = JSON.createObjectNode();
        node.put("repo", hit.repo());
        node.put("path", hit.path());
        node.put("score", hit.score());
        return node.toString();
    }
}
