package dev.drydock.sandbox.bubblewrap;

import dev.drydock.sandbox.SandboxLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What cgroups this host lets the manager use, detected once: a cgroup v2 subtree with the memory
 * and pids controllers, or the cgroup v1 pids and memory hierarchies (plus cpu when mounted), or
 * none. Each command gets its own child group, removed when the command ends.
 */
final class HostCgroups {
    /** Looked up on first use, so a CLI that never logs never initialises a logging backend. */
    private static System.Logger log() {
        return System.getLogger(HostCgroups.class.getName());
    }

    private static final String GROUP = "drydock";

    enum Version {
        V2,
        V1,
        NONE
    }

    private final Version version;
    private final @Nullable Path v2Parent; // set for V2 only
    private final @Nullable Path v1Pids; // set for V1 only
    private final @Nullable Path v1Memory; // set for V1 only
    private final Optional<Path> v1Cpu;
    private final String whyNone;

    private HostCgroups(
            Version version,
            @Nullable Path v2Parent,
            @Nullable Path v1Pids,
            @Nullable Path v1Memory,
            Optional<Path> v1Cpu,
            String whyNone) {
        this.version = version;
        this.v2Parent = v2Parent;
        this.v1Pids = v1Pids;
        this.v1Memory = v1Memory;
        this.v1Cpu = v1Cpu;
        this.whyNone = whyNone;
    }

    static HostCgroups none(String why) {
        return new HostCgroups(Version.NONE, null, null, null, Optional.empty(), why);
    }

    /** Detects usable cgroups under {@code /sys/fs/cgroup}. */
    static HostCgroups detect(boolean wanted, Path fsRoot) {
        if (!wanted) {
            return none("disabled by configuration (drydock.sandbox.local.cgroups=false)");
        }
        Path controllers = fsRoot.resolve("cgroup.controllers");
        if (Files.isRegularFile(controllers)) {
            try {
                String available = Files.readString(controllers);
                if (!available.contains("memory") || !available.contains("pids")) {
                    return none("cgroup v2 without memory and pids controllers");
                }
                Path parent = fsRoot.resolve(GROUP);
                Files.createDirectories(parent);
                write(
                        fsRoot.resolve("cgroup.subtree_control"),
                        "+memory +pids" + (available.contains("cpu") ? " +cpu" : ""));
                write(
                        parent.resolve("cgroup.subtree_control"),
                        "+memory +pids" + (available.contains("cpu") ? " +cpu" : ""));
                return new HostCgroups(Version.V2, parent, null, null, Optional.empty(), "");
            } catch (IOException | RuntimeException e) {
                return none("cgroup v2 not writable: " + e.getMessage());
            }
        }
        Path pids = fsRoot.resolve("pids");
        Path memory = fsRoot.resolve("memory");
        if (Files.isDirectory(pids) && Files.isDirectory(memory)) {
            try {
                Path p = Files.createDirectories(pids.resolve(GROUP));
                Path m = Files.createDirectories(memory.resolve(GROUP));
                Optional<Path> cpu = Optional.empty();
                if (Files.isRegularFile(fsRoot.resolve("cpu").resolve("cpu.cfs_quota_us"))) {
                    cpu = Optional.of(
                            Files.createDirectories(fsRoot.resolve("cpu").resolve(GROUP)));
                }
                return new HostCgroups(Version.V1, null, p, m, cpu, "");
            } catch (IOException | RuntimeException e) {
                return none("cgroup v1 hierarchies not writable: " + e.getMessage());
            }
        }
        return none("no cgroup file system found at " + fsRoot);
    }

    Version version() {
        return version;
    }

    String whyNone() {
        return whyNone;
    }

    boolean cpuQuota() {
        return version == Version.V2 || v1Cpu.isPresent();
    }

    /** Creates the group of one command with the given limits. */
    ExecGroup create(String name, SandboxLimits limits) {
        List<Path> dirs = new ArrayList<>();
        try {
            switch (version) {
                case V2 -> {
                    Path dir = Files.createDirectory(
                            Objects.requireNonNull(v2Parent, "v2Parent").resolve(name));
                    dirs.add(dir);
                    write(dir.resolve("pids.max"), String.valueOf(limits.maxProcesses()));
                    write(dir.resolve("memory.max"), String.valueOf(limits.memoryBytes()));
                    writeIfExists(dir.resolve("memory.swap.max"), "0");
                    writeIfExists(dir.resolve("cpu.max"), (limits.cpuMillicores() * 100L) + " 100000");
                }
                case V1 -> {
                    Path p = Files.createDirectory(
                            Objects.requireNonNull(v1Pids, "v1Pids").resolve(name));
                    dirs.add(p);
                    write(p.resolve("pids.max"), String.valueOf(limits.maxProcesses()));
                    Path m = Files.createDirectory(
                            Objects.requireNonNull(v1Memory, "v1Memory").resolve(name));
                    dirs.add(m);
                    write(m.resolve("memory.limit_in_bytes"), String.valueOf(limits.memoryBytes()));
                    writeIfExists(m.resolve("memory.memsw.limit_in_bytes"), String.valueOf(limits.memoryBytes()));
                    // A quota at or above the host's cores cannot bind: skip the group and its per-command cost.
                    if (v1Cpu.isPresent()
                            && limits.cpuMillicores()
                                    < 1000L * Runtime.getRuntime().availableProcessors()) {
                        Path c = Files.createDirectory(v1Cpu.get().resolve(name));
                        dirs.add(c);
                        write(c.resolve("cpu.cfs_period_us"), "100000");
                        write(c.resolve("cpu.cfs_quota_us"), String.valueOf(limits.cpuMillicores() * 100L));
                    }
                }
                case NONE -> {}
            }
            return new ExecGroup(version, dirs);
        } catch (IOException e) {
            new ExecGroup(version, dirs).remove();
            throw new IllegalStateException("cannot create cgroup " + name + ": " + e.getMessage(), e);
        }
    }

    /** The cgroups of one command. */
    record ExecGroup(Version version, List<Path> dirs) {
        List<Path> procsFiles() {
            return dirs.stream().map(d -> d.resolve("cgroup.procs")).toList();
        }

        /** Whether a v1 group folder ({@code <root>/<hierarchy>/drydock/<name>}) is in the memory hierarchy. */
        private static boolean inMemoryHierarchy(Path group) {
            Path drydock = group.getParent();
            Path hierarchy = drydock == null ? null : drydock.getParent();
            Path name = hierarchy == null ? null : hierarchy.getFileName();
            return name != null && name.toString().equals("memory");
        }

        /** How many processes of this group the kernel's OOM killer has killed so far. */
        long oomKills() {
            for (Path d : dirs) {
                Path f = d.resolve(version == Version.V2 ? "memory.events" : "memory.oom_control");
                if (version == Version.V2 || inMemoryHierarchy(d)) {
                    try {
                        for (String line : Files.readAllLines(f)) {
                            if (line.startsWith("oom_kill ")) {
                                return Long.parseLong(line.substring(9).trim());
                            }
                        }
                    } catch (IOException | NumberFormatException e) {
                        log().log(
                                        System.Logger.Level.DEBUG,
                                        () -> String.format("cannot read %s: %s", f, e.getMessage()));
                    }
                }
            }
            return 0;
        }

        /** Pids still in the group. */
        List<Long> pids() {
            List<Long> pids = new ArrayList<>();
            for (Path procs : procsFiles()) {
                try {
                    for (String line : Files.readAllLines(procs)) {
                        if (!line.isBlank()) {
                            pids.add(Long.parseLong(line.trim()));
                        }
                    }
                } catch (IOException | NumberFormatException e) {
                    // group already gone
                }
                if (!pids.isEmpty()) {
                    break;
                }
            }
            return pids;
        }

        /** Kills every process in the group (SIGKILL) until it is empty or the deadline passes. */
        void killAll(long deadlineNanos) {
            if (version == Version.V2 && !dirs.isEmpty()) {
                writeIfExistsQuietly(dirs.getFirst().resolve("cgroup.kill"), "1");
            }
            List<Long> pids;
            while (!(pids = pids()).isEmpty() && System.nanoTime() < deadlineNanos) {
                for (long pid : pids) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
                Thread.onSpinWait();
                Thread.yield();
            }
        }

        /** Removes the group directories (after {@link #killAll}). */
        void remove() {
            for (Path d : dirs.reversed()) {
                for (int attempt = 0; attempt < 200; attempt++) {
                    try {
                        Files.deleteIfExists(d);
                        break;
                    } catch (IOException e) {
                        // busy until the last process is reaped by the kernel
                        Thread.yield();
                        try {
                            Thread.sleep(5);
                        } catch (InterruptedException ie) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }
            }
        }
    }

    private static void write(Path file, String value) throws IOException {
        Files.writeString(file, value, StandardCharsets.US_ASCII);
    }

    private static void writeIfExists(Path file, String value) throws IOException {
        if (Files.exists(file)) {
            write(file, value);
        }
    }

    private static void writeIfExistsQuietly(Path file, String value) {
        try {
            writeIfExists(file, value);
        } catch (IOException e) {
            log().log(System.Logger.Level.DEBUG, () -> String.format("cannot write %s: %s", file, e.getMessage()));
        }
    }
}
