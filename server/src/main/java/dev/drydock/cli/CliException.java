package dev.drydock.cli;

import org.jspecify.annotations.Nullable;

/**
 * A problem caused by the user's input or environment, reported as one clear line without a stack
 * trace. Anything else that escapes a command is treated as a bug.
 */
public class CliException extends RuntimeException {
    private final int exitCode;

    public CliException(@Nullable String message) {
        this(message, CliExit.DATA);
    }

    public CliException(@Nullable String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliException(@Nullable String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
