package dev.drydock.server.gateway.core;

/** A tool call in OpenAI's shape: {@code arguments} is the JSON text of the arguments object. */
public record ToolCall(String id, String name, String arguments) {}
