package dev.drydock.server.gateway.core;

/** Token counts of one completion and where they come from. */
public record Usage(long promptTokens, long completionTokens, TokenSource source) {
    public long total() {
        return promptTokens + completionTokens;
    }

    /** True when the model server reported the counts. */
    public boolean reported() {
        return source == TokenSource.USAGE;
    }
}
