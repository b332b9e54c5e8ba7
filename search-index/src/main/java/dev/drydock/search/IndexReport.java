package dev.drydock.search;

import dev.drydock.search.ingest.SkipReason;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What an indexing run did.
 *
 * @param files files seen that are indexed after the run
 * @param changed files (re)indexed in this run
 * @param deleted files removed because they no longer exist
 * @param chunks chunks written in this run
 * @param skipped skipped files by reason
 * @param seconds wall time
 * @param revision the git commit indexed, null for folders
 */
public record IndexReport(
        int files,
        int changed,
        int deleted,
        int chunks,
        Map<SkipReason, Integer> skipped,
        double seconds,
        @Nullable String revision) {
    public IndexReport {
        skipped = Map.copyOf(skipped);
    }

    public int skippedTotal() {
        return skipped.values().stream().mapToInt(Integer::intValue).sum();
    }
}
