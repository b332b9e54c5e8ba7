package dev.drydock.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DependencyCacheFolderTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path folder;

    @Test
    void shouldEvictLeastRecentlyUsedCachesWhenFolderExceedsBound() throws Exception {
        // Given three caches of 1000 bytes each, used at 1 h, 3 h and 2 h, and a bound of 2000 bytes
        cache("payments", "maven", "aaa", 1000, T0.plusSeconds(3600));
        cache("payments", "npm", "bbb", 1000, T0.plusSeconds(3 * 3600));
        cache("web", "maven", "ccc", 1000, T0.plusSeconds(2 * 3600));

        // When
        List<DependencyCacheFolder.Entry> removed = DependencyCacheFolder.evict(folder, 2000, T0.plusSeconds(86400));

        // Then only the least recently used one went, and the folder fits
        assertThat(removed).extracting(DependencyCacheFolder.Entry::key).containsExactly("aaa");
        assertThat(folder.resolve("payments/maven/aaa")).doesNotExist();
        DependencyCacheFolder.Usage usage = DependencyCacheFolder.usage(folder);
        assertThat(usage.bytes()).isEqualTo(2000);
        assertThat(usage.entries()).extracting(DependencyCacheFolder.Entry::key).containsExactly("ccc", "bbb");
    }

    @Test
    void shouldKeepCachesThatMayBeBoundWhenFolderStaysOverBound() throws Exception {
        // Given two caches, one used before the oldest live sandbox started and one after, and a bound of zero
        cache("payments", "maven", "old", 500, T0);
        cache("payments", "npm", "live", 500, T0.plusSeconds(7200));

        // When
        List<DependencyCacheFolder.Entry> removed = DependencyCacheFolder.evict(folder, 0, T0.plusSeconds(3600));

        // Then the cache a live sandbox may have bound stays
        assertThat(removed).extracting(DependencyCacheFolder.Entry::key).containsExactly("old");
        assertThat(folder.resolve("payments/npm/live/file")).exists();
        assertThat(DependencyCacheFolder.usage(folder).bytes()).isEqualTo(500);
    }

    void cache(String workspace, String tool, String key, int bytes, Instant used) throws Exception {
        Path dir =
                Files.createDirectories(folder.resolve(workspace).resolve(tool).resolve(key));
        Files.write(dir.resolve("file"), new byte[bytes]);
        Files.setLastModifiedTime(dir, FileTime.from(used));
    }
}
