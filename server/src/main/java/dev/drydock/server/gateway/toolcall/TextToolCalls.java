package dev.drydock.server.gateway.toolcall;

import dev.drydock.server.gateway.core.ToolCall;
import java.util.List;

/** What the tolerant parser found in a completion text: tool calls, malformed attempts, and the remaining prose. */
public record TextToolCalls(List<ToolCall> calls, List<MalformedToolCall> errors, String text) {}
