package dev.drydock.search.graph;

import dev.drydock.search.index.IndexSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;

/**
 * Which files declare which type names, and which type names each file uses: a file-level
 * definition/reference graph, loaded from the stored fields of the file documents.
 */
public final class SymbolGraph {
    /** A function name declared in more files than this is too common to point anywhere. */
    private static final int MAX_FUNCTION_DEFINERS = 3;

    private final Map<String, List<String>> definers;
    private final Map<String, List<String>> functionDefiners;
    private final Map<String, List<String>> references;
    private final Map<String, List<String>> referrers;
    /** Files per repo and file name: {@code repo + '\0' + name} → count. */
    private final Map<String, Integer> fileNames = new HashMap<>();

    private SymbolGraph(
            Map<String, List<String>> definers,
            Map<String, List<String>> functionDefiners,
            Map<String, List<String>> references,
            Map<String, List<String>> referrers) {
        this.definers = definers;
        this.functionDefiners = functionDefiners;
        this.references = references;
        this.referrers = referrers;
        for (String key : references.keySet()) {
            fileNames.merge(key.substring(0, key.indexOf('\0') + 1) + NameRelations.fileName(key), 1, Integer::sum);
        }
    }

    public static SymbolGraph load(IndexSearcher searcher) throws IOException {
        TermQuery files = new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_FILE));
        int count = Math.max(1, searcher.count(files));
        TopDocs top = searcher.search(files, count);
        StoredFields stored = searcher.storedFields();
        Map<String, List<String>> definers = new HashMap<>();
        Map<String, List<String>> references = new HashMap<>();
        Map<String, List<String>> functionDefiners = new HashMap<>();
        for (ScoreDoc sd : top.scoreDocs) {
            Document doc = stored.document(sd.doc);
            String key = IndexSchema.key(doc.get(IndexSchema.REPO), doc.get(IndexSchema.PATH));
            for (String type : split(doc.get(IndexSchema.TYPES))) {
                definers.computeIfAbsent(type, t -> new ArrayList<>(1)).add(key);
            }
            references.put(key, split(doc.get(IndexSchema.REFS)));
            for (String function : split(doc.get(IndexSchema.FUNCTIONS))) {
                functionDefiners
                        .computeIfAbsent(function, f -> new ArrayList<>(1))
                        .add(key);
            }
        }
        Map<String, List<String>> referrers = new HashMap<>();
        references.forEach((file, refs) -> {
            for (String ref : refs) {
                List<String> defs = definers.get(ref);
                if (defs != null && defs.size() <= 3) {
                    for (String def : defs) {
                        if (!def.equals(file)) {
                            referrers
                                    .computeIfAbsent(def, d -> new ArrayList<>())
                                    .add(file);
                        }
                    }
                }
            }
        });
        functionDefiners.values().removeIf(defs -> defs.size() > MAX_FUNCTION_DEFINERS);
        return new SymbolGraph(definers, functionDefiners, references, referrers);
    }

    private static List<String> split(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return List.of(value.trim().split(" +"));
    }

    private static boolean readable(String key, Set<String> repos) {
        return repos.contains(key.substring(0, key.indexOf('\0')));
    }

    /**
     * How many files of the readable {@code repos} have the file name {@code name} (the last path
     * segment). Files of other repos are not counted, so they cannot change a ranking.
     */
    public int filesNamed(String name, Set<String> repos) {
        int count = 0;
        for (String repo : repos) {
            count += fileNames.getOrDefault(repo + '\0' + name, 0);
        }
        return count;
    }

    /** True when {@code key} (repo + '\0' + path) is a file of the index. */
    public boolean hasFile(String key) {
        return references.containsKey(key);
    }

    /**
     * Files (keys) declaring any of {@code names} as a type, then files declaring them as a
     * function (only names declared in at most {@value #MAX_FUNCTION_DEFINERS} files), in the
     * order of the names.
     */
    public List<String> definingFiles(List<String> names, Set<String> repos) {
        Set<String> out = new LinkedHashSet<>();
        for (Map<String, List<String>> index : List.of(definers, functionDefiners)) {
            for (String name : names) {
                for (String key : index.getOrDefault(name, List.of())) {
                    if (readable(key, repos)) {
                        out.add(key);
                    }
                }
            }
        }
        return new ArrayList<>(out);
    }

    /**
     * One-hop neighbours of the seed files: files declaring types the seeds use, and files using
     * types the seeds declare. Each neighbour scores the sum of 1/(rank of seed) over its seeds.
     */
    public List<String> neighbours(List<String> seeds, Set<String> repos, int maxPerSeed) {
        Map<String, Double> scores = new LinkedHashMap<>();
        Set<String> seedSet = Set.copyOf(seeds);
        for (int i = 0; i < seeds.size(); i++) {
            String seed = seeds.get(i);
            double weight = 1.0 / (i + 1);
            Set<String> near = new LinkedHashSet<>();
            for (String ref : references.getOrDefault(seed, List.of())) {
                List<String> defs = definers.get(ref);
                if (defs != null && defs.size() <= 3) {
                    near.addAll(defs);
                }
            }
            List<String> users = referrers.getOrDefault(seed, List.of());
            if (users.size() <= 50) {
                near.addAll(users);
            }
            int taken = 0;
            for (String n : near) {
                if (!seedSet.contains(n) && readable(n, repos) && taken++ < maxPerSeed) {
                    scores.merge(n, weight, Double::sum);
                }
            }
        }
        List<Map.Entry<String, Double>> entries = new ArrayList<>(scores.entrySet());
        entries.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        List<String> out = new ArrayList<>(entries.size());
        entries.forEach(e -> out.add(e.getKey()));
        return out;
    }
}
