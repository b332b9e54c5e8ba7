package dev.drydock.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.cli.CliExit;
import dev.drydock.server.testing.CliRun;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs {@code bench gateway} at a tiny size: it must stream through both sides without errors and end with its JSON line. */
class GatewayBenchCommandTest {

    @Test
    void shouldStreamThroughBothSidesWithoutErrorsAndPrintJsonLast() throws Exception {
        // When: a droid-sized prompt, so that DLP, the fingerprint and the token estimate run on real work
        CliRun run = CliRun.of(
                "bench",
                "gateway",
                "--forks",
                "0",
                "--warmup-seconds",
                "0",
                "--requests",
                "5",
                "--concurrency",
                "4",
                "--chunks",
                "3",
                "--rounds",
                "1",
                "--prompt-kb",
                "16");

        // Then
        List<String> lines = run.out().strip().lines().toList();
        assertThat(run.exit()).as(run.err()).isEqualTo(CliExit.OK);
        JsonNode summary = new ObjectMapper().readTree(lines.getLast());
        assertThat(summary.path("promptKb").asInt()).isEqualTo(16);
        for (String c : List.of("c1", "c4")) {
            assertThat(summary.path(c).path("directErrors").asInt()).as(c).isZero();
            assertThat(summary.path(c).path("gatewayErrors").asInt()).as(c).isZero();
            assertThat(summary.path(c).path("gatewayP50Ms").asDouble()).as(c).isPositive();
            assertThat(summary.path(c).path("gatewayJitMicrosPerStream").asLong())
                    .as(c + ": the compiler threads' share, read from /proc")
                    .isNotNegative()
                    .isLessThanOrEqualTo(
                            summary.path(c).path("gatewayCpuMicrosPerStream").asLong());
        }
        assertThat(summary.path("recordsWritten").asLong())
                .as("one accounting record per gateway stream")
                .isPositive();
    }

    @Test
    void shouldRunEachSideInItsOwnJvmAndReportTheirMeansWhenForked() throws Exception {
        // When
        CliRun run = CliRun.of(
                "bench",
                "gateway",
                "--forks",
                "1",
                "--warmup-seconds",
                "0",
                "--requests",
                "3",
                "--concurrency",
                "2",
                "--chunks",
                "2",
                "--rounds",
                "1");

        // Then: one line per fork and side, then the summary
        List<String> lines = run.out().strip().lines().toList();
        assertThat(run.exit()).as(run.err()).isEqualTo(CliExit.OK);
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
        CliRun run = CliRun.of("bench", "gateway", "--concurrency", "0");

        // Then
        assertThat(run.exit()).isEqualTo(CliExit.USAGE);
        assertThat(run.err()).contains("--concurrency");
    }

    @Test
    void shouldNameTheChoicesWhenSideIsUnknown() {
        // When
        CliRun run = CliRun.of("bench", "gateway", "--side", "sideways");

        // Then
        assertThat(run.exit()).isNotEqualTo(CliExit.OK);
        assertThat(run.err()).contains("'sideways' is not a side; use both, direct or gateway");
    }

    @Test
    void shouldNameTheChoicesWhenModeIsUnknown() {
        // When
        CliRun run = CliRun.of("bench", "gateway", "--mode", "v2");

        // Then
        assertThat(run.exit()).isNotEqualTo(CliExit.OK);
        assertThat(run.err()).contains("'v2' is not a mode; use core or v1");
    }

    @Test
    void shouldSayWhatIsMissingWhenV1ModeRunsWithoutAKeycloakDistribution() {
        // Given no DRYDOCK_KEYCLOAK_ZIP in this JVM's environment (the launcher sets it for --mode v1)
        assertThat(System.getenv("DRYDOCK_KEYCLOAK_ZIP")).isNull();

        // When
        CliRun run = CliRun.of("bench", "gateway", "--mode", "v1");

        // Then
        assertThat(run.exit()).isEqualTo(CliExit.UNAVAILABLE);
        assertThat(run.err()).contains("no Keycloak distribution").doesNotContain("Exception");
    }
}
