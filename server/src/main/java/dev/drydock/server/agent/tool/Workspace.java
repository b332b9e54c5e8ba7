package dev.drydock.server.agent.tool;

import java.time.Duration;

/**
 * The session's sandboxed workspace as tools see it. Paths are relative to the workspace root.
 * Implementations turn sandbox-level refusals (path escapes, missing files) into {@link
 * ToolFailure}s.
 */
public interface Workspace extends FileTree {
    /** Runs a shell command line in the workspace root (through {@code sh -c}). Never throws for a failing command. */
    CommandResult run(String commandLine, Duration timeout);

    /** Creates or replaces a text file, creating parent directories. */
    void write(String path, String content);

    /** Unified diff of the workspace against its base commit, including new files. */
    String diff();

    /** Kills every process and deletes the workspace. Idempotent. */
    void destroy();

    /** Result of one command; {@code exitCode} -1 when killed or timed out. */
    record CommandResult(int exitCode, String output, boolean timedOut) {}
}
