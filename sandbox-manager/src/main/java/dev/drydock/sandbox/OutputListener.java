package dev.drydock.sandbox;

/**
 * Receives a command's output while it runs, in order per channel. Called from backend threads, one
 * thread per channel; implementations must be thread-safe and fast. After a channel's output limit
 * is reached, the listener receives the truncation marker once and nothing more for that channel.
 */
@FunctionalInterface
public interface OutputListener {
    /** Ignores all output. */
    OutputListener NONE = (channel, chunk) -> {};

    /** One chunk of output; the array is owned by the listener. */
    void onOutput(OutputChannel channel, byte[] chunk);
}
