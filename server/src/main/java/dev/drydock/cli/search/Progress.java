package dev.drydock.cli.search;

import dev.drydock.search.IndexProgress;
import dev.drydock.search.IndexReport;
import dev.drydock.search.ingest.SkipReason;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/** Prints indexing progress (files/s, ETA) on stderr and the final summary. */
public final class Progress implements IndexProgress {
    private final PrintWriter err;
    private long lastPrint;

    public Progress(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void update(int done, int total, double elapsedSeconds) {
        long now = System.nanoTime();
        if (now - lastPrint < 250_000_000L && done < total) {
            return;
        }
        lastPrint = now;
        double rate = done / Math.max(elapsedSeconds, 1e-3);
        double eta = rate > 0 ? (total - done) / rate : 0;
        err.printf(Locale.ROOT, "\rindexing: %d/%d files  %.0f files/s  ETA %.0f s   ", done, total, rate, eta);
        if (done >= total) {
            err.println();
        }
        err.flush();
    }

    public static String summary(IndexReport report) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(
                Locale.ROOT,
                "indexed %d files (%d changed, %d deleted), %d chunks written, in %.1f s",
                report.files(),
                report.changed(),
                report.deleted(),
                report.chunks(),
                report.seconds()));
        if (report.revision() != null) {
            s.append(" at commit ").append(report.revision(), 0, 12);
        }
        s.append("\nskipped ").append(report.skippedTotal()).append(" files");
        if (!report.skipped().isEmpty()) {
            s.append(":");
            for (Map.Entry<SkipReason, Integer> e : new java.util.TreeMap<>(report.skipped()).entrySet()) {
                s.append(' ').append(e.getKey().label()).append('=').append(e.getValue());
            }
        }
        return s.toString();
    }
}
