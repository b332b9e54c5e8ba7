package dev.drydock.server.gateway.core;

/** Token counts of one completion; {@code reported} is false when the gateway counted them itself. */
public record Usage(long promptTokens, long completionTokens, boolean reported) {
    public long total() {
        return promptTokens + completionTokens;
    }
}
