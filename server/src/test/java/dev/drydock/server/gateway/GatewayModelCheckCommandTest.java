package dev.drydock.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.cli.CliExit;
import dev.drydock.cli.DrydockCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GatewayModelCheckCommandTest {
    private final ScriptedModelServer server = new ScriptedModelServer();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void stop() {
        server.close();
    }

    private int run(String... args) {
        CommandLine cli = DrydockCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void shouldPrintOneLinePerCapabilityAndJsonSummaryLast() {
        // Given: completion, streaming, a native tool call, a JSON answer
        server.then(ScriptedModelServer.whole("Hello"), ScriptedModelServer.stream("1 ", "2 ", "3"),
                new ScriptedModelServer.ToolCallStream("get_time", "{\"zone\":\"UTC\"}"), ScriptedModelServer.whole("{\"ok\": true}"));

        // When
        int exit = run("model", "check", server.baseUrl());

        // Then
        List<String> lines = out.toString().strip().lines().toList();
        assertThat(exit).as(err.toString()).isEqualTo(CliExit.OK);
        assertThat(lines).anyMatch(l -> l.matches("models\\s+ok \\(1: scripted-model\\)"))
                .anyMatch(l -> l.matches("completion\\s+ok"))
                .anyMatch(l -> l.matches("streaming\\s+ok"))
                .anyMatch(l -> l.matches("ttft\\s+\\d+ ms"))
                .anyMatch(l -> l.matches("tools\\s+ok"))
                .anyMatch(l -> l.matches("json-mode\\s+ok"));
        assertThat(lines.getLast()).startsWith("{").contains("\"model\":\"scripted-model\"").contains("\"tools\":\"ok\"").contains("\"ok\":true");
    }

    @Test
    void shouldReportMissingAndErrorsWhenServerLacksCapabilities() {
        // Given: streaming answered in one piece, no tool call, prose instead of JSON
        server.then(ScriptedModelServer.whole("Hello"), ScriptedModelServer.whole("1 2 3"), ScriptedModelServer.whole("It is noon."),
                ScriptedModelServer.html());

        // When
        int exit = run("model", "check", server.baseUrl(), "--model", "scripted-model");

        // Then
        String text = out.toString();
        assertThat(exit).isEqualTo(CliExit.OK);
        assertThat(text).contains("streaming   missing").contains("tools       missing").contains("json-mode   error: ");
        assertThat(text.strip().lines().reduce((a, b) -> b).orElseThrow()).contains("\"streaming\":\"missing (the answer came in one piece)\"");
    }

    @Test
    void shouldRefuseHostOutsideAllowListUnlessAllowed() {
        // When
        int refused = run("model", "check", "http://models.example.invalid:8000/v1");

        // Then
        assertThat(refused).isEqualTo(CliExit.UNAVAILABLE);
        assertThat(err.toString()).contains("not in the egress allow-list").contains("--allow models.example.invalid");
    }
}
