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
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
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
