package dev.drydock.search.ingest;

import java.io.IOException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** A set of files to index: a plain folder or a git commit. */
public interface SourceTree extends AutoCloseable {
    /** The commit id for git sources, null for plain folders. */
    @Nullable
    String revision();

    /**
     * Visits every candidate file that passes the path-based filters; files filtered out are
     * reported to {@code skipped}.
     */
    void walk(IngestPolicy policy, Consumer<SourceEntry> entries, Consumer<SkipReason> skipped) throws IOException;

    @Override
    void close();
}
