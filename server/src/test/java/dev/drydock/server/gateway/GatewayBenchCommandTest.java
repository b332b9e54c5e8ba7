package dev.drydock.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.cli.CliExit;
import dev.drydock.cli.DrydockCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Runs {@code bench gateway} at a tiny size: it must stream through both sides without errors and end with its JSON line. */
class GatewayBenchCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = DrydockCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void shouldStreamThroughBothSidesWithoutErrorsAndPrintJsonLast() throws Exception {
        // When: a droid-sized prompt, so that DLP, the fingerprint and the token estimate run on real work
        int exit = run("bench", "gateway", "--forks", "0", "--requests", "5", "--concurrency", "4", "--chunks", "3", "--rounds", "1", "--prompt-kb", "16");

        // Then
        List<String> lines = out.toString().strip().lines().toList();
        assertThat(exit).as(err.toString()).isEqualTo(CliExit.OK);
        JsonNode summary = new ObjectMapper().readTree(lines.getLast());
        assertThat(summary.path("promptKb").asInt()).isEqualTo(16);
        for (String c : List.of("c1", "c4")) {
            assertThat(summary.path(c).path("directErrors").asInt()).as(c).isZero();
            assertThat(summary.path(c).path("gatewayErrors").asInt()).as(c).isZero();
            assertThat(summary.path(c).path("gatewayP50Ms").asDouble()).as(c).isPositive();
        }
        assertThat(summary.path("recordsWritten").asLong()).as("one accounting record per gateway stream").isPositive();
    }

    @Test
    void shouldRunEachSideInItsOwnJvmAndReportTheirMeansWhenForked() throws Exception {
        // When
        int exit = run("bench", "gateway", "--forks", "1", "--requests", "3", "--concurrency", "2", "--chunks", "2", "--rounds", "1");

        // Then: one line per fork and side, then the summary
        List<String> lines = out.toString().strip().lines().toList();
        assertThat(exit).as(err.toString()).isEqualTo(CliExit.OK);
        assertThat(lines).anyMatch(l -> l.startsWith("fork 1 direct ")).anyMatch(l -> l.startsWith("fork 1 gateway"));
        JsonNode summary = new ObjectMapper().readTree(lines.getLast());
        assertThat(summary.path("forks").asInt()).isEqualTo(1);
        assertThat(summary.path("c2").path("directP50Ms").asDouble()).isPositive();
        assertThat(summary.path("c2").path("gatewayP50Ms").asDouble()).isPositive();
        assertThat(summary.path("c2").path("gatewayErrors").asInt()).isZero();
        assertThat(summary.path("recordsWritten").asLong()).isPositive();
    }

    @Test
    void shouldRefuseSizesBelowOne() {
        // When
        int exit = run("bench", "gateway", "--concurrency", "0");

        // Then
        assertThat(exit).isEqualTo(CliExit.USAGE);
        assertThat(err.toString()).contains("--concurrency");
    }

    @Test
    void shouldNameTheChoicesWhenSideIsUnknown() {
        // When
        int exit = run("bench", "gateway", "--side", "sideways");

        // Then
        assertThat(exit).isNotEqualTo(CliExit.OK);
        assertThat(err.toString()).contains("'sideways' is not a side; use both, direct or gateway");
    }
}
