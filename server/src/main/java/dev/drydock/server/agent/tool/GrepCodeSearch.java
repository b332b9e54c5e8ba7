package dev.drydock.server.agent.tool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Code search without an index: the query's words are grepped in the workspace and files are ranked
 * by how many distinct words they contain, then by matches. Used when no search index covers the repo.
 */
public final class GrepCodeSearch implements CodeSearchPort {
    private final Workspace workspace;
    private final String repo;

    public GrepCodeSearch(Workspace workspace, String repo) {
        this.workspace = workspace;
        this.repo = repo;
    }

    @Override
    public List<Hit> search(String query, int limit) {
        Set<String> words = new LinkedHashSet<>();
        for (String w : query.split("[^A-Za-z0-9_]+")) {
            if (w.length() >= 3) {
                words.add(w.toLowerCase(Locale.ROOT));
            }
        }
        if (words.isEmpty()) {
            return List.of();
        }
        String pattern = String.join("|", words);
        Workspace.CommandResult r = workspace.run(
                "grep -rnIiE --exclude-dir=.git -e " + Schemas.shellQuote(pattern) + " . | head -n 2000",
                Duration.ofSeconds(30));
        Map<String, List<String[]>> byFile = new LinkedHashMap<>();
        for (String line : r.output().split("\n")) {
            String[] parts = line.split(":", 3);
            if (parts.length == 3 && parts[1].matches("\\d+")) {
                byFile.computeIfAbsent(parts[0].replaceFirst("^\\./", ""), k -> new ArrayList<>())
                        .add(parts);
            }
        }
        List<Map.Entry<String, List<String[]>>> ranked = new ArrayList<>(byFile.entrySet());
        Comparator<Map.Entry<String, List<String[]>>> byWords =
                Comparator.comparingLong(e -> distinct(e.getValue(), words));
        ranked.sort(
                byWords.thenComparingInt(e -> e.getValue().size()).reversed().thenComparing(Map.Entry::getKey));
        List<Hit> hits = new ArrayList<>();
        for (Map.Entry<String, List<String[]>> e : ranked.subList(0, Math.min(limit, ranked.size()))) {
            List<String[]> lines = e.getValue();
            StringBuilder snippet = new StringBuilder();
            lines.stream()
                    .limit(5)
                    .forEach(p -> snippet.append(p[1])
                            .append(": ")
                            .append(p[2].strip())
                            .append('\n'));
            hits.add(new Hit(
                    repo,
                    e.getKey(),
                    Integer.parseInt(lines.getFirst()[1]),
                    Integer.parseInt(lines.getLast()[1]),
                    snippet.toString()));
        }
        return hits;
    }

    private static long distinct(List<String[]> lines, Set<String> words) {
        return words.stream()
                .filter(w -> lines.stream()
                        .anyMatch(p -> p[2].toLowerCase(Locale.ROOT).contains(w)))
                .count();
    }
}
