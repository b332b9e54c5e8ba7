package dev.drydock.server.gateway.core;

import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** Speaks one protocol to one endpoint. Implementations are thread-safe and hold no per-request state. */
public interface ModelClient {
    /**
     * Runs one completion attempt, delivering events to {@code sink} as they arrive.
     *
     * @param secret the resolved credential, or null for none
     * @throws UpstreamException for every failure, with {@link UpstreamException#emitted()} set when events were delivered
     */
    Attempt chat(
            EndpointSpec endpoint,
            @Nullable String secret,
            ChatRequest request,
            Consumer<StreamEvent> sink,
            Cancellation cancel)
            throws UpstreamException;

    /** The model ids the server lists. */
    List<String> listModels(EndpointSpec endpoint, @Nullable String secret) throws UpstreamException;

    /** What one successful attempt produced; {@code usage} is null when the server did not report it. */
    record Attempt(
            String content,
            List<ToolCall> toolCalls,
            String finishReason,
            @Nullable Usage usage,
            @Nullable Long ttftMillis) {}
}
