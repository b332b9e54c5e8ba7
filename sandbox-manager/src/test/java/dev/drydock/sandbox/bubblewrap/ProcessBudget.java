package dev.drydock.sandbox.bubblewrap;

import dev.drydock.sandbox.testing.HostProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Measures how much of its process budget a local sandbox holds, by the mechanisms that enforce it
 * on this host, so that a test can assert containment by measurement:
 *
 * <ul>
 *   <li><b>cgroup</b> (v1 or v2): the kernel's own counters of the sandbox's pids group ({@code
 *       pids.current}, {@code pids.peak} where the kernel has it, {@code pids.events}). The group holds
 *       the launcher and its per-command subshells as well as the commands, so they are inside {@code
 *       pids.max}: nothing is added for them.
 *   <li><b>RLIMIT_NPROC</b> (root, with or without cgroups): the processes whose real uid is the
 *       sandbox's host uid, counted in one consistent snapshot (see {@link
 *       HostProcesses#withUidStartedBefore}). The launcher and its subshells run as the manager (root)
 *       and are not charged to the uid, so they are not counted either.
 * </ul>
 */
final class ProcessBudget {
    private final HostCgroups.ExecGroup group;
    private final OptionalInt uid;

    ProcessBudget(BubblewrapSandbox sandbox) {
        this.group = sandbox.execGroup();
        this.uid = sandbox.hostUid();
    }

    /** Whether a cgroup pids controller counts this sandbox. */
    boolean cgroup() {
        return group.version() != HostCgroups.Version.NONE;
    }

    /** Whether RLIMIT_NPROC counts this sandbox's uid (the manager runs as root). */
    boolean rlimit() {
        return uid.isPresent();
    }

    /** The kernel's count of tasks in the sandbox's pids group now. */
    OptionalLong cgroupCurrent() {
        return cgroup() ? read("pids.current") : OptionalLong.empty();
    }

    /** The kernel's high-water mark of the group (kernels that keep {@code pids.peak}). */
    OptionalLong cgroupPeak() {
        return cgroup() ? read("pids.peak") : OptionalLong.empty();
    }

    /** The group's {@code pids.max}. */
    OptionalLong cgroupMax() {
        return cgroup() ? read("pids.max") : OptionalLong.empty();
    }

    /** How many forks the kernel refused because the group was at {@code pids.max}. */
    long cgroupRefusals() {
        if (!cgroup()) {
            return 0;
        }
        try {
            for (String line : Files.readAllLines(pidsDir().resolve("pids.events"))) {
                if (line.startsWith("max ")) {
                    return Long.parseLong(line.substring(4).trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /** Processes of the sandbox's uid that all existed at one instant just before this call (zombies included: they hold their slot until reaped). */
    int uidProcesses() {
        return uid.isPresent() ? HostProcesses.withUidStartedBefore(uid.getAsInt(), HostProcesses.bootTicks()) : 0;
    }

    /** Live (non-zombie) processes with the sandbox's uid, whenever they started. */
    int uidProcessesLeft() {
        return uid.isPresent()
                ? HostProcesses.withUidIn(uid.getAsInt(), uid.getAsInt() + 1).size()
                : 0;
    }

    /** Whether any of the sandbox's cgroup directories still exists. */
    boolean cgroupsLeft() {
        return group.dirs().stream().anyMatch(Files::exists);
    }

    private Path pidsDir() {
        return group.dirs().getFirst();
    }

    private OptionalLong read(String file) {
        try {
            String v = Files.readString(pidsDir().resolve(file)).strip();
            return v.equals("max") ? OptionalLong.of(Long.MAX_VALUE) : OptionalLong.of(Long.parseLong(v));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
