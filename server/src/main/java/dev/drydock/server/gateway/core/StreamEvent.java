package dev.drydock.server.gateway.core;

import org.jspecify.annotations.Nullable;

/** What a streaming completion delivers to its caller, in order. */
public sealed interface StreamEvent {
    /** More completion text. */
    record TextDelta(String text) implements StreamEvent {}

    /** A fragment of a native tool call; fragments with the same index belong together. */
    record ToolCallDelta(
            int index, @Nullable String id, @Nullable String name, String argumentsFragment) implements StreamEvent {}

    /**
     * The endpoint failed after events were delivered and the gateway restarts the completion on the
     * next endpoint: discard everything delivered so far.
     */
    record Reset(String failedEndpoint, String reason, String nextEndpoint) implements StreamEvent {}
}
