package dev.drydock.server.repository;

import dev.drydock.search.CodeSearch;
import dev.drydock.server.embedding.SharedEmbedder;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One open {@link CodeSearch} per repository index, shared by every search until the index changes.
 * Opening an index per request cost 30–45 ms on a Spring-sized repository, and a file search loaded
 * its symbol graph again (0.4–0.6 s); an open instance keeps both. A re-index or a removal retires the
 * instance: new searches open the index again, and the old one closes when its last search ends.
 */
@ApplicationScoped
public class OpenIndexes {
    private final Map<Path, Shared> open = new ConcurrentHashMap<>();

    @Inject
    SharedEmbedder embedder;

    /** A search's use of an open index; closing it gives the index back. */
    public static final class Lease implements AutoCloseable {
        private final Shared shared;
        private boolean closed;

        private Lease(Shared shared) {
            this.shared = shared;
        }

        public CodeSearch search() {
            return shared.search;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                shared.release();
            }
        }
    }

    /** The open index at {@code dir}, opened on first use; fails as {@link CodeSearch#open} does. */
    public Lease lease(Path dir) {
        while (true) {
            Shared shared = open.computeIfAbsent(dir, d -> new Shared(CodeSearch.open(d, embedder.forIndex(d))));
            if (shared.acquire()) {
                return new Lease(shared);
            }
            // retired between the lookup and the acquire: open the new index
            open.remove(dir, shared);
        }
    }

    /** The index at {@code dir} was rewritten or is being removed: later searches open it again. */
    public void retire(Path dir) {
        Shared shared = open.remove(dir);
        if (shared != null) {
            shared.retire();
        }
    }

    /** How many indexes are open (for tests and status pages). */
    public int openCount() {
        return open.size();
    }

    @PreDestroy
    void closeAll() {
        open.keySet().forEach(this::retire);
    }

    /** An open index with the number of searches using it; closed once retired and unused. */
    private static final class Shared {
        final CodeSearch search;
        private int users;
        private boolean retired;

        Shared(CodeSearch search) {
            this.search = search;
        }

        synchronized boolean acquire() {
            if (retired) {
                return false;
            }
            users++;
            return true;
        }

        synchronized void release() {
            users--;
            if (retired && users == 0) {
                search.close();
            }
        }

        synchronized void retire() {
            retired = true;
            if (users == 0) {
                search.close();
            }
        }
    }
}
