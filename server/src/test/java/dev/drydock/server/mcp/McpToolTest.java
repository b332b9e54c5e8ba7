package dev.drydock.server.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.server.agent.InMemoryWorkspace;
import dev.drydock.server.agent.event.Action.Risk;
import dev.drydock.server.agent.tool.Args;
import dev.drydock.server.agent.tool.Effect;
import dev.drydock.server.agent.tool.ToolContext;
import dev.drydock.server.agent.tool.Workspace;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An MCP tool as a droid tool, over a recording stand-in for the sandbox's exec channel. */
class McpToolTest {
    static final String SCHEMA = """
            {"type":"object","properties":{"a":{"type":"number"},"b":{"type":"number"},"mode":{"enum":["fast","exact"]},"note":{"type":"string"}},
             "required":["a","b"],"additionalProperties":false}""";

    /** The workspace port with one canned output for every command; it records each command line. */
    static InMemoryWorkspace canned(String output) {
        return new InMemoryWorkspace(Map.of(), (command, files) -> new Workspace.CommandResult(0, output, false));
    }

    @Test
    void shouldRefuseArgumentsWhenTheyMissTheSchema() {
        // Given
        McpTool tool = tool(canned(""));

        // When
        Throwable refused = catchRisk(tool, "{\"a\":\"two\",\"c\":1}");

        // Then
        assertThat(refused)
                .isInstanceOf(Args.BadArguments.class)
                .hasMessageContaining("arguments.a must be a number, got a string")
                .hasMessageContaining("misses the required property 'b'")
                .hasMessageContaining("unknown property 'c'");
    }

    @Test
    void shouldPipeMessagesToStdioCommandAndSummariseResultWhenCalled() {
        // Given a server that answers the handshake and the call, with an image among the content
        String answer = "noise on stdout\n"
                + "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{}}}\n"
                + "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"5\"},"
                + "{\"type\":\"image\",\"mimeType\":\"image/png\",\"data\":\"AAAAAAAA\"},"
                + "{\"type\":\"resource_link\",\"uri\":\"file:///r.txt\",\"name\":\"r\"}]}}\n";
        InMemoryWorkspace sandbox = canned(answer);
        McpTool tool = tool(sandbox);

        // When
        Effect effect = tool.execute(
                Args.parse("{\"a\":2,\"b\":3,\"mode\":\"exact\",\"note\":\"it's exact\"}"), context(sandbox));

        // Then
        assertThat(effect)
                .isEqualTo(new Effect.Output(
                        "5\n[image image/png, 6 bytes, not shown]\n[resource link file:///r.txt \"r\"]"));
        assertThat(sandbox.ran())
                .singleElement()
                .satisfies(c -> assertThat(c)
                        .startsWith("printf '%s\\n' '{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\"")
                        .contains("\"method\":\"tools/call\"")
                        .contains("it'\\''s exact")
                        .endsWith(" | (\nnode server.js stdio\n)"));
    }

    @Test
    void shouldObserveFailureWhenServerAnswersAnError() {
        // Given
        InMemoryWorkspace sandbox =
                canned("{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32602,\"message\":\"Unknown tool\"}}\n");

        // When
        Effect effect = tool(sandbox).execute(Args.parse("{\"a\":1,\"b\":2}"), context(sandbox));

        // Then
        assertThat(effect)
                .isEqualTo(new Effect.Failed(
                        "MCP server 'calc': the MCP server answered tools/call with error -32602: Unknown tool"));
    }

    static McpTool tool(Workspace sandbox) {
        JsonNode schema;
        try {
            schema = McpTransport.JSON.readTree(SCHEMA);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new McpTool(
                "calc",
                "add",
                "Adds.",
                schema,
                Risk.READ_ONLY,
                ws -> new StdioMcpTransport(ws, "node server.js stdio", Duration.ofSeconds(5)),
                1000);
    }

    static Throwable catchRisk(McpTool tool, String json) {
        try {
            tool.risk(Args.parse(json));
            return new AssertionError("no refusal");
        } catch (RuntimeException e) {
            return e;
        }
    }

    static ToolContext context(Workspace ws) {
        return new ToolContext("s", ws, null, null, null);
    }
}
