package dev.drydock.server.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.server.agent.event.Action.Risk;
import dev.drydock.server.agent.tool.Args;
import dev.drydock.server.agent.tool.Effect;
import dev.drydock.server.agent.tool.Tool;
import dev.drydock.server.agent.tool.ToolContext;
import dev.drydock.server.agent.tool.ToolSpec;
import dev.drydock.server.agent.tool.Workspace;
import java.util.List;
import java.util.function.Function;

/**
 * One enabled tool of a registered MCP server as a droid tool, named {@code mcp__<server>__<tool>}:
 * its risk is the class a drydock-admin set (never the server's own hints), its arguments are checked
 * against the listed input schema before the approval question and the call, and whatever the server
 * answers, an error included, becomes an observation.
 */
public final class McpTool implements Tool {
    /** Prefix of every MCP tool's name. */
    public static final String PREFIX = "mcp__";

    private final ToolSpec spec;
    private final String server;
    private final String tool;
    private final JsonNode schema;
    private final Function<Workspace, McpTransport> transport;
    private final int maxResultChars;

    McpTool(
            String server,
            String tool,
            String description,
            JsonNode schema,
            Risk risk,
            Function<Workspace, McpTransport> transport,
            int maxResultChars) {
        this.server = server;
        this.tool = tool;
        this.schema = schema;
        this.transport = transport;
        this.maxResultChars = maxResultChars;
        this.spec = new ToolSpec(
                name(server, tool),
                "[tool '" + tool + "' of the MCP server '" + server + "'] " + description,
                schema.toString(),
                risk);
    }

    /** The droid-facing name of a server's tool. */
    public static String name(String server, String tool) {
        return PREFIX + server + "__" + tool;
    }

    @Override
    public ToolSpec spec() {
        return spec;
    }

    /** The admin's class; arguments that do not fit the schema are refused here, before any approval. */
    @Override
    public Risk risk(Args args) {
        arguments(args);
        return spec.risk();
    }

    @Override
    public Effect execute(Args args, ToolContext context) {
        ObjectNode params = McpTransport.JSON.createObjectNode().put("name", tool);
        params.set("arguments", arguments(args));
        try {
            JsonNode result = transport.apply(context.workspace()).request("tools/call", params);
            String text = McpResults.summary(result, maxResultChars);
            if (result.path("isError").asBoolean(false)) {
                return new Effect.Failed("the MCP tool " + server + "/" + tool + " reported an error: " + text);
            }
            return new Effect.Output(text);
        } catch (McpException e) {
            return new Effect.Failed("MCP server '" + server + "': " + e.getMessage());
        }
    }

    private ObjectNode arguments(Args args) {
        JsonNode value;
        try {
            value = McpTransport.JSON.readTree(args.json().isBlank() ? "{}" : args.json());
        } catch (JsonProcessingException e) {
            throw new Args.BadArguments("arguments are not valid JSON: " + e.getOriginalMessage());
        }
        if (!(value instanceof ObjectNode object)) {
            throw new Args.BadArguments("arguments must be a JSON object");
        }
        List<String> problems = SchemaCheck.problems(schema, object);
        if (!problems.isEmpty()) {
            throw new Args.BadArguments(
                    "arguments do not fit the input schema of " + spec.name() + ": " + String.join("; ", problems));
        }
        return object;
    }
}
