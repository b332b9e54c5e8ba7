package dev.drydock.search.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkerTest {
    private final Chunker chunker = new Chunker(5, 12);
    private final Chunker windows = new Chunker(8, 12);

    @Test
    void shouldCutJavaAlongMethodsWithEnclosingSymbolsWhenClassIsLarge() {
        // Given
        String java = """
                package a;

                /** Parses headers. */
                public class HeaderParser {
                    private final String name = "{ not a brace }";

                    /** Parses one line. */
                    @SuppressWarnings("unchecked")
                    public Header parseLine(String line) {
                        if (line.isEmpty()) {
                            return null;
                        }
                        return new Header(line);
                    }

                    public static <T> List<T> splitValues(String value) {
                        // a comment with { brace
                        return List.of();
                    }

                    record Header(String raw) {
                    }
                }
                """;

        // When
        ParsedFile parsed = chunker.parse("java", java);

        // Then
        assertThat(parsed.types()).containsExactly("HeaderParser", "Header");
        assertThat(parsed.functions()).containsExactly("parseLine", "splitValues");
        assertThat(parsed.chunks())
                .extracting(Chunk::symbol)
                .contains("HeaderParser.parseLine", "HeaderParser.splitValues");
        Chunk parseLine = parsed.chunks().stream()
                .filter(c -> c.symbol().equals("HeaderParser.parseLine"))
                .findFirst()
                .orElseThrow();
        assertThat(parseLine.startLine()).isEqualTo(7);
        assertThat(parseLine.endLine()).isEqualTo(14);
        assertThat(parseLine.defines()).containsExactly("parseLine");
        assertThat(parseLine.text()).contains("/** Parses one line. */");
    }

    @Test
    void shouldCoverEveryNonBlankLineWhenChunking() {
        // Given
        StringBuilder go = new StringBuilder("package main\n\ntype Server struct {\n\tname string\n}\n\n");
        for (int i = 0; i < 6; i++) {
            go.append("func (s *Server) Handle").append(i).append("(w Writer) error {\n\treturn nil\n}\n\n");
        }

        // When
        ParsedFile parsed = chunker.parse("go", go.toString());

        // Then
        assertThat(parsed.types()).containsExactly("Server");
        assertThat(parsed.functions()).hasSize(6).contains("Handle0", "Handle5");
        String[] lines = go.toString().split("\n");
        for (int line = 1; line <= lines.length; line++) {
            int l = line;
            if (!lines[line - 1].isBlank()) {
                assertThat(parsed.chunks())
                        .as("line %d covered", l)
                        .anyMatch(c -> c.startLine() <= l && l <= c.endLine());
            }
        }
    }

    @Test
    void shouldUseIndentationWhenLanguageIsPython() {
        // Given
        String python = """
                import os

                class Loader:
                    def load(self, path):
                        return open(path)

                    @staticmethod
                    def close():
                        pass

                def main():
                    Loader().load("x")
                """;

        // When
        ParsedFile parsed = new Chunker(3, 4).parse("python", python);

        // Then
        assertThat(parsed.types()).containsExactly("Loader");
        assertThat(parsed.functions()).containsExactly("load", "close", "main");
        assertThat(parsed.chunks()).extracting(Chunk::symbol).contains("Loader.load", "Loader.close", "main");
        Chunk close = parsed.chunks().stream()
                .filter(c -> c.symbol().equals("Loader.close"))
                .findFirst()
                .orElseThrow();
        assertThat(close.startLine()).isEqualTo(7);
    }

    @Test
    void shouldFallBackToLineWindowsWhenLanguageHasNoParser() {
        // Given
        StringBuilder yaml = new StringBuilder();
        for (int i = 1; i <= 20; i++) {
            yaml.append("key").append(i).append(": value\n");
        }

        // When
        List<Chunk> chunks = windows.parse("yaml", yaml.toString()).chunks();

        // Then
        assertThat(chunks).extracting(Chunk::startLine).containsExactly(1, 9, 17);
        assertThat(chunks).extracting(Chunk::endLine).containsExactly(8, 16, 20);
    }

    @Test
    void shouldReturnNoChunksWhenFileIsEmpty() {
        // Given
        String empty = "";

        // When
        ParsedFile parsed = chunker.parse("java", empty);

        // Then
        assertThat(parsed.chunks()).isEmpty();
    }
}
