package dev.drydock.sandbox.bubblewrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.sandbox.ExecRequest;
import dev.drydock.sandbox.ExecResult;
import dev.drydock.sandbox.InvalidSpecException;
import dev.drydock.sandbox.Sandbox;
import dev.drydock.sandbox.SandboxDestroyedException;
import dev.drydock.sandbox.SandboxId;
import dev.drydock.sandbox.SandboxOptions;
import dev.drydock.sandbox.Termination;
import dev.drydock.sandbox.UnknownSandboxException;
import dev.drydock.sandbox.testing.Await;
import dev.drydock.sandbox.testing.HostProcesses;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-sandbox launcher (ADR 0006): commands cannot reach it, and it leaves nothing behind. */
class BubblewrapLauncherTest {
    @TempDir
    Path workRoot;

    SandboxOptions options;
    BubblewrapSandboxBackend backend;

    @BeforeEach
    void setUp() {
        options = LocalFixture.options(workRoot);
        backend = new BubblewrapSandboxBackend(options, Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        // Only this test's sandboxes: other test JVMs on the host may run sandboxes of their own.
        List<ProcessBudget> own = backend.list().stream()
                .map(s -> new ProcessBudget((BubblewrapSandbox) s))
                .toList();
        backend.close();
        for (ProcessBudget b : own) {
            assertThat(b.uidProcessesLeft())
                    .as("processes left with a sandbox uid")
                    .isZero();
            assertThat(b.cgroupsLeft()).as("cgroups left of a sandbox").isFalse();
        }
    }

    @Test
    void shouldKeepLauncherWhenCommandKillsEverythingItCanSee() {
        // Given
        BubblewrapSandbox sandbox = (BubblewrapSandbox) backend.create(LocalFixture.spec(options, "s1"));
        sandbox.exec(ExecRequest.of("true"));
        long launcher = sandbox.launcherPid().orElseThrow();
        // When
        ExecResult kill =
                sandbox.exec(ExecRequest.of("sh", "-c", "kill -9 -1; kill -9 " + launcher + " 2>&1; echo survived"));
        ExecResult after = sandbox.exec(ExecRequest.of("echo", "still-works"));
        // Then
        assertThat(kill.termination()).isNotEqualTo(new Termination.Killed("launcher-lost"));
        assertThat(after.stdout().text()).isEqualTo("still-works\n");
        assertThat(sandbox.launcherPid()).hasValue(launcher);
    }

    @Test
    void shouldGiveCommandOnlyItsStandardStreamsWhenListingDescriptors() {
        // Given
        Sandbox sandbox = backend.create(LocalFixture.spec(options, "s1"));
        // When
        ExecResult result = sandbox.exec(
                ExecRequest.of(
                        "sh",
                        "-c",
                        "for n in 0 1 2 3 4 5 6 7 8 9 10 11 12 255; do [ -e /proc/$$/fd/$n ] && echo \"fd $n\"; done; printf 'exit 0\\n' >&3; exit 3"));
        // Then
        assertThat(result.stdout().text()).isEqualTo("fd 0\nfd 1\nfd 2\n");
        assertThat(result.termination()).isEqualTo(new Termination.Exited(3));
    }

    @Test
    void shouldKeepStatusStdinAndOutputApartWhenCommandsRunConcurrently() {
        // Given
        Sandbox sandbox = backend.create(LocalFixture.spec(options, "s1"));
        // When
        List<ExecResult> results = IntStream.range(0, 6)
                .mapToObj(i -> CompletableFuture.supplyAsync(
                        () -> sandbox.exec(ExecRequest.of("sh", "-c", "cat; echo \" $N\" >&2; exit $N")
                                .withEnv(Map.of("N", String.valueOf(i)))
                                .withStdin(("in-" + i).getBytes(StandardCharsets.UTF_8)))))
                .toList()
                .stream()
                .map(CompletableFuture::join)
                .toList();
        // Then
        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i).stdout().text()).isEqualTo("in-" + i);
            assertThat(results.get(i).stderr().text()).isEqualTo(" " + i + "\n");
            assertThat(results.get(i).termination()).isEqualTo(new Termination.Exited(i));
        }
    }

    @Test
    void shouldKillRunningCommandAndLeaveNothingWhenSandboxIsDestroyed() {
        // Given
        BubblewrapSandbox sandbox = (BubblewrapSandbox) backend.create(LocalFixture.spec(options, "s1"));
        int uid = sandbox.hostUid().orElse(-1);
        CompletableFuture<ExecResult> running = CompletableFuture.supplyAsync(() -> sandbox.exec(
                ExecRequest.of("sh", "-c", "sleep 1000 & sleep 1000").withTimeout(Duration.ofSeconds(60))));
        long launcher;
        if (uid >= 0) {
            Await.until(
                    "the command to run",
                    Duration.ofSeconds(20),
                    () -> HostProcesses.withUidIn(uid, uid + 1).size() >= 2);
        }
        Await.until(
                "the launcher",
                Duration.ofSeconds(20),
                () -> sandbox.launcherPid().isPresent());
        launcher = sandbox.launcherPid().getAsLong();
        // When
        sandbox.destroy();
        // Then
        assertThat(running.join().termination()).isEqualTo(new Termination.Killed("destroyed"));
        assertThat(ProcessHandle.of(launcher).filter(ProcessHandle::isAlive)).isEmpty();
        if (uid >= 0) {
            assertThat(HostProcesses.withUidIn(uid, uid + 1)).isEmpty();
        }
        assertThatThrownBy(() -> sandbox.exec(ExecRequest.of("true")))
                .isInstanceOf(SandboxDestroyedException.class)
                .hasMessageContaining("has been destroyed");
    }

    @Test
    void shouldRefuseBadInputWithClearErrorsWhenExecuting() {
        // Given
        Sandbox sandbox = backend.create(LocalFixture.spec(options, "s1"));
        // When / Then
        assertThatThrownBy(() -> backend.get(new SandboxId("sbx-0000000000000000")))
                .isInstanceOf(UnknownSandboxException.class)
                .hasMessage("unknown sandbox id: sbx-0000000000000000");
        assertThatThrownBy(() -> sandbox.exec(ExecRequest.of("echo", "a\0b")))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("NUL");
        assertThatThrownBy(() -> sandbox.exec(ExecRequest.of("true").withCwd("a\0b")))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("NUL");
        assertThatThrownBy(() -> sandbox.exec(ExecRequest.of("true").withEnv(Map.of("BIG", "x".repeat(1 << 20)))))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("environment too large");
        assertThat(sandbox.exec(ExecRequest.of("echo", "fine")).stdout().text()).isEqualTo("fine\n");
    }
}
