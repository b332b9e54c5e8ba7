package dev.drydock.server.gateway.core;

import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The reading loop both protocol clients share: hands each line of a streamed answer to the
 * protocol's {@link LineReader} until it says the answer is complete, delivers events to the sink
 * while collecting the content and the time to first token, and marks every failure with whether
 * events were already delivered (a fallback to another endpoint then starts with a reset).
 */
final class StreamedAnswer {
    /** Interprets one line of a protocol's framing (SSE, NDJSON). */
    @FunctionalInterface
    interface LineReader {
        /** True when the line completes the answer ({@code [DONE]}, {@code done: true}). */
        boolean read(String line) throws UpstreamException;
    }

    private final Consumer<StreamEvent> sink;
    private final long startNanos;
    private final StringBuilder content = new StringBuilder();
    private @Nullable Long ttftMillis;
    private boolean emitted;

    StreamedAnswer(Consumer<StreamEvent> sink, long startNanos) {
        this.sink = sink;
        this.startNanos = startNanos;
    }

    /**
     * Feeds every line to {@code reader} until it reports the answer complete (true; the rest of the
     * body then only keeps the connection for reuse) or the body ends first (false).
     */
    boolean readAll(UpstreamHttp.Lines lines, LineReader reader) throws UpstreamException {
        try {
            String line;
            while ((line = lines.next()) != null) {
                if (reader.read(line)) {
                    lines.finished();
                    return true;
                }
            }
            return false;
        } catch (UpstreamException e) {
            throw e.withEmitted(emitted);
        }
    }

    /** Delivers a content delta and appends it to the content; the first one sets the time to first token. Empty text is ignored. */
    void text(String text) {
        if (text.isEmpty()) {
            return;
        }
        firstToken();
        content.append(text);
        deliver(new StreamEvent.TextDelta(text));
    }

    /** Sets the time to first token unless it is set. */
    void firstToken() {
        if (ttftMillis == null) {
            ttftMillis = (System.nanoTime() - startNanos) / 1_000_000;
        }
    }

    /** Delivers an event to the caller. */
    void deliver(StreamEvent event) {
        emitted = true;
        sink.accept(event);
    }

    /** The answer ended before the protocol said it was complete. */
    UpstreamException truncated(String message) {
        return new UpstreamException(UpstreamException.Kind.TRUNCATED, message, emitted, null);
    }

    ModelClient.Attempt attempt(List<ToolCall> toolCalls, String finishReason, @Nullable Usage usage) {
        return new ModelClient.Attempt(content.toString(), toolCalls, finishReason, usage, ttftMillis);
    }
}
