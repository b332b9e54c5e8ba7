package dev.drydock.cli;

/**
 * A problem caused by the user's input or environment, reported as one clear line without a stack
 * trace. Anything else that escapes a command is treated as a bug.
 */
public class CliException extends RuntimeException {
    private final int exitCode;

    public CliException(String message) {
        this(message, CliExit.DATA);
    }

    public CliException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
