package dev.drydock.server.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.server.agent.tool.Workspace;
import java.time.Duration;
import java.util.List;

/**
 * The stdio transport inside the session's sandbox: the registered command line runs through the
 * sandbox's exec channel (so it has the sandbox's files and network policy, never the server's) with
 * the conversation's messages, one JSON object a line, on its standard input. The channel closes
 * standard input after the messages; the server answers and ends, or is killed at the call's timeout
 * with the sandbox's process tree. One process per request: stdio servers keep no state between calls.
 */
final class StdioMcpTransport implements McpTransport {
    private final Workspace sandbox;
    private final String command;
    private final Duration timeout;

    StdioMcpTransport(Workspace sandbox, String command, Duration timeout) {
        this.sandbox = sandbox;
        this.command = command;
        this.timeout = timeout;
    }

    @Override
    public JsonNode request(String method, ObjectNode params) throws McpException {
        Workspace.CommandResult r = sandbox.run(commandLine(McpTransport.conversation(method, params)), timeout);
        JsonNode init = null;
        JsonNode answer = null;
        for (String line : r.output().split("\n")) {
            String l = line.strip();
            if (!l.startsWith("{")) {
                continue;
            }
            JsonNode m;
            try {
                m = JSON.readTree(l);
            } catch (JsonProcessingException e) {
                continue;
            }
            if (m.has("result") || m.has("error")) {
                if (m.path("id").asInt(-1) == 1) {
                    init = m;
                } else if (m.path("id").asInt(-1) == 2) {
                    answer = m;
                }
            }
        }
        if (init != null) {
            McpTransport.result(init, "initialize");
        }
        if (answer == null) {
            String tail = r.output().strip();
            tail = tail.length() > 500 ? "…" + tail.substring(tail.length() - 500) : tail;
            throw new McpException("the stdio MCP server gave no answer to " + method
                    + (r.timedOut() ? " within " + timeout : " (exit code " + r.exitCode() + ")")
                    + (tail.isEmpty() ? "" : "; its output ended with: " + tail));
        }
        return McpTransport.result(answer, method);
    }

    /** {@code printf '%s\n' 'm1' 'm2' 'm3' | ( command )}: the messages are arguments, never interpreted. */
    String commandLine(List<ObjectNode> messages) {
        StringBuilder b = new StringBuilder("printf '%s\\n'");
        for (ObjectNode m : messages) {
            b.append(' ').append(quote(m.toString()));
        }
        return b.append(" | (\n").append(command).append("\n)").toString();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
