package dev.drydock.sandbox.bubblewrap;

import dev.drydock.sandbox.SandboxLimits;
import dev.drydock.sandbox.SandboxOptions;
import dev.drydock.sandbox.SandboxPolicy;
import dev.drydock.sandbox.SandboxSpec;
import dev.drydock.sandbox.testing.HostProcesses;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Small limits that keep the escape suite fast and the host safe. */
final class LocalFixture {
    static final SandboxLimits SMALL =
            new SandboxLimits(64L << 20, 1000, Duration.ofSeconds(20), 64, 8L << 20, 1L << 30, 16L << 20, 64 * 1024);

    private LocalFixture() {}

    /** {@link #SMALL} with a workspace quota (ephemeral storage) of {@code bytes}. */
    static SandboxLimits withDiskQuota(long bytes) {
        SandboxLimits l = SMALL;
        return new SandboxLimits(
                l.memoryBytes(),
                l.cpuMillicores(),
                l.cpuTime(),
                l.maxProcesses(),
                l.maxFileSizeBytes(),
                bytes,
                l.tmpBytes(),
                l.outputLimitBytes());
    }

    /** A work root below a JUnit temp dir, reachable by sandbox uids (JUnit creates its dirs 0700). */
    static SandboxOptions options(Path tempDir) {
        try {
            java.nio.file.Files.setPosixFilePermissions(
                    tempDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Path workRoot = tempDir;
        SandboxOptions d = SandboxOptions.defaults();
        // Without root nothing bounds a sandbox's processes and the backend would refuse to start: the
        // tests still run there, and the fork bomb test skips itself (it checks what bounds processes).
        // Host build caches are off here (sharing the host's Maven repository costs seconds per backend);
        // BuildEnvironmentTest turns them on.
        return d.withLimits(SMALL)
                .withLocal(d.local()
                        .withWorkRoot(workRoot)
                        .withAllowUnlimitedProcesses(!HostProcesses.isRoot())
                        .withHostBuildCaches(false));
    }

    static BubblewrapSandboxBackend backend(Path workRoot, Clock clock) {
        return new BubblewrapSandboxBackend(options(workRoot), clock);
    }

    static SandboxSpec spec(SandboxOptions options, String session) {
        return new SandboxPolicy(options).spec(session, "ws-" + session);
    }
}
