package dev.drydock.sandbox;

import java.time.Duration;

/**
 * Resource limits of one sandbox. Every limit is mandatory and positive; which of them a backend
 * actually enforces on this host is reported by {@link SandboxBackend#enforcement()}.
 *
 * @param memoryBytes memory for all processes together (cgroup) or per process address space (rlimit)
 * @param cpuMillicores CPU share (Kubernetes limit, cgroup quota); 1000 = one core
 * @param cpuTime CPU seconds one process may consume before it is killed (RLIMIT_CPU)
 * @param maxProcesses processes/threads the sandbox may hold at once
 * @param maxFileSizeBytes largest file a process may write (RLIMIT_FSIZE)
 * @param ephemeralStorageBytes workspace plus scratch storage (Kubernetes ephemeral-storage)
 * @param tmpBytes size of the private {@code /tmp}
 * @param outputLimitBytes stdout and stderr bytes kept per stream and command; the rest is dropped
 *     and replaced by a marker
 */
public record SandboxLimits(
        long memoryBytes,
        int cpuMillicores,
        Duration cpuTime,
        int maxProcesses,
        long maxFileSizeBytes,
        long ephemeralStorageBytes,
        long tmpBytes,
        int outputLimitBytes) {

    /** Conservative defaults for a droid session. */
    public static final SandboxLimits DEFAULTS =
            new SandboxLimits(2L << 30, 2000, Duration.ofMinutes(30), 512, 1L << 30, 10L << 30, 512L << 20, 1 << 20);

    public SandboxLimits {
        positive("memory", memoryBytes);
        positive("cpu (millicores)", cpuMillicores);
        if (cpuTime == null || cpuTime.isNegative() || cpuTime.isZero()) {
            throw new InvalidSpecException("limit cpu-time must be positive, got " + cpuTime);
        }
        positive("max-processes", maxProcesses);
        positive("max-file-size", maxFileSizeBytes);
        positive("ephemeral-storage", ephemeralStorageBytes);
        positive("tmp-size", tmpBytes);
        positive("output-limit", outputLimitBytes);
        if (memoryBytes < (4L << 20)) {
            throw new InvalidSpecException("limit memory must be at least 4m, got " + memoryBytes + " bytes");
        }
        if (maxProcesses < 2) {
            throw new InvalidSpecException("limit max-processes must be at least 2, got " + maxProcesses);
        }
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new InvalidSpecException("limit " + name + " must be positive, got " + value);
        }
    }

    public SandboxLimits withMemoryBytes(long bytes) {
        return new SandboxLimits(
                bytes,
                cpuMillicores,
                cpuTime,
                maxProcesses,
                maxFileSizeBytes,
                ephemeralStorageBytes,
                tmpBytes,
                outputLimitBytes);
    }

    public SandboxLimits withMaxProcesses(int n) {
        return new SandboxLimits(
                memoryBytes,
                cpuMillicores,
                cpuTime,
                n,
                maxFileSizeBytes,
                ephemeralStorageBytes,
                tmpBytes,
                outputLimitBytes);
    }

    public SandboxLimits withMaxFileSizeBytes(long bytes) {
        return new SandboxLimits(
                memoryBytes,
                cpuMillicores,
                cpuTime,
                maxProcesses,
                bytes,
                ephemeralStorageBytes,
                tmpBytes,
                outputLimitBytes);
    }

    public SandboxLimits withCpuTime(Duration d) {
        return new SandboxLimits(
                memoryBytes,
                cpuMillicores,
                d,
                maxProcesses,
                maxFileSizeBytes,
                ephemeralStorageBytes,
                tmpBytes,
                outputLimitBytes);
    }

    public SandboxLimits withTmpBytes(long bytes) {
        return new SandboxLimits(
                memoryBytes,
                cpuMillicores,
                cpuTime,
                maxProcesses,
                maxFileSizeBytes,
                ephemeralStorageBytes,
                bytes,
                outputLimitBytes);
    }

    public SandboxLimits withOutputLimitBytes(int bytes) {
        return new SandboxLimits(
                memoryBytes,
                cpuMillicores,
                cpuTime,
                maxProcesses,
                maxFileSizeBytes,
                ephemeralStorageBytes,
                tmpBytes,
                bytes);
    }
}
