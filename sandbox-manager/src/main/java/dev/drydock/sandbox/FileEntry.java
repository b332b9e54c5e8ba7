package dev.drydock.sandbox;

import java.time.Instant;

/**
 * Metadata of one workspace entry. Symbolic links are reported as links and never followed.
 *
 * @param path path relative to the workspace root, {@code /}-separated
 * @param type entry type
 * @param size size in bytes (files), 0 otherwise
 * @param mode POSIX permission bits
 * @param modified last modification time
 */
public record FileEntry(String path, Type type, long size, int mode, Instant modified) {
    /** Entry types. */
    public enum Type {
        FILE,
        DIRECTORY,
        SYMLINK,
        OTHER
    }
}
