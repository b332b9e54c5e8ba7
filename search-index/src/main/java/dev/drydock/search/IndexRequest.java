package dev.drydock.search;

import dev.drydock.search.ingest.IngestPolicy;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * What to index.
 *
 * @param source a folder, or a git repository (work tree or bare)
 * @param repo the repo name hits carry and ACLs refer to
 * @param revision the commit to index for git sources (HEAD when null); ignored for folders
 * @param policy what to skip
 * @param threads worker threads for reading, parsing and analysis
 */
public record IndexRequest(
        Path source, String repo, @Nullable String revision, IngestPolicy policy, int threads) {
    public static IndexRequest of(Path source, String repo) {
        return new IndexRequest(source, repo, null, IngestPolicy.defaults(), 2);
    }
}
