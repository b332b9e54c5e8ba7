package dev.drydock.sandbox.bubblewrap;

import dev.drydock.sandbox.SandboxUnavailableException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Host-wide leases of sandbox uids: one lock file per uid in a root-only folder, held (an advisory
 * {@code fcntl} lock) for as long as the sandbox lives. Two managers on one host (a server and a test
 * JVM, two test JVMs) therefore never give the same host uid to two sandboxes, which would let them
 * share an RLIMIT_NPROC budget and the file permissions that keep sandboxes apart. The kernel drops
 * the locks of a process that dies, so a crashed manager leaks no lease.
 */
final class UidLeases {
    /** Where the lock files live; only used when the manager runs as root. */
    static final Path DIR = Path.of("/run/drydock-sandbox-uids");

    private final Path dir;
    private final int base;
    private final int count;
    private final Map<Integer, FileLock> held = new HashMap<>();

    UidLeases(Path dir, int base, int count) {
        this.dir = dir;
        this.base = base;
        this.count = count;
    }

    /** Leases the first free uid of the range. */
    synchronized int acquire() {
        try {
            Files.createDirectories(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new SandboxUnavailableException(
                    "cannot create the sandbox uid lease folder " + dir + ": " + e.getMessage(), e);
        }
        for (int uid = base; uid < base + count; uid++) {
            if (held.containsKey(uid)) {
                continue;
            }
            @Nullable FileChannel channel = null;
            try {
                channel = FileChannel.open(
                        dir.resolve(uid + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    held.put(uid, lock);
                    return uid;
                }
                channel.close();
            } catch (OverlappingFileLockException e) {
                // another backend of this JVM holds it
                closeQuietly(channel);
            } catch (IOException e) {
                closeQuietly(channel);
                throw new SandboxUnavailableException(
                        "cannot lease a sandbox uid in " + dir + ": " + e.getMessage(), e);
            }
        }
        throw new dev.drydock.sandbox.SandboxCapacityException("no free sandbox uid: all " + count + " uids from "
                + base + " are leased by live sandboxes on this host");
    }

    /** Gives a uid back. */
    synchronized void release(int uid) {
        FileLock lock = held.remove(uid);
        if (lock != null) {
            closeQuietly(lock.channel());
        }
    }

    private static void closeQuietly(@Nullable FileChannel c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            // the lock goes with the descriptor
        }
    }
}
