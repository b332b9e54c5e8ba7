package dev.drydock.server.mcp;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** MCP tool servers ({@code drydock.mcp.*}). */
@ConfigMapping(prefix = "drydock.mcp")
public interface McpConfig {
    /**
     * Longest one MCP request may take, handshake included: an HTTP server's answer, or a stdio
     * server's run in the sandbox (a stdio server that does not end when its input ends is killed then).
     */
    @WithDefault("PT60S")
    Duration callTimeout();

    /** Characters of a tool's result the droid sees; the rest is cut with a marker. */
    @WithDefault("16000")
    int maxResultChars();

    /** Largest answer read from an HTTP MCP server, in bytes; a larger one fails the call. */
    @WithDefault("4194304")
    long maxResponseBytes();
}
