package dev.drydock.sandbox;

/**
 * What was kept of one output channel.
 *
 * @param text the first bytes (up to the output limit) decoded as UTF-8, followed by the truncation
 *     marker if output was dropped
 * @param totalBytes how many bytes the command wrote to the channel
 * @param truncated whether bytes were dropped
 */
public record OutputCapture(String text, long totalBytes, boolean truncated) {
    /** Text of the marker that replaces dropped output. */
    public static String marker(long keptBytes) {
        return "\n[drydock: output truncated after " + keptBytes + " bytes]\n";
    }
}
