package dev.drydock.server.gateway.toolcall;

/**
 * A tool call the model tried to write but got wrong. {@code message} is written for the model:
 * hand it back as a tool result so it can correct itself.
 */
public record MalformedToolCall(String raw, String message) {}
