package dev.drydock.cli;

/** Exit codes shared by every {@code ./drydock} command (sysexits-like, kept small). */
public final class CliExit {
    /** Success. */
    public static final int OK = 0;
    /** The command ran and found a problem it reports (a failed check, a broken chain). */
    public static final int FAILED = 1;
    /** Bad arguments or usage. */
    public static final int USAGE = 2;
    /** Bad input data (unreadable file, corrupt index, invalid JSON line). */
    public static final int DATA = 65;
    /** A bug: an unexpected exception. */
    public static final int SOFTWARE = 70;
    /** A required service or host is unavailable or refused. */
    public static final int UNAVAILABLE = 69;

    private CliExit() {}
}
