package dev.drydock.search.lookup;

import dev.drydock.search.index.IndexSchema;
import dev.drydock.search.lookup.Mention.Kind;
import dev.drydock.search.lookup.Mention.Match;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.jspecify.annotations.Nullable;

/**
 * Completes {@code @}-mentions over one index: its repositories, the paths of its files and the
 * names of the types and functions they declare. Built once from the index's file documents and
 * kept in memory (immutable, thread-safe).
 *
 * <p>A name (repository name, file name, symbol name) matches {@link Match#EXACT exactly} or by
 * {@link Match#PREFIX prefix}, a file also by {@link Match#PATH_PREFIX the start of its path}; every
 * mention can also match {@link Match#FUZZY fuzzily} (the query's characters in order; against the
 * path when the query holds a {@code /}). Results are ordered by match kind, then for fuzzy matches
 * by how scattered the characters are, then shorter names first. Exact and prefix matches are found
 * by binary search in sorted arrays; the fuzzy scan runs only when they do not fill the limit, and
 * skips names whose character set lacks a query character. {@link #scan} is the reference: it
 * classifies every entry and sorts them all, and gives the same list.
 */
public final class MentionIndex {
    /** Queries are cut to this many characters. */
    public static final int MAX_QUERY_CHARS = 200;

    /** One mentionable thing, with its lower-cased name and path and the character mask of both. */
    private record Entry(
            Kind kind,
            String repo,
            String path,
            @Nullable String symbol,
            int definers,
            List<String> definerPaths,
            String name,
            String lowerName,
            String lowerStem,
            String lowerPath,
            String lowerRepo,
            long nameMask,
            long pathMask) {
        Scored scored(Match match, int scatter) {
            return new Scored(this, match, scatter);
        }
    }

    /** An entry with how it matched; ordered as {@link Mention#ORDER} orders its mention, from precomputed fields. */
    private record Scored(Entry entry, Match match, int scatter) {
        Mention mention() {
            Entry e = entry;
            return new Mention(e.kind(), e.repo(), e.path(), e.symbol(), e.definers(), match, scatter);
        }
    }

    private static final Comparator<Scored> ORDER = Comparator.comparingInt(
                    (Scored s) -> s.match().ordinal())
            .thenComparingInt(Scored::scatter)
            .thenComparingInt(s -> s.entry().name().length())
            .thenComparing(s -> s.entry().lowerName())
            .thenComparingInt(s -> s.entry().kind().ordinal())
            .thenComparing(s -> s.entry().name())
            .thenComparing(s -> s.entry().repo())
            .thenComparing(s -> s.entry().path());

    private final Entry[] byName;
    private final Entry[] byPath;

    private MentionIndex(List<Entry> entries) {
        this.byName = entries.toArray(Entry[]::new);
        Arrays.sort(byName, Comparator.comparing(Entry::lowerName));
        this.byPath = entries.stream()
                .filter(e -> e.kind() == Kind.PATH)
                .sorted(Comparator.comparing(Entry::lowerPath))
                .toArray(Entry[]::new);
    }

    /** Reads the index's file documents: repositories, paths, declared types and functions. */
    public static MentionIndex load(IndexSearcher searcher) throws IOException {
        TermQuery files = new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_FILE));
        TopDocs top = searcher.search(files, Math.max(1, searcher.count(files)));
        StoredFields stored = searcher.storedFields();
        Set<String> repos = new TreeSet<>();
        List<String[]> paths = new ArrayList<>();
        Map<String, TreeSet<String>> symbols = new TreeMap<>(); // repo \0 name -> defining paths
        for (ScoreDoc sd : top.scoreDocs) {
            Document doc = stored.document(sd.doc);
            String repo = doc.get(IndexSchema.REPO);
            String path = doc.get(IndexSchema.PATH);
            repos.add(repo);
            paths.add(new String[] {repo, path});
            for (String field : List.of(IndexSchema.TYPES, IndexSchema.FUNCTIONS)) {
                String value = doc.get(field);
                if (value != null && !value.isBlank()) {
                    for (String name : value.trim().split(" +")) {
                        symbols.computeIfAbsent(repo + '\0' + name, k -> new TreeSet<>())
                                .add(path);
                    }
                }
            }
        }
        return of(repos, paths, symbols);
    }

    /** For tests: an index over the given repositories, {@code repo/path} files and symbols ({@code repo\0name} → paths). */
    static MentionIndex of(Set<String> repos, List<String[]> paths, Map<String, ? extends Set<String>> symbols) {
        List<Entry> entries = new ArrayList<>();
        for (String repo : repos) {
            entries.add(entry(Kind.REPOSITORY, repo, "", null, List.of(), repo));
        }
        for (String[] file : paths) {
            String name = file[1].substring(file[1].lastIndexOf('/') + 1);
            entries.add(entry(Kind.PATH, file[0], file[1], null, List.of(file[1]), name));
        }
        symbols.forEach((key, definers) -> {
            int sep = key.indexOf('\0');
            String name = key.substring(sep + 1);
            List<String> sorted = definers.stream().sorted().toList();
            entries.add(entry(Kind.SYMBOL, key.substring(0, sep), sorted.get(0), name, sorted, name));
        });
        return new MentionIndex(entries);
    }

    private static Entry entry(
            Kind kind, String repo, String path, @Nullable String symbol, List<String> definerPaths, String name) {
        String lowerName = name.toLowerCase(Locale.ROOT);
        int dot = lowerName.lastIndexOf('.');
        String lowerPath = path.toLowerCase(Locale.ROOT);
        return new Entry(
                kind,
                repo,
                path,
                symbol,
                Math.max(1, definerPaths.size()),
                List.copyOf(definerPaths),
                name,
                lowerName,
                kind == Kind.PATH && dot > 0 ? lowerName.substring(0, dot) : lowerName,
                lowerPath,
                repo.toLowerCase(Locale.ROOT),
                mask(lowerName),
                mask(lowerPath));
    }

    /** How many mentionable entries (repositories, files and distinct symbol names per repository). */
    public int size() {
        return byName.length;
    }

    /**
     * The best {@code limit} mentions of the readable {@code repos} for {@code query} ({@code @} and
     * surrounding blanks ignored; {@code repo:rest} looks in repositories whose name starts with
     * {@code repo}).
     */
    public List<Mention> lookup(String query, Set<String> repos, int limit) {
        Query q = Query.parse(query);
        PriorityQueue<Scored> best = new PriorityQueue<>(ORDER.reversed());
        // exact and prefix matches of names: one range of the name-sorted array
        for (int i = lowerBound(byName, Entry::lowerName, q.text());
                i < byName.length && byName[i].lowerName().startsWith(q.text());
                i++) {
            offer(best, classify(byName[i], q, repos), limit);
        }
        // path prefixes of files whose name did not match
        for (int i = lowerBound(byPath, Entry::lowerPath, q.text());
                i < byPath.length && byPath[i].lowerPath().startsWith(q.text());
                i++) {
            if (!byPath[i].lowerName().startsWith(q.text())) {
                offer(best, classify(byPath[i], q, repos), limit);
            }
        }
        if (best.size() < limit && !q.text().isEmpty()) {
            for (Entry e : byName) {
                long mask = q.onPath() && e.kind() == Kind.PATH ? e.pathMask() : e.nameMask();
                if ((mask & q.mask()) == q.mask()) {
                    Scored s = classify(e, q, repos);
                    if (s != null && s.match() == Match.FUZZY) {
                        offer(best, s, limit);
                    }
                }
            }
        }
        List<Scored> out = new ArrayList<>(best);
        out.sort(ORDER);
        return out.stream().map(Scored::mention).toList();
    }

    /** The files of {@code repo} that declare a type or function named exactly {@code name} (case matters), by path. */
    public List<String> definingFiles(String name, String repo) {
        List<String> out = new ArrayList<>();
        String lower = name.toLowerCase(Locale.ROOT);
        for (int i = lowerBound(byName, Entry::lowerName, lower);
                i < byName.length && byName[i].lowerName().equals(lower);
                i++) {
            Entry e = byName[i];
            if (e.kind() == Kind.SYMBOL && e.repo().equals(repo) && name.equals(e.symbol())) {
                out.addAll(e.definerPaths());
            }
        }
        return out;
    }

    /** The reference lookup: classifies every entry, sorts all matches, keeps the first {@code limit}. */
    public List<Mention> scan(String query, Set<String> repos, int limit) {
        Query q = Query.parse(query);
        List<Scored> all = new ArrayList<>();
        for (Entry e : byName) {
            Scored s = classify(e, q, repos);
            if (s != null) {
                all.add(s);
            }
        }
        all.sort(ORDER);
        return all.subList(0, Math.min(limit, all.size())).stream()
                .map(Scored::mention)
                .toList();
    }

    private static void offer(PriorityQueue<Scored> best, @Nullable Scored s, int limit) {
        if (s == null) {
            return;
        }
        if (best.size() < limit) {
            best.add(s);
        } else if (ORDER.compare(s, best.peek()) < 0) {
            best.poll();
            best.add(s);
        }
    }

    /** The best {@code limit} of several indexes' completions, in {@link Mention#ORDER}. */
    public static List<Mention> merge(List<List<Mention>> lists, int limit) {
        return lists.stream()
                .flatMap(List::stream)
                .sorted(Mention.ORDER)
                .limit(limit)
                .toList();
    }

    private static @Nullable Scored classify(Entry e, Query q, Set<String> repos) {
        if (!repos.contains(e.repo()) || (q.repo() != null && !e.lowerRepo().startsWith(q.repo()))) {
            return null;
        }
        String t = q.text();
        if (e.lowerName().equals(t) || e.lowerStem().equals(t)) {
            return e.scored(Match.EXACT, 0);
        }
        if (e.lowerName().startsWith(t)) {
            return e.scored(Match.PREFIX, 0);
        }
        if (e.kind() == Kind.PATH && e.lowerPath().startsWith(t)) {
            return e.scored(Match.PATH_PREFIX, 0);
        }
        int scatter = scatter(t, q.onPath() && e.kind() == Kind.PATH ? e.lowerPath() : e.lowerName());
        return scatter < 0 ? null : e.scored(Match.FUZZY, scatter);
    }

    /**
     * How scattered the characters of {@code query} are in {@code text} when matched in order, leftmost
     * (the number of jumps, weighted, plus where the match starts), or -1 when they do not all occur.
     */
    static int scatter(String query, String text) {
        if (query.length() > text.length()) {
            return -1;
        }
        int at = -1;
        int jumps = 0;
        int start = -1;
        for (int i = 0; i < query.length(); i++) {
            int next = text.indexOf(query.charAt(i), at + 1);
            if (next < 0) {
                return -1;
            }
            if (start < 0) {
                start = next;
            } else if (next != at + 1) {
                jumps++;
            }
            at = next;
        }
        return jumps * 16 + Math.min(start, 15);
    }

    private static <T> int lowerBound(T[] sorted, java.util.function.Function<T, String> key, String from) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (key.apply(sorted[mid]).compareTo(from) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** One bit per letter and digit, one for everything else. */
    static long mask(String lower) {
        long m = 0;
        for (int i = 0; i < lower.length(); i++) {
            m |= bit(lower.charAt(i));
        }
        return m;
    }

    private static long bit(char c) {
        if (c >= 'a' && c <= 'z') {
            return 1L << (c - 'a');
        }
        if (c >= '0' && c <= '9') {
            return 1L << (26 + c - '0');
        }
        return 1L << 36;
    }

    /** A parsed query: lower-cased text, optional repository prefix, whether it names a path. */
    private record Query(String text, @Nullable String repo, boolean onPath, long mask) {
        static Query parse(String raw) {
            String s = raw.strip();
            if (s.startsWith("@")) {
                s = s.substring(1);
            }
            if (s.length() > MAX_QUERY_CHARS) {
                s = s.substring(0, MAX_QUERY_CHARS);
            }
            s = s.toLowerCase(Locale.ROOT);
            String repo = null;
            int colon = s.indexOf(':');
            if (colon >= 0) {
                repo = s.substring(0, colon);
                s = s.substring(colon + 1);
            }
            return new Query(s, repo, s.indexOf('/') >= 0, MentionIndex.mask(s));
        }
    }
}
