package dev.drydock.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.cli.CliExit;
import dev.drydock.server.testing.CliRun;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GatewayModelCheckCommandTest {
    private final ScriptedModelServer server = new ScriptedModelServer();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldPrintOneLinePerCapabilityAndJsonSummaryLast() {
        // Given: completion, streaming, a native tool call, a JSON answer
        server.then(
                ScriptedModelServer.whole("Hello"),
                ScriptedModelServer.stream("1 ", "2 ", "3"),
                new ScriptedModelServer.ToolCallStream("get_time", "{\"zone\":\"UTC\"}"),
                ScriptedModelServer.whole("{\"ok\": true}"));

        // When
        CliRun run = CliRun.of("model", "check", server.baseUrl());

        // Then
        List<String> lines = run.out().strip().lines().toList();
        assertThat(run.exit()).as(run.err()).isEqualTo(CliExit.OK);
        assertThat(lines)
                .anyMatch(l -> l.matches("models\\s+ok \\(1: scripted-model\\)"))
                .anyMatch(l -> l.matches("completion\\s+ok"))
                .anyMatch(l -> l.matches("streaming\\s+ok"))
                .anyMatch(l -> l.matches("ttft\\s+\\d+ ms"))
                .anyMatch(l -> l.matches("tools\\s+ok"))
                .anyMatch(l -> l.matches("json-mode\\s+ok"));
        assertThat(lines.getLast())
                .startsWith("{")
                .contains("\"model\":\"scripted-model\"")
                .contains("\"tools\":\"ok\"")
                .contains("\"ok\":true");
    }

    @Test
    void shouldReportMissingAndErrorsWhenServerLacksCapabilities() {
        // Given: streaming answered in one piece, no tool call, prose instead of JSON
        server.then(
                ScriptedModelServer.whole("Hello"),
                ScriptedModelServer.whole("1 2 3"),
                ScriptedModelServer.whole("It is noon."),
                ScriptedModelServer.html());

        // When
        CliRun run = CliRun.of("model", "check", server.baseUrl(), "--model", "scripted-model");

        // Then
        String text = run.out();
        assertThat(run.exit()).isEqualTo(CliExit.OK);
        assertThat(text)
                .contains("streaming   missing")
                .contains("tools       missing")
                .contains("json-mode   error: ");
        assertThat(text.strip().lines().reduce((a, b) -> b).orElseThrow())
                .contains("\"streaming\":\"missing (the answer came in one piece)\"");
    }

    @Test
    void shouldRefuseHostOutsideAllowListUnlessAllowed() {
        // When
        CliRun refused = CliRun.of("model", "check", "http://models.example.invalid:8000/v1");

        // Then
        assertThat(refused.exit()).isEqualTo(CliExit.UNAVAILABLE);
        assertThat(refused.err()).contains("not in the egress allow-list").contains("--allow models.example.invalid");
    }
}
