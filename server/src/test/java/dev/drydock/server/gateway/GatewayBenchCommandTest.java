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
        int exit = run("bench", "gateway", "--requests", "5", "--concurrency", "4", "--chunks", "3", "--rounds", "1", "--prompt-kb", "16");

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
    void shouldNameTheChoicesWhenSideIsUnknown() {
        // When
        int exit = run("bench", "gateway", "--side", "sideways");

        // Then
        assertThat(exit).isNotEqualTo(CliExit.OK);
        assertThat(err.toString()).contains("'sideways' is not a side; use both, direct or gateway");
    }
}
