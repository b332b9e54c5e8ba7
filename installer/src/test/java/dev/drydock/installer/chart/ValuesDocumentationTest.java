package dev.drydock.installer.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** values.yaml explains every key, and values.schema.json types every key and closes every object. */
class ValuesDocumentationTest {
    private static final Pattern KEY = Pattern.compile("^(\\s*)([A-Za-z][\\w.-]*):");

    /** Keys of values.yaml as dotted paths, each with whether a comment line stands right above it. */
    record Key(String path, boolean commented) {}

    static List<Key> keys() throws IOException {
        List<String> lines = Files.readAllLines(Charts.CHART.resolve("values.yaml"));
        List<Key> keys = new ArrayList<>();
        Deque<Object[]> parents = new ArrayDeque<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = KEY.matcher(lines.get(i));
            if (!m.find()) continue;
            int indent = m.group(1).length();
            while (!parents.isEmpty() && (int) parents.peek()[0] >= indent) parents.pop();
            List<String> path = new ArrayList<>();
            parents.descendingIterator().forEachRemaining(p -> path.add((String) p[1]));
            path.add(m.group(2));
            parents.push(new Object[] {indent, m.group(2)});
            keys.add(new Key(
                    String.join(".", path), i > 0 && lines.get(i - 1).strip().startsWith("#")));
        }
        return keys;
    }

    @Test
    void shouldCommentEveryKeyWhenValuesAreRead() throws IOException {
        // Given
        List<Key> keys = keys();

        // When
        List<String> uncommented = keys.stream()
                // Inside a Kubernetes resources block (requests/limits) the key names speak for themselves.
                .filter(k -> !k.commented()
                        && !k.path().startsWith("resources.")
                        && !k.path().contains(".resources."))
                .map(Key::path)
                .toList();

        // Then
        assertThat(keys).hasSizeGreaterThan(100);
        assertThat(uncommented).isEmpty();
    }

    @Test
    void shouldTypeEveryKeyInTheSchemaWhenValuesAreRead() throws IOException {
        // Given
        JsonNode schema = new ObjectMapper()
                .readTree(Charts.CHART.resolve("values.schema.json").toFile());

        // When
        List<String> untyped = new ArrayList<>();
        for (Key k : keys()) {
            JsonNode node = schema;
            for (String part : k.path().split("\\.")) {
                JsonNode next = node.path("properties").path(part);
                node = next.isMissingNode() ? node.path("additionalProperties") : next;
            }
            if (node.isMissingNode() || !node.isObject()) untyped.add(k.path());
        }

        // Then
        assertThat(untyped).isEmpty();
        assertThat(schema.path("additionalProperties").asBoolean(true)).isFalse();
    }
}
