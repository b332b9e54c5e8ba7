package dev.drydock.sandbox;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Keeps the first {@code limit} bytes of one output channel, forwards them to a listener and
 * replaces the rest by a marker. Memory stays bounded whatever the command writes. Used by the
 * backends and the in-pod tool runner; not part of the API.
 */
public final class OutputLimiter {
    private final OutputChannel channel;
    private final OutputListener listener;
    private final int limit;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private long total;
    private boolean truncated;

    public OutputLimiter(OutputChannel channel, OutputListener listener, int limit) {
        this.channel = channel;
        this.listener = listener;
        this.limit = limit;
    }

    /** Accepts a chunk of output. */
    public synchronized void accept(byte[] buffer, int offset, int length) {
        total += length;
        if (truncated) {
            return;
        }
        int room = limit - kept.size();
        int take = Math.min(room, length);
        if (take > 0) {
            kept.write(buffer, offset, take);
            listener.onOutput(channel, Arrays.copyOfRange(buffer, offset, offset + take));
        }
        if (take < length) {
            truncated = true;
            listener.onOutput(channel, OutputCapture.marker(limit).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The capture so far. */
    public synchronized OutputCapture capture() {
        String text = kept.toString(StandardCharsets.UTF_8);
        return new OutputCapture(truncated ? text + OutputCapture.marker(limit) : text, total, truncated);
    }
}
