package dev.drydock.server.gateway.core;

import dev.drydock.server.gateway.toolcall.MalformedToolCall;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A finished completion. {@code toolCallErrors} holds tool calls the model wrote as text but got
 * wrong: show them to the model so it can try again; they never abort the session.
 */
public record ChatResult(
        String requestId,
        String endpoint,
        String model,
        String content,
        List<ToolCall> toolCalls,
        List<MalformedToolCall> toolCallErrors,
        String finishReason,
        Usage usage,
        long latencyMillis,
        @Nullable Long ttftMillis,
        java.math.BigDecimal cost) {}
