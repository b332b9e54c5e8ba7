package dev.drydock.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.server.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchRetrievalCommandTest {
    @TempDir
    Path dir;

    @Test
    void shouldReportQualityAndTimedLatencyWhenALexicalCorpusIsBenchmarked() throws Exception {
        // Given a two-file corpus and one query per file
        Path queries = corpusWithQueries();

        // When
        CliRun run = CliRun.of(
                "bench",
                "retrieval",
                "--corpus",
                dir.resolve("corpus").toString(),
                "--queries",
                queries.toString(),
                "--no-vectors",
                "--latency-passes",
                "2",
                "--cache",
                dir.resolve("cache").toString());

        // Then
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("(2 timed passes after a warm-up pass)");
        String[] lines = run.out().strip().split("\n");
        JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(json.get("hybrid").get("recall@10").asDouble()).isEqualTo(1.0);
        assertThat(json.get("query_ms_p99").asDouble()).isPositive();
    }

    @Test
    void shouldRefuseWhenNoTimedPassIsAsked() throws Exception {
        // Given
        Path queries = corpusWithQueries();

        // When
        CliRun run = CliRun.of(
                "bench",
                "retrieval",
                "--corpus",
                dir.resolve("corpus").toString(),
                "--queries",
                queries.toString(),
                "--no-vectors",
                "--latency-passes",
                "0",
                "--cache",
                dir.resolve("cache").toString());

        // Then
        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).contains("--latency-passes must be at least 1");
    }

    private Path corpusWithQueries() throws Exception {
        Path corpus = Files.createDirectories(dir.resolve("corpus/src"));
        Files.writeString(
                corpus.resolve("InvoiceParser.java"), "class InvoiceParser { void parseInvoiceLines() {} }\n");
        Files.writeString(corpus.resolve("MailSender.java"), "class MailSender { void sendWelcomeMail() {} }\n");
        return Files.writeString(dir.resolve("queries.jsonl"), """
                {"id": "1", "query": "Parse invoice lines", "relevant": ["src/InvoiceParser.java"]}
                {"id": "2", "query": "Send the welcome mail", "relevant": ["src/MailSender.java"]}
                """);
    }
}
