package dev.drydock.sandbox;

import java.time.Duration;

/**
 * Outcome of {@link Sandbox#exec}.
 *
 * @param termination exit code, timeout or kill reason
 * @param stdout kept standard output
 * @param stderr kept standard error
 * @param elapsed wall-clock time from start to termination
 */
public record ExecResult(Termination termination, OutputCapture stdout, OutputCapture stderr, Duration elapsed) {
    /** {@code exit=N}, {@code exit=timeout} or {@code exit=killed:REASON}. */
    public String statusLine() {
        return termination.statusLine();
    }

    /** The exit code, or -1 when the command did not exit by itself. */
    public int exitCode() {
        return termination instanceof Termination.Exited e ? e.code() : -1;
    }
}
