package dev.drydock.server.agent.tool;

import dev.drydock.server.agent.event.Action.Risk;

/**
 * What the model is told about a tool: its name, description, JSON schema of its arguments (an
 * object schema as JSON text) and the risk it has unless its class assesses a call itself.
 */
public record ToolSpec(String name, String description, String parametersSchema, Risk risk) {}
