package dev.drydock.server.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One way to reach an MCP server. Each {@link #request} is a whole conversation: {@code initialize},
 * {@code notifications/initialized}, then the request; the server is not kept between requests
 * (an HTTP session is ended, a stdio process reaches the end of its input and is stopped).
 */
public interface McpTransport {
    ObjectMapper JSON = new ObjectMapper();

    /** The protocol revision Drydock speaks. */
    String PROTOCOL_VERSION = "2025-06-18";

    /**
     * Sends one request after the handshake and returns its {@code result}.
     *
     * @throws McpException when the server cannot be reached, answers a JSON-RPC error or no answer
     */
    JsonNode request(String method, ObjectNode params) throws McpException;

    /** The JSON-RPC messages of a conversation: handshake, then the request with id 2. */
    static List<ObjectNode> conversation(String method, ObjectNode params) {
        ObjectNode init =
                JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize");
        ObjectNode p = init.putObject("params").put("protocolVersion", PROTOCOL_VERSION);
        p.putObject("capabilities");
        p.putObject("clientInfo").put("name", "drydock").put("version", "1");
        ObjectNode initialized =
                JSON.createObjectNode().put("jsonrpc", "2.0").put("method", "notifications/initialized");
        ObjectNode call =
                JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 2).put("method", method);
        call.set("params", params);
        return List.of(init, initialized, call);
    }

    /** The {@code result} of a JSON-RPC response, or the error it carries as an exception. */
    static JsonNode result(JsonNode response, String method) throws McpException {
        JsonNode error = response.get("error");
        if (error != null && !error.isNull()) {
            throw new McpException("the MCP server answered " + method + " with error "
                    + error.path("code").asText("?") + ": "
                    + error.path("message").asText(""));
        }
        JsonNode result = response.get("result");
        if (result == null || !result.isObject()) {
            throw new McpException("the MCP server's answer to " + method + " has no result object");
        }
        return result;
    }
}
