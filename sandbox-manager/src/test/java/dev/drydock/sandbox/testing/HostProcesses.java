package dev.drydock.sandbox.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Looks at host processes through {@code /proc}, to prove that nothing leaked. */
public final class HostProcesses {
    private HostProcesses() {}

    /** Pids of live processes whose real uid is in {@code [from, to)}. */
    public static List<Long> withUidIn(int from, int to) {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(
                Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : proc) {
                try {
                    for (String line : Files.readAllLines(p.resolve("status"))) {
                        if (line.startsWith("Uid:")) {
                            int uid = Integer.parseInt(line.substring(4).trim().split("\\s+")[0]);
                            if (uid >= from && uid < to && !isZombie(p)) {
                                pids.add(Long.parseLong(p.getFileName().toString()));
                            }
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // process ended while we looked
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return pids;
    }

    /**
     * How many processes with real uid {@code uid} existed together at the instant {@code bootTicks}
     * was read, zombies included (a zombie holds its process slot until it is reaped). A scan of
     * {@code /proc} is not atomic: a process that exits after it was counted and one forked later could
     * both be counted. Counting only processes that started in a clock tick strictly before {@code
     * bootTicks} and still exist when read makes the result a set that was alive all at once, so it
     * never exceeds what the kernel held at that instant (it may miss processes born in the last tick).
     */
    public static int withUidStartedBefore(int uid, long bootTicks) {
        int count = 0;
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(
                Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : proc) {
                try {
                    if (realUid(p) != uid) {
                        continue;
                    }
                    String stat = Files.readString(p.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // fields[0] is field 3 (state) of proc(5); starttime is field 22
                    if (Long.parseLong(fields[19]) < bootTicks) {
                        count++;
                    }
                } catch (IOException | RuntimeException e) {
                    // process ended while we looked: it was not alive at the instant
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return count;
    }

    /**
     * The time since boot in clock ticks, the unit of {@code starttime} in {@code /proc/PID/stat}:
     * {@code /proc/uptime} has centiseconds, and USER_HZ, the tick of that ABI, is 100 on every
     * architecture the sandbox supports (x86_64, aarch64).
     */
    public static long bootTicks() {
        try {
            String uptime = Files.readString(Path.of("/proc/uptime")).split(" ")[0];
            int dot = uptime.indexOf('.');
            return Long.parseLong(uptime.substring(0, dot)) * 100
                    + Long.parseLong((uptime.substring(dot + 1) + "00").substring(0, 2));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int realUid(Path p) throws IOException {
        for (String line : Files.readAllLines(p.resolve("status"))) {
            if (line.startsWith("Uid:")) {
                return Integer.parseInt(line.substring(4).trim().split("\\s+")[0]);
            }
        }
        return -1;
    }

    private static boolean isZombie(Path p) throws IOException {
        for (String line : Files.readAllLines(p.resolve("status"))) {
            if (line.startsWith("State:")) {
                return line.contains("Z");
            }
        }
        return false;
    }

    /** Whether the current JVM runs as root. */
    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.substring(4).trim().split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
