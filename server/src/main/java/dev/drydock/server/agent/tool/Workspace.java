package dev.drydock.server.agent.tool;

import java.time.Duration;
import java.util.List;

/**
 * The session's sandboxed workspace as tools see it. Paths are relative to the workspace root.
 * Implementations turn sandbox-level refusals (path escapes, missing files) into {@link
 * ToolFailure}s.
 */
public interface Workspace {
    /** Runs a shell command line in the workspace root (through {@code sh -c}). Never throws for a failing command. */
    CommandResult run(String commandLine, Duration timeout);

    /** Reads a text file. */
    String read(String path);

    /** Creates or replaces a text file, creating parent directories. */
    void write(String path, String content);

    /** Whether a regular file exists at {@code path}. */
    boolean isFile(String path);

    /** Lists one directory, sorted by name. */
    List<Entry> list(String directory);

    /** Unified diff of the workspace against its base commit, including new files. */
    String diff();

    /** Kills every process and deletes the workspace. Idempotent. */
    void destroy();

    /** Result of one command; {@code exitCode} -1 when killed or timed out. */
    record CommandResult(int exitCode, String output, boolean timedOut) {}

    /** One directory entry. */
    record Entry(String name, boolean directory, long size) {}
}
