package dev.drydock.sandbox.bubblewrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.drydock.sandbox.SandboxKey;
import dev.drydock.sandbox.SandboxOptions;
import dev.drydock.sandbox.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the local backend needs before it starts sandboxes: a bound on processes, and host uids no other manager uses. */
class BackendStartTest {
    @TempDir
    Path leases;

    @Test
    void shouldRefuseToStartWhenNothingBoundsProcesses() {
        // When
        Optional<String> refusal = BubblewrapSandboxBackend.unboundedProcesses(
                false, HostCgroups.none("no cgroup file system found at /sys/fs/cgroup"), false);
        // Then
        assertThat(refusal)
                .hasValueSatisfying(m -> assertThat(m)
                        .contains(
                                "fork bomb",
                                "no cgroup file system",
                                SandboxKey.LOCAL_ALLOW_UNLIMITED_PROCESSES.key() + "=true"));
        assertThat(BubblewrapSandboxBackend.unboundedProcesses(false, HostCgroups.none("x"), true))
                .as("operator switch")
                .isEmpty();
        assertThat(BubblewrapSandboxBackend.unboundedProcesses(true, HostCgroups.none("x"), false))
                .as("root: RLIMIT_NPROC per sandbox uid")
                .isEmpty();
        assertThat(SandboxOptions.defaults().local().allowUnlimitedProcesses()).isFalse();
    }

    @Test
    void shouldLeaseDifferentUidsWhenTwoManagersShareTheRange() {
        // Given
        UidLeases first = new UidLeases(leases, 300_000, 3);
        UidLeases second = new UidLeases(leases, 300_000, 3);
        int a = first.acquire();
        // When
        int b = second.acquire();
        // Then
        assertThat(a).isEqualTo(300_000);
        assertThat(b).isEqualTo(300_001);
        first.release(a);
        assertThat(second.acquire()).isEqualTo(300_000);
    }

    @Test
    void shouldSkipUidLockedByAnotherProcessWhenLeasing() throws IOException, InterruptedException {
        // Given
        assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/python3")),
                "needs python3 to hold a POSIX lock from another process");
        Path ready = leases.resolve("ready");
        Process holder = new ProcessBuilder(
                        "/usr/bin/python3",
                        "-c",
                        "import fcntl,sys,time; f=open(sys.argv[1],'w'); fcntl.lockf(f, fcntl.LOCK_EX); open(sys.argv[2],'w').close(); time.sleep(60)",
                        leases.resolve("300000.lock").toString(),
                        ready.toString())
                .start();
        try {
            Await.until("the other process to hold the lock", Duration.ofSeconds(20), () -> Files.exists(ready));
            // When
            int uid = new UidLeases(leases, 300_000, 3).acquire();
            // Then
            assertThat(uid).isEqualTo(300_001);
        } finally {
            holder.destroyForcibly().waitFor();
        }
    }
}
