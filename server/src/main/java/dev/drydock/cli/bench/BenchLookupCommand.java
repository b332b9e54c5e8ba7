package dev.drydock.cli.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.cli.CliException;
import dev.drydock.cli.CliExit;
import dev.drydock.search.CodeSearch;
import dev.drydock.search.SearchException;
import dev.drydock.search.lookup.Mention;
import dev.drydock.search.lookup.MentionIndex;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./drydock bench lookup}: the latency of {@code @}-mention completion on an index, against the
 * reference scan ({@link MentionIndex#scan}: every entry classified, all matches sorted) in the same
 * run on the same queries. Queries are what a person types: every keystroke of a name's start, the
 * start of a path, and fuzzy abbreviations (every other character of a name), drawn with a seeded
 * {@link Random} from the index's own names. The last line is one JSON object.
 */
@Command(
        name = "lookup",
        description = "Measure @-mention completion latency on an index (vs a full scan in the same run).")
public final class BenchLookupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--index", required = true, paramLabel = "DIR", description = "an index built by ./drydock index")
    Path index;

    @Option(names = "--queries", paramLabel = "N", defaultValue = "2000", description = "queries per pass")
    int count;

    @Option(names = "--passes", paramLabel = "N", defaultValue = "3", description = "timed passes after a warm-up pass")
    int passes;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "10", description = "completions per query")
    int limit;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "7", description = "seed of the query draw")
    long seed;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.isDirectory(index)) {
            throw new CliException("index folder not found: " + index, CliExit.USAGE);
        }
        if (count < 1 || passes < 1 || limit < 1) {
            throw new CliException("--queries, --passes and --limit must be at least 1", CliExit.USAGE);
        }
        try (CodeSearch search = CodeSearch.open(index, null)) {
            Set<String> repos = search.repoNames();
            long t0 = System.nanoTime();
            MentionIndex mentions = search.mentions();
            double buildMs = (System.nanoTime() - t0) / 1e6;
            List<String> queries = queries(mentions.scan("", repos, Integer.MAX_VALUE), new Random(seed));
            int differ = 0;
            for (String q : queries) { // warm-up, and the check that both give the same list
                if (!mentions.lookup(q, repos, limit).equals(mentions.scan(q, repos, limit))) {
                    differ++;
                }
            }
            System.gc();
            double[] fast = new double[queries.size() * passes];
            double[] naive = new double[queries.size() * passes];
            int n = 0;
            for (int pass = 0; pass < passes; pass++) {
                for (String q : queries) {
                    long a = System.nanoTime();
                    mentions.lookup(q, repos, limit);
                    long b = System.nanoTime();
                    mentions.scan(q, repos, limit);
                    long c = System.nanoTime();
                    fast[n] = (b - a) / 1e6;
                    naive[n++] = (c - b) / 1e6;
                }
            }
            Arrays.sort(fast);
            Arrays.sort(naive);
            out.printf(
                    Locale.ROOT,
                    "index %s: %d mentionable entries (built in %.0f ms), %d queries x %d passes, limit %d%n",
                    index,
                    mentions.size(),
                    buildMs,
                    queries.size(),
                    passes,
                    limit);
            out.printf(
                    Locale.ROOT,
                    "lookup     p50 %.3f ms  p99 %.3f ms  max %.3f ms%n",
                    pct(fast, 0.5),
                    pct(fast, 0.99),
                    fast[fast.length - 1]);
            out.printf(
                    Locale.ROOT,
                    "full scan  p50 %.3f ms  p99 %.3f ms  max %.3f ms%n",
                    pct(naive, 0.5),
                    pct(naive, 0.99),
                    naive[naive.length - 1]);
            out.printf(Locale.ROOT, "queries whose lists differ: %d%n", differ);
            ObjectNode json = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
            json.put("entries", mentions.size());
            json.put("build_ms", round(buildMs));
            json.put("queries", queries.size());
            json.put("passes", passes);
            json.put("lookup_ms_p50", round(pct(fast, 0.5)));
            json.put("lookup_ms_p99", round(pct(fast, 0.99)));
            json.put("scan_ms_p50", round(pct(naive, 0.5)));
            json.put("scan_ms_p99", round(pct(naive, 0.99)));
            json.put("differing_lists", differ);
            out.println(json);
            out.flush();
            return CliExit.OK;
        } catch (SearchException e) {
            throw new CliException(e.getMessage(), CliExit.DATA, e);
        }
    }

    /** Keystrokes of names (half), path starts (a fifth), fuzzy abbreviations (the rest). */
    private List<String> queries(List<Mention> all, Random random) {
        if (all.isEmpty()) {
            throw new CliException("the index has nothing to mention", CliExit.DATA);
        }
        List<String> out = new ArrayList<>(count);
        while (out.size() < count) {
            Mention m = all.get(random.nextInt(all.size()));
            String name = m.name();
            int kind = random.nextInt(10);
            if (kind < 5) {
                for (int i = 1; i <= Math.min(name.length(), 12) && out.size() < count; i++) {
                    out.add(name.substring(0, i));
                }
            } else if (kind < 7 && !m.path().isEmpty()) {
                out.add(m.path()
                        .substring(0, 1 + random.nextInt(Math.min(m.path().length(), 40))));
            } else {
                StringBuilder abbreviation = new StringBuilder();
                for (int i = 0; i < name.length() && abbreviation.length() < 8; i += 2) {
                    abbreviation.append(name.charAt(i));
                }
                out.add(abbreviation.toString());
            }
        }
        return out;
    }

    private static double pct(double[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
