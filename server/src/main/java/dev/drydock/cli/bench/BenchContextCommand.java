package dev.drydock.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.cli.CliException;
import dev.drydock.cli.CliExit;
import dev.drydock.cli.bench.BenchRetrievalCommand.Query;
import dev.drydock.search.CodeSearch;
import dev.drydock.search.FileHit;
import dev.drydock.search.Hit;
import dev.drydock.search.SearchException;
import dev.drydock.search.SearchMode;
import dev.drydock.search.SearchQuery;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./drydock bench context}: how much of what search puts in a droid's context is relevant. For
 * each query, three ways to fill a token budget (default 8,000) are compared on the same index and
 * corpus: (1) what the droid's {@code search_code} tool returns (the passages of the file ranking's
 * first {@code --hits} files, each passage its location and first lines, as {@code SearchCodeTool}
 * renders them), (2)
 * whole-file stuffing of the same ranking's top files, and (3) grep: the lines containing a query word
 * of the files that contain the most query words. For each it reports the tokens used and the share
 * of them that belong to relevant files (context precision), and how many queries got any relevant
 * token. Tokens are estimated as characters / 4. The last line is one JSON object.
 */
@Command(
        name = "context",
        description =
                "Measure context precision: the share of tokens search puts in a droid's context that belong to relevant files.")
public final class BenchContextCommand implements Callable<Integer> {
    private static final String REPO = "corpus";
    private static final int SNIPPET_LINES = 8;
    private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{2,}");
    private static final Set<String> STOP = Set.of(
            "the", "and", "for", "with", "that", "this", "from", "when", "not", "are", "was", "use", "into", "should",
            "can", "its", "has", "have", "been", "but", "all", "any", "our", "via", "per", "see");

    @Spec
    CommandSpec spec;

    @Option(
            names = "--index",
            required = true,
            paramLabel = "DIR",
            description = "an index of the corpus, repo name \"corpus\"")
    Path index;

    @Option(
            names = "--corpus",
            required = true,
            paramLabel = "DIR",
            description = "the indexed folder (files are read from here)")
    Path corpus;

    @Option(names = "--set", paramLabel = "FILE.json", description = "a benchmark set (its queries)")
    @Nullable
    Path set;

    @Option(
            names = "--queries",
            paramLabel = "FILE.jsonl",
            description = "one {\"id\",\"query\",\"relevant\"} per line")
    @Nullable
    Path queriesFile;

    @Option(
            names = "--budget",
            paramLabel = "TOKENS",
            defaultValue = "8000",
            description = "context budget in tokens (default 8000)")
    int budget;

    @Option(names = "--max-queries", paramLabel = "N", description = "use only the first N queries")
    int maxQueries;

    @Option(
            names = "--hits",
            paramLabel = "N",
            defaultValue = "8",
            description = "files asked of search_code (its limit: default 8, at most 30)")
    int hits;

    /** Tokens used and tokens in relevant files, summed over queries; queries with any relevant token. */
    private static final class Tally {
        long tokens;
        long relevant;
        int answered;
        double shareSum;

        void add(long used, long inRelevant) {
            tokens += used;
            relevant += inRelevant;
            answered += inRelevant > 0 ? 1 : 0;
            shareSum += used == 0 ? 0 : (double) inRelevant / used;
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Query> queries = queries();
        if (hits < 1 || hits > 30) {
            throw new CliException("--hits must be between 1 and 30", CliExit.USAGE);
        }
        if (budget < 100) {
            throw new CliException("--budget must be at least 100 tokens", CliExit.USAGE);
        }
        long chars = (long) budget * 4;
        Map<String, String> files = readCorpus();
        Map<String, Set<String>> words = new HashMap<>();
        files.forEach((path, text) -> words.put(path, wordsOf(text)));
        Tally tool = new Tally();
        Tally stuffing = new Tally();
        Tally grep = new Tally();
        try (CodeSearch search = CodeSearch.open(index, null)) {
            for (Query q : queries) {
                List<Hit> passages =
                        search.passages(new SearchQuery(q.text(), Set.of(REPO), hits, SearchMode.HYBRID), 2);
                tool.add(
                        toolTokens(passages, files, q.relevant(), chars, false),
                        toolTokens(passages, files, q.relevant(), chars, true));
                List<FileHit> top = search.searchFiles(new SearchQuery(q.text(), Set.of(REPO), 50, SearchMode.HYBRID));
                long[] s = stuffed(top.stream().map(FileHit::path).toList(), files, q.relevant(), chars);
                stuffing.add(s[0], s[1]);
                long[] g = grepped(q.text(), files, words, q.relevant(), chars);
                grep.add(g[0], g[1]);
            }
        } catch (SearchException e) {
            throw new CliException(e.getMessage(), CliExit.DATA, e);
        }
        int n = queries.size();
        out.printf(
                Locale.ROOT,
                "%d queries, budget %d tokens (characters / 4), search_code asked for %d files%n",
                n,
                budget,
                hits);
        out.printf(
                Locale.ROOT,
                "%-22s %14s %16s %18s %12s%n",
                "",
                "tokens/query",
                "relevant share",
                "mean share/query",
                "answered");
        print(out, "search_code (drydock)", tool, n);
        print(out, "whole-file stuffing", stuffing, n);
        print(out, "grep", grep, n);
        double ratio = share(stuffing) == 0 ? 0 : share(tool) / share(stuffing);
        double ratioGrep = share(grep) == 0 ? 0 : share(tool) / share(grep);
        out.printf(
                Locale.ROOT,
                "relevant share, search_code / whole-file stuffing: %.2fx; / grep: %.2fx%n",
                ratio,
                ratioGrep);
        ObjectNode json = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        json.put("queries", n);
        json.put("budget_tokens", budget);
        json.put("hits", hits);
        put(json.putObject("search_code"), tool, n);
        put(json.putObject("whole_file"), stuffing, n);
        put(json.putObject("grep"), grep, n);
        json.put("share_ratio_vs_whole_file", round(ratio));
        json.put("share_ratio_vs_grep", round(ratioGrep));
        out.println(json);
        out.flush();
        return CliExit.OK;
    }

    private static double share(Tally t) {
        return t.tokens == 0 ? 0 : (double) t.relevant / t.tokens;
    }

    private static void print(PrintWriter out, String label, Tally t, int n) {
        out.printf(
                Locale.ROOT,
                "%-22s %14.0f %16.3f %18.3f %8d/%d%n",
                label,
                (double) t.tokens / n,
                share(t),
                t.shareSum / n,
                t.answered,
                n);
    }

    private static void put(ObjectNode node, Tally t, int n) {
        node.put("tokens_per_query", round((double) t.tokens / n));
        node.put("relevant_share", round(share(t)));
        node.put("mean_share_per_query", round(t.shareSum / n));
        node.put("answered", t.answered);
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    /** The tool's text (SearchCodeTool: location line, then the symbol and first lines) while it fits; its tokens (all, or in relevant files). */
    private static long toolTokens(
            List<Hit> hits, Map<String, String> files, Set<String> relevant, long maxChars, boolean onlyRelevant) {
        long used = 0;
        long counted = 0;
        for (Hit h : hits) {
            StringBuilder one =
                    new StringBuilder(REPO + ":" + h.path() + ':' + h.startLine() + '-' + h.endLine() + '\n');
            if (!h.symbol().isBlank()) {
                one.append(h.symbol()).append('\n');
            }
            String[] lines = files.getOrDefault(h.path(), "").split("\n", -1);
            for (int i = h.startLine();
                    i <= Math.min(h.endLine(), h.startLine() + SNIPPET_LINES - 1) && i <= lines.length;
                    i++) {
                one.append(i).append(": ").append(lines[i - 1]).append('\n');
            }
            one.append('\n');
            if (used > 0 && used + one.length() > maxChars) {
                break;
            }
            used += one.length();
            if (!onlyRelevant || relevant.contains(h.path())) {
                counted += one.length();
            }
        }
        return tokens(counted);
    }

    /** Whole files of the ranking while they fit (the last one cut to the budget): {tokens, tokens in relevant files}. */
    private static long[] stuffed(List<String> ranked, Map<String, String> files, Set<String> relevant, long maxChars) {
        long used = 0;
        long rel = 0;
        for (String path : ranked) {
            long size = Math.min(files.getOrDefault(path, "").length() + path.length() + 8L, maxChars - used);
            used += size;
            if (relevant.contains(path)) {
                rel += size;
            }
            if (used >= maxChars) {
                break;
            }
        }
        return new long[] {tokens(used), tokens(rel)};
    }

    /**
     * grep: files ranked by how many distinct query words they contain (ties by path), and of each the
     * lines containing a query word ({@code path:line:text}), while they fit: {tokens, tokens in relevant files}.
     */
    private static long[] grepped(
            String query,
            Map<String, String> files,
            Map<String, Set<String>> words,
            Set<String> relevant,
            long maxChars) {
        Set<String> terms = new LinkedHashSet<>();
        Matcher m = WORD.matcher(query);
        while (m.find() && terms.size() < 32) {
            String w = m.group().toLowerCase(Locale.ROOT);
            if (!STOP.contains(w)) {
                terms.add(w);
            }
        }
        if (terms.isEmpty()) {
            return new long[] {0, 0};
        }
        Map<String, Integer> count = new HashMap<>();
        words.forEach((path, present) -> {
            int c = 0;
            for (String t : terms) {
                if (present.contains(t)) {
                    c++;
                }
            }
            if (c > 0) {
                count.put(path, c);
            }
        });
        List<String> ranked = new ArrayList<>(count.keySet());
        ranked.sort(
                Comparator.comparing((String p) -> -count.getOrDefault(p, 0)).thenComparing(Comparator.naturalOrder()));
        long used = 0;
        long rel = 0;
        for (String path : ranked) {
            String[] lines = files.getOrDefault(path, "").split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (!wordsOf(lines[i]).stream().anyMatch(terms::contains)) {
                    continue;
                }
                long size = path.length() + 8L + lines[i].length();
                if (used + size > maxChars) {
                    return new long[] {tokens(used), tokens(rel)};
                }
                used += size;
                if (relevant.contains(path)) {
                    rel += size;
                }
            }
        }
        return new long[] {tokens(used), tokens(rel)};
    }

    private static Set<String> wordsOf(String text) {
        Set<String> out = new HashSet<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            out.add(m.group().toLowerCase(Locale.ROOT));
        }
        return out;
    }

    private static long tokens(long chars) {
        return (chars + 3) / 4;
    }

    private List<Query> queries() {
        List<Query> out;
        if (set != null) {
            JsonNode node = BenchRetrievalCommand.readJson(set);
            out = new ArrayList<>();
            for (JsonNode q : node.path("queries")) {
                out.add(BenchRetrievalCommand.query(q, set.toString()));
            }
        } else if (queriesFile != null) {
            out = BenchRetrievalCommand.readJsonl(queriesFile);
        } else {
            throw new CliException("give --set FILE.json or --queries FILE.jsonl", CliExit.USAGE);
        }
        if (maxQueries > 0 && out.size() > maxQueries) {
            out = out.subList(0, maxQueries);
        }
        if (out.isEmpty()) {
            throw new CliException("no queries to run");
        }
        return out;
    }

    /** Every indexed-looking text file of the corpus, by path relative to it. */
    private Map<String, String> readCorpus() {
        if (!Files.isDirectory(corpus)) {
            throw new CliException("corpus folder not found: " + corpus, CliExit.USAGE);
        }
        Map<String, String> out = new HashMap<>();
        try (Stream<Path> walk = Files.walk(corpus)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                String rel = corpus.relativize(p).toString().replace('\\', '/');
                if (Files.size(p) <= 1 << 20 && !rel.startsWith(".git/")) {
                    out.put(rel, new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
