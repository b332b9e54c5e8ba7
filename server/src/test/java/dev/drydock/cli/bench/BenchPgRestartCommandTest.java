package dev.drydock.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchPgRestartCommandTest {
    @Test
    void shouldRefuseWithUsageExitWhenThereAreNoSessions() {
        // Given the command with zero sessions
        CommandLine cli = new CommandLine(new BenchPgRestartCommand());
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));

        // When it runs
        int exit = cli.execute("--sessions", "0", "--app", "/nonexistent/quarkus-run.jar");

        // Then it refuses before starting anything
        assertThat(exit).isEqualTo(2);
    }

    @Test
    void shouldEndWithOneJsonObjectWhenARunIsReported() throws Exception {
        // Given a run's measurements
        BenchPgRestartCommand.Result r = new BenchPgRestartCommand.Result(
                10, 10, 1560, 0, 0, 0, 156, 4, 4, 0, 0, 0, 0, 0, 10.1, 0.44, 7, 0, 61.1);

        // When it is reported
        JsonNode json = BenchServerProcesses.JSON.readTree(r.json());

        // Then the JSON carries the run's numbers and the run counts as passed
        assertThat(json.path("sessions").asInt()).isEqualTo(10);
        assertThat(json.path("problem_503_while_down").asInt()).isEqualTo(4);
        assertThat(json.path("first_append_after_back_s").asDouble()).isEqualTo(0.44);
        assertThat(r.ok()).isTrue();
        assertThat(r.report()).contains("lost 0, duplicated 0");
    }
}
