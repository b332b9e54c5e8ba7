package dev.drydock.server.agent.model;

import dev.drydock.server.agent.event.Conversation.ToolCall;
import java.util.List;

/**
 * One reply: text plus tool calls (arguments as raw JSON text, possibly malformed) and token usage.
 */
public record ModelReply(String text, List<ToolCall> calls, Usage usage) {
    public ModelReply {
        calls = List.copyOf(calls);
    }

    /** Tokens of one call and its cost in millionths of the currency unit. */
    public record Usage(String model, long promptTokens, long completionTokens, long costMicros) {
        public static final Usage NONE = new Usage("unknown", 0, 0, 0);
    }
}
