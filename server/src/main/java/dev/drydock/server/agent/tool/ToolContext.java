package dev.drydock.server.agent.tool;

/**
 * What a tool may use while it runs: the session's workspace, code search, memory and the test
 * command the completion rule uses.
 */
public record ToolContext(
        String sessionId, Workspace workspace, CodeSearchPort search, Memory memory, TestCommand testCommand) {}
