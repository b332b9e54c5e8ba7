package dev.drydock.search.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.search.CodeIndexer;
import dev.drydock.search.CodeSearch;
import dev.drydock.search.IndexProgress;
import dev.drydock.search.IndexRequest;
import dev.drydock.search.lookup.Mention.Kind;
import dev.drydock.search.lookup.Mention.Match;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MentionIndexTest {
    @TempDir
    Path tmp;

    private static MentionIndex sample() {
        List<String[]> paths = List.of(
                new String[] {
                    "kafka", "clients/src/main/java/org/apache/kafka/clients/producer/internals/RecordAccumulator.java"
                },
                new String[] {"kafka", "clients/src/main/java/org/apache/kafka/common/record/Records.java"},
                new String[] {"kafka", "clients/src/main/java/org/apache/kafka/common/record/MemoryRecords.java"},
                new String[] {"kafka", "core/src/main/scala/kafka/server/ReplicaManager.scala"},
                new String[] {"other", "src/RecordSecrets.java"});
        Map<String, Set<String>> symbols = Map.of(
                "kafka\0RecordAccumulator", new TreeSet<>(Set.of(paths.get(0)[1])),
                "kafka\0Records", new TreeSet<>(Set.of(paths.get(1)[1])),
                "kafka\0readRecords", new TreeSet<>(Set.of(paths.get(2)[1])),
                "other\0RecordSecrets", new TreeSet<>(Set.of(paths.get(4)[1])));
        return MentionIndex.of(new TreeSet<>(Set.of("kafka", "other")), paths, symbols);
    }

    @Test
    void shouldRankExactThenPrefixBeforeFuzzyWhenQueryIsAName() {
        // Given
        MentionIndex index = sample();

        // When
        List<Mention> found = index.lookup("@records", Set.of("kafka"), 10);

        // Then
        assertThat(found).extracting(Mention::match).isSortedAccordingTo(java.util.Comparator.naturalOrder());
        assertThat(found.get(0).match()).isEqualTo(Match.EXACT);
        assertThat(found.subList(0, 2))
                .extracting(Mention::text)
                .containsExactlyInAnyOrder(
                        "@kafka:clients/src/main/java/org/apache/kafka/common/record/Records.java", "@Records");
        assertThat(found)
                .filteredOn(m -> m.match() == Match.FUZZY)
                .extracting(Mention::text)
                .contains(
                        "@readRecords",
                        "@kafka:clients/src/main/java/org/apache/kafka/common/record/MemoryRecords.java");
    }

    @Test
    void shouldNeverReturnUnreadableRepositoriesWhenTheyMatchBetter() {
        // Given
        MentionIndex index = sample();

        // When
        List<Mention> found = index.lookup("Record", Set.of("kafka"), 50);

        // Then
        assertThat(found).isNotEmpty().extracting(Mention::repo).containsOnly("kafka");
        assertThat(found).noneMatch(m -> m.path().contains("RecordSecrets"));
    }

    @Test
    void shouldMatchPathsByPrefixAndFuzzilyWhenQueryHasASlash() {
        // Given
        MentionIndex index = sample();

        // When
        List<Mention> found = index.lookup("core/src", Set.of("kafka", "other"), 5);
        List<Mention> fuzzy = index.lookup("kafka:clnts/recacc", Set.of("kafka", "other"), 5);

        // Then
        assertThat(found.get(0).path()).isEqualTo("core/src/main/scala/kafka/server/ReplicaManager.scala");
        assertThat(found.get(0).match()).isEqualTo(Match.PATH_PREFIX);
        assertThat(fuzzy)
                .extracting(Mention::kind, Mention::match)
                .first()
                .isEqualTo(org.assertj.core.groups.Tuple.tuple(Kind.PATH, Match.FUZZY));
        assertThat(fuzzy.get(0).path()).endsWith("RecordAccumulator.java");
    }

    @Test
    void shouldEqualTheReferenceScanWhenQueriesAreRandom() throws IOException {
        // Given
        Path repo = tmp.resolve("repo");
        Random random = new Random(42);
        String[] words = {
            "Record", "Accumulator", "Replica", "Manager", "Fetch", "Session", "Log", "Cleaner", "Topic", "Partition"
        };
        for (int i = 0; i < 60; i++) {
            String type = words[random.nextInt(words.length)] + words[random.nextInt(words.length)] + i;
            Path file = repo.resolve("mod" + (i % 4) + "/src/" + type + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, "package p;\npublic class " + type + " {\n    void fetch" + (i % 7) + "() {}\n}\n");
        }
        Path indexDir = tmp.resolve("index");
        new CodeIndexer(indexDir, null).index(IndexRequest.of(repo, "repo"), false, IndexProgress.NONE);
        List<String> queries = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String word = words[random.nextInt(words.length)].toLowerCase();
            queries.add(
                    switch (i % 4) {
                        case 0 -> word.substring(0, 1 + random.nextInt(word.length()));
                        case 1 -> word.charAt(0) + word.substring(2, Math.min(word.length(), 5));
                        case 2 -> "mod" + random.nextInt(4) + "/src/" + word.substring(0, 2);
                        default -> "repo:" + word.substring(0, 3) + "ac";
                    });
        }

        // When
        List<Boolean> same = new ArrayList<>();
        try (CodeSearch search = CodeSearch.open(indexDir, null)) {
            MentionIndex index = search.mentions();
            for (String q : queries) {
                same.add(index.lookup(q, Set.of("repo"), 8).equals(index.scan(q, Set.of("repo"), 8)));
            }
        }

        // Then
        assertThat(same).containsOnly(true);
    }
}
