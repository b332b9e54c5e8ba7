package dev.drydock.server.agent.model;

import dev.drydock.server.agent.event.Conversation.ToolCall;
import java.util.List;

/**
 * One chat message as OpenAI-style endpoints take it. {@code toolCalls} only on assistant messages,
 * {@code toolCallId} only on tool messages (empty otherwise).
 */
public record Message(Role role, String content, List<ToolCall> toolCalls, String toolCallId) {
    public Message {
        toolCalls = List.copyOf(toolCalls);
    }

    public static Message system(String content) {
        return new Message(Role.SYSTEM, content, List.of(), "");
    }

    public static Message user(String content) {
        return new Message(Role.USER, content, List.of(), "");
    }

    public static Message assistant(String content, List<ToolCall> calls) {
        return new Message(Role.ASSISTANT, content, calls, "");
    }

    public static Message tool(String callId, String content) {
        return new Message(Role.TOOL, content, List.of(), callId);
    }

    /** Chat roles. */
    public enum Role {
        SYSTEM,
        USER,
        ASSISTANT,
        TOOL
    }
}
