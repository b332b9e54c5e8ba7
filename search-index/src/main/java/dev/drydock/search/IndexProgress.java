package dev.drydock.search;

/** Receives progress while indexing (from the indexing thread, roughly every 250 ms). */
@FunctionalInterface
public interface IndexProgress {
    IndexProgress NONE = (done, total, elapsedSeconds) -> {};

    void update(int done, int total, double elapsedSeconds);
}
