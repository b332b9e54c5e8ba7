package dev.drydock.search;

import dev.drydock.search.index.IndexSchema;

/**
 * One file of an index: the unit that file ranking fuses. The index stores it as one string,
 * {@code repo + '\0' + path} ({@link IndexSchema#key}); {@link #of} and {@link #key} convert at that
 * boundary only. Ordered as that string is (repo, then path).
 */
public record FileKey(String repo, String path) implements Comparable<FileKey> {
    /** The key of an index document ({@code repo\0path}). */
    public static FileKey of(String key) {
        int sep = key.indexOf('\0');
        if (sep < 0) {
            throw new IllegalArgumentException("not a file key (no repo separator): " + key);
        }
        return new FileKey(key.substring(0, sep), key.substring(sep + 1));
    }

    /** The index's string form, {@code repo\0path}. */
    public String key() {
        return IndexSchema.key(repo, path);
    }

    @Override
    public int compareTo(FileKey other) {
        int byRepo = repo.compareTo(other.repo);
        return byRepo != 0 ? byRepo : path.compareTo(other.path);
    }
}
