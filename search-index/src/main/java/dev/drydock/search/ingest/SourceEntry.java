package dev.drydock.search.ingest;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * One candidate file of a source tree.
 *
 * @param path repository-relative path with {@code /} separators
 * @param blobId git blob id of the content when known without reading it (git sources), else null
 * @param size size in bytes
 * @param stamp cheap change marker (size and modification time) for folder files, empty for git
 * @param content reads the bytes (only called when the file must be (re)indexed)
 */
public record SourceEntry(String path, @Nullable String blobId, long size, String stamp, ContentReader content) {

    /** Reads the bytes of one entry. */
    @FunctionalInterface
    public interface ContentReader {
        byte[] read() throws IOException;
    }
}
