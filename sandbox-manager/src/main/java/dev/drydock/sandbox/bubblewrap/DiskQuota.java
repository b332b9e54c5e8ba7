package dev.drydock.sandbox.bubblewrap;

import dev.drydock.sandbox.ByteSize;
import dev.drydock.sandbox.SandboxException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The disk quota of one local sandbox's workspace (the spec's {@code ephemeralStorageBytes}, the
 * same limit a Kubernetes sandbox gets as its workspace volume's size), enforced by usage accounting
 * (ADR 0008): no file system feature or mount is needed.
 *
 * <ul>
 *   <li>While commands run, the workspace is measured every {@link #period()} (at least {@link
 *       #MIN_PERIOD}, and ten times the last walk's duration, so accounting costs at most about a
 *       tenth of a core). When usage is above the quota and has grown since the commands started,
 *       every command in flight is killed ({@code killed:disk-quota}).
 *   <li>A command that starts with the workspace already over the quota may run (it is how files
 *       are deleted), and is only killed if it makes usage grow further.
 *   <li>Writes through the file API are refused while they would take usage above the quota.
 * </ul>
 *
 * Usage is the apparent size of every entry (sparse files count in full, and each hard link counts
 * as a copy: both err on the side of the quota). Limits:
 * a command can overshoot by what it writes within one period; RLIMIT_FSIZE still bounds each file.
 */
final class DiskQuota {
    /** Shortest interval between two measurements while commands run. */
    static final Duration MIN_PERIOD = Duration.ofSeconds(1);

    private static final ScheduledExecutorService MONITOR = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("drydock-disk-quota").factory());

    private final java.util.List<Path> roots;
    private final long limit;
    private final Runnable killCommands;
    private final AtomicLong kills = new AtomicLong();
    private volatile long usage;
    private volatile long measuredAt = Long.MIN_VALUE;
    private volatile long walkNanos;
    private volatile boolean stale = true;
    private @Nullable ScheduledFuture<?> pendingMeasure;
    private int inFlight;
    private long baseline;
    private @Nullable ScheduledFuture<?> monitor;

    DiskQuota(Path workspace, long limit, Runnable killCommands) {
        this(java.util.List.of(workspace), limit, killCommands);
    }

    /** A quota over several folders together (the workspace first, then e.g. the sandbox's home). */
    DiskQuota(java.util.List<Path> roots, long limit, Runnable killCommands) {
        this.roots = java.util.List.copyOf(roots);
        this.limit = limit;
        this.killCommands = killCommands;
    }

    long limit() {
        return limit;
    }

    /** How many times commands were killed for the quota (a caller compares before and after a command). */
    long kills() {
        return kills.get();
    }

    /** Usage at the last measurement. */
    long usage() {
        return usage;
    }

    /** Interval between measurements while commands run. */
    Duration period() {
        return Duration.ofNanos(Math.max(MIN_PERIOD.toNanos(), 10 * walkNanos));
    }

    /** A command is about to start. */
    synchronized void commandStarted() {
        if (inFlight++ == 0) {
            baseline = Math.max(usage, limit);
            monitor = MONITOR.schedule(this::check, period().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * A command has ended: stop watching when it was the last, and measure again soon (on the
     * monitor's thread, at most once per period, so exec itself never waits for a walk).
     */
    synchronized void commandEnded() {
        if (--inFlight == 0 && monitor != null) {
            monitor.cancel(false);
            monitor = null;
        }
        stale = true;
        if (pendingMeasure == null || pendingMeasure.isDone()) {
            long delay =
                    measuredAt == Long.MIN_VALUE ? 0 : Math.max(0, measuredAt + period().toNanos() - System.nanoTime());
            pendingMeasure = MONITOR.schedule(this::measure, delay, TimeUnit.NANOSECONDS);
        }
    }

    private void check() {
        long u = measure();
        boolean kill;
        synchronized (this) {
            if (inFlight == 0) {
                return;
            }
            kill = u > baseline;
            if (kill) {
                kills.incrementAndGet();
            }
            monitor = MONITOR.schedule(this::check, period().toNanos(), TimeUnit.NANOSECONDS);
        }
        if (kill) {
            killCommands.run();
        }
    }

    /** The bytes a tar upload may still bring in: {@code tar} is cut (and the upload fails) past the room left under the quota. */
    java.io.InputStream bounded(java.io.InputStream tar) {
        checkWrite(0);
        long room = limit - usage;
        return new java.io.FilterInputStream(tar) {
            private long read;

            @Override
            public int read() throws IOException {
                int b = super.read();
                count(b < 0 ? 0 : 1);
                return b;
            }

            @Override
            public int read(byte[] buffer, int off, int len) throws IOException {
                int n = super.read(buffer, off, len);
                count(Math.max(0, n));
                return n;
            }

            private void count(int n) {
                read += n;
                if (read > room) {
                    throw new SandboxException("disk quota exceeded: the upload is larger than the "
                            + ByteSize.format(room) + " left of the workspace's " + ByteSize.format(limit) + " quota");
                }
            }
        };
    }

    /** Refuses a write of {@code bytes} through the file API that would take usage above the quota. */
    void checkWrite(long bytes) {
        long u = stale ? measure() : usage;
        if (u + bytes > limit) {
            throw new SandboxException("disk quota exceeded: the workspace uses " + ByteSize.format(u) + " of its "
                    + ByteSize.format(limit) + " quota; delete files (with a command) before writing more");
        }
    }

    /** Directory depth past which a workspace counts as over any quota (its usage is then {@link #TOO_DEEP}). */
    static final int MAX_DEPTH = 256;

    /** The usage recorded for a workspace nested deeper than {@link #MAX_DEPTH}. */
    static final long TOO_DEEP = Long.MAX_VALUE / 4;

    /**
     * Walks the workspace and records its usage. The walk never follows a symbolic link and opens
     * each directory relative to its parent's descriptor ({@code openat} with {@code O_NOFOLLOW}), so
     * a command that swaps a directory for a link while the manager (root) walks cannot make it
     * count anything outside the workspace.
     */
    long measure() {
        stale = false;
        long start = System.nanoTime();
        long total;
        total = 0;
        for (Path r : roots) {
            total += walkRoot(r);
        }
        usage = total;
        long end = System.nanoTime();
        walkNanos = end - start;
        measuredAt = end;
        return total;
    }

    /** One root's usage; a root that is gone (destroy) or not yet made counts nothing, the workspace keeps its last value. */
    private long walkRoot(Path root) {
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(root)) {
            if (!(stream instanceof SecureDirectoryStream<Path> secure)) {
                throw new SandboxException(
                        "this platform offers no race-free directory access (SecureDirectoryStream)");
            }
            return walk(secure, 0);
        } catch (IOException e) {
            return root.equals(roots.get(0)) ? usage : 0;
        }
    }

    private static long walk(SecureDirectoryStream<Path> dir, int depth) {
        if (depth > MAX_DEPTH) {
            return TOO_DEEP;
        }
        long total = 0;
        for (Path entry : dir) {
            Path name = entry.getFileName();
            try {
                PosixFileAttributes attrs = dir.getFileAttributeView(
                                name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .readAttributes();
                total += attrs.size();
                if (attrs.isDirectory()) {
                    try (SecureDirectoryStream<Path> sub = dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
                        total += walk(sub, depth + 1);
                    }
                }
            } catch (IOException e) {
                // removed or replaced while we walked
            }
            if (total >= TOO_DEEP) {
                return TOO_DEEP;
            }
        }
        return total;
    }
}
