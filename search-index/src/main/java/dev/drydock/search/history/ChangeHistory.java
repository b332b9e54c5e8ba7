package dev.drydock.search.history;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.util.io.DisabledOutputStream;

/**
 * Change signals from the history that ends at the indexed commit (never later): a recency-weighted
 * change count per file and the files most often changed together with it.
 *
 * @param recency per path: Σ exp(-age / {@link #HALF_LIFE_COMMITS}) over the commits that changed it
 * @param coChanged per path: other paths changed in the same small commits, most frequent first
 */
public record ChangeHistory(Map<String, Double> recency, Map<String, List<String>> coChanged) {
    /** Commits read, newest first. */
    public static final int MAX_COMMITS = 400;
    /** Commits touching more files are refactors, not signals. */
    public static final int MAX_FILES_PER_COMMIT = 12;

    static final double HALF_LIFE_COMMITS = 150;
    private static final int MAX_CO_CHANGED = 8;

    public ChangeHistory {
        recency = Map.copyOf(recency);
        coChanged = Map.copyOf(coChanged);
    }

    public static ChangeHistory empty() {
        return new ChangeHistory(Map.of(), Map.of());
    }

    /** Reads the history reachable from {@code head}. */
    public static ChangeHistory mine(Repository repository, RevCommit head) throws IOException {
        Map<String, Double> recency = new HashMap<>();
        Map<String, Map<String, Integer>> pairs = new HashMap<>();
        try (RevWalk walk = new RevWalk(repository);
                DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
            diff.setRepository(repository);
            walk.markStart(walk.parseCommit(head));
            int age = 0;
            for (RevCommit commit : walk) {
                if (age >= MAX_COMMITS) {
                    break;
                }
                if (commit.getParentCount() != 1) {
                    continue;
                }
                List<String> paths = CommitPaths.of(diff, commit, MAX_FILES_PER_COMMIT);
                age++;
                if (paths.isEmpty() || paths.size() > MAX_FILES_PER_COMMIT) {
                    continue;
                }
                double weight = Math.exp(-age / HALF_LIFE_COMMITS);
                for (String path : paths) {
                    recency.merge(path, weight, Double::sum);
                    for (String other : paths) {
                        if (!other.equals(path)) {
                            pairs.computeIfAbsent(path, p -> new HashMap<>()).merge(other, 1, Integer::sum);
                        }
                    }
                }
            }
        }
        Map<String, List<String>> coChanged = new HashMap<>();
        pairs.forEach((path, counts) -> {
            List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
            sorted.sort(
                    Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
            coChanged.put(
                    path,
                    sorted.stream().limit(MAX_CO_CHANGED).map(Map.Entry::getKey).toList());
        });
        return new ChangeHistory(recency, coChanged);
    }

    /** One line per path: {@code path \t recency \t co1 \u001f co2 ...}. */
    public String serialize() {
        StringBuilder out = new StringBuilder();
        Map<String, Boolean> paths = new LinkedHashMap<>();
        recency.keySet().forEach(p -> paths.put(p, true));
        for (String path : paths.keySet()) {
            out.append(path)
                    .append('\t')
                    .append(recency.get(path))
                    .append('\t')
                    .append(String.join("\u001f", coChanged.getOrDefault(path, List.of())))
                    .append('\n');
        }
        return out.toString();
    }

    public static ChangeHistory parse(String text) {
        Map<String, Double> recency = new HashMap<>();
        Map<String, List<String>> coChanged = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] parts = line.split("\t", -1);
            if (parts.length == 3) {
                recency.put(parts[0], Double.parseDouble(parts[1]));
                if (!parts[2].isEmpty()) {
                    coChanged.put(parts[0], List.of(parts[2].split("\u001f")));
                }
            }
        }
        return new ChangeHistory(recency, coChanged);
    }
}
