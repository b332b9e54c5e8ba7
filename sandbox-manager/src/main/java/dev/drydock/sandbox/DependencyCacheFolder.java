package dev.drydock.sandbox;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The folder of every workspace's dependency caches (issue #18), {@code
 * <folder>/<workspace>/<tool>/<hash>}, bounded in size: {@link #evict} removes the least recently
 * used caches until the folder fits. A cache's last use is its folder's modification time, set when
 * it is filled and each time a sandbox gets it bound ({@link #markUsed}). A cache used after a given
 * instant (one that may still be bound into a live sandbox) is never removed, even when the folder
 * stays over its bound.
 */
public final class DependencyCacheFolder {
    private DependencyCacheFolder() {}

    /**
     * One cache.
     *
     * @param workspace the workspace it belongs to
     * @param tool the build tool ({@code maven}, {@code npm}, …)
     * @param key the hash of the build or lock files it was filled for
     * @param bytes the size of its files
     * @param lastUsed when it was last filled or bound into a sandbox
     */
    public record Entry(String workspace, String tool, String key, long bytes, Instant lastUsed) {}

    /** Every cache of the folder, least recently used first, and their total size. */
    public record Usage(List<Entry> entries, long bytes) {}

    /** Marks a cache as used now (best effort: a cache that cannot be marked is only evicted sooner). */
    public static void markUsed(Path cache) {
        try {
            Files.setLastModifiedTime(cache, FileTime.from(Instant.now()));
        } catch (IOException e) {
            // evicted sooner, never wrongly kept
        }
    }

    /** The caches of the folder (none when it does not exist), least recently used first. */
    public static Usage usage(Path folder) {
        List<Entry> entries = new ArrayList<>();
        for (Path ws : children(folder)) {
            for (Path tool : children(ws)) {
                for (Path cache : children(tool)) {
                    if (cache.getFileName().toString().contains(".tmp-")) {
                        continue; // being filled
                    }
                    try {
                        entries.add(new Entry(
                                ws.getFileName().toString(),
                                tool.getFileName().toString(),
                                cache.getFileName().toString(),
                                size(cache),
                                Files.getLastModifiedTime(cache, LinkOption.NOFOLLOW_LINKS)
                                        .toInstant()));
                    } catch (IOException e) {
                        // removed meanwhile
                    }
                }
            }
        }
        entries.sort(Comparator.comparing(Entry::lastUsed));
        return new Usage(
                List.copyOf(entries), entries.stream().mapToLong(Entry::bytes).sum());
    }

    /**
     * Removes the least recently used caches until the folder holds at most {@code maxBytes}, sparing
     * every cache used after {@code inUseAfter}.
     *
     * @return the removed caches
     */
    public static List<Entry> evict(Path folder, long maxBytes, Instant inUseAfter) {
        Usage usage = usage(folder);
        long total = usage.bytes();
        List<Entry> removed = new ArrayList<>();
        for (Entry e : usage.entries()) {
            if (total <= maxBytes) {
                break;
            }
            if (e.lastUsed().isAfter(inUseAfter)) {
                continue;
            }
            Path cache = folder.resolve(e.workspace()).resolve(e.tool()).resolve(e.key());
            // out of the way first (atomically), so no new sandbox binds a half-deleted cache
            Path doomed = cache.resolveSibling(e.key() + ".tmp-evicted");
            try {
                Files.move(cache, doomed, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                deleteTree(doomed);
                total -= e.bytes();
                removed.add(e);
            } catch (IOException ex) {
                // in use or removed by another server thread: the next eviction tries again
            }
        }
        return removed;
    }

    private static List<Path> children(Path dir) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    private static long size(Path dir) throws IOException {
        long[] total = {0};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                total[0] += attrs.size();
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }

    private static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                Files.delete(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
