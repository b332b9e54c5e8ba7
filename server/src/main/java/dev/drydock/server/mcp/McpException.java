package dev.drydock.server.mcp;

/** An MCP exchange failed: the server was unreachable, answered nonsense, or answered a JSON-RPC error. */
public final class McpException extends Exception {
    private static final long serialVersionUID = 1L;

    public McpException(String message) {
        super(message);
    }

    public McpException(String message, Throwable cause) {
        super(message, cause);
    }
}
