package dev.drydock.server.agent.tool;

import java.util.List;

/**
 * Files to read, without running anything: a session's workspace, or a commit of a repository
 * mirror. Paths are relative to the root. What is derived from files alone (the test command, the
 * rules, the project overview) reads through this, so it gives the same answer at indexing time and
 * in a sandbox.
 */
public interface FileTree {
    /** Reads a text file. */
    String read(String path);

    /** Whether a regular file exists at {@code path}. */
    boolean isFile(String path);

    /** Lists one directory, sorted by name. */
    List<Entry> list(String directory);

    /** One directory entry. */
    record Entry(String name, boolean directory, long size) {}
}
