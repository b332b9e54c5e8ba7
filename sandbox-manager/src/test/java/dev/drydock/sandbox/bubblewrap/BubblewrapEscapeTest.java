package dev.drydock.sandbox.bubblewrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.drydock.sandbox.ExecRequest;
import dev.drydock.sandbox.ExecResult;
import dev.drydock.sandbox.PathEscapeException;
import dev.drydock.sandbox.Sandbox;
import dev.drydock.sandbox.SandboxKey;
import dev.drydock.sandbox.SandboxOptions;
import dev.drydock.sandbox.Termination;
import dev.drydock.sandbox.testing.Await;
import dev.drydock.sandbox.testing.HostProcesses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The escape suite: real bubblewrap, real attacks, all refused. The host must be healthy afterwards:
 * no process left with a sandbox uid, no cgroup left behind.
 */
class BubblewrapEscapeTest {
    @TempDir
    static Path workRoot;

    static SandboxOptions options;
    static BubblewrapSandboxBackend backend;
    static Sandbox sandbox;
    static Sandbox neighbour;

    @BeforeAll
    static void createSandboxes() {
        options = LocalFixture.options(workRoot);
        backend = new BubblewrapSandboxBackend(options, Clock.systemUTC());
        sandbox = backend.create(LocalFixture.spec(options, "attacker"));
        neighbour = backend.create(LocalFixture.spec(options, "victim"));
        neighbour.writeFile("secret.txt", "neighbour-secret".getBytes(StandardCharsets.UTF_8));
    }

    /** Backends a test made for itself, closed even when it fails. */
    final List<BubblewrapSandboxBackend> cleanups = new ArrayList<>();

    @AfterEach
    void closeOwnBackends() {
        cleanups.forEach(BubblewrapSandboxBackend::close);
    }

    /** The host is healthy afterwards: nothing left of this suite's sandboxes (other test JVMs may have sandboxes of their own). */
    @AfterAll
    static void hostIsHealthy() {
        List<ProcessBudget> budgets = List.of(
                new ProcessBudget((BubblewrapSandbox) sandbox), new ProcessBudget((BubblewrapSandbox) neighbour));
        backend.close();
        for (ProcessBudget b : budgets) {
            assertThat(b.uidProcessesLeft())
                    .as("processes left with a sandbox uid")
                    .isZero();
            assertThat(b.cgroupsLeft()).as("cgroups left of a sandbox").isFalse();
        }
    }

    private static ExecResult sh(String script) {
        return sandbox.exec(ExecRequest.of("/bin/sh", "-c", script).withTimeout(Duration.ofSeconds(20)));
    }

    @Test
    void shouldRefuseConnectionWhenCommandConnectsToHostPort() throws IOException {
        // Given
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(300);
            String hostAddresses = String.join(" ", hostAddresses());
            // When
            ExecResult result = sh("for a in 127.0.0.1 " + hostAddresses + "; do if echo hi > /dev/tcp/$a/"
                    + server.getLocalPort() + "; then echo CONNECTED $a; fi; done 2>&1; exit 0");
            // Then
            assertThat(result.stdout().text()).doesNotContain("CONNECTED");
            assertThatThrownBy(server::accept).isInstanceOf(SocketTimeoutException.class);
        }
    }

    private static List<String> hostAddresses() throws IOException {
        return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress())
                .map(InetAddress::getHostAddress)
                .toList();
    }

    @Test
    void shouldHaveOnlyLoopbackWhenListingNetworkInterfaces() {
        // When
        ExecResult result = sh("cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d ' '");
        // Then
        assertThat(result.stdout().text().strip()).isEqualTo("lo");
    }

    @Test
    void shouldNotFindHostSecretsWhenCommandReadsThem() {
        // When
        ExecResult result = sh(
                "for f in /etc/shadow /etc/gshadow /etc/machine-id /etc/ssh /etc/sudoers /etc/hostname; do cat $f >/dev/null 2>&1 && echo READ $f; done; exit 0");
        // Then
        assertThat(result.stdout().text()).isEqualTo("READ /etc/hostname\n");
    }

    @Test
    void shouldSeeOnlyGeneratedEtcAndCertificatesWhenCommandListsEtc() throws IOException {
        // Given
        String hostName = Files.exists(Path.of("/etc/hostname"))
                ? Files.readString(Path.of("/etc/hostname")).strip()
                : "";
        // When
        ExecResult result = sh(
                "ls -A /etc | tr '\\n' ' '; echo; cat /etc/hostname; id -un; id -gn; test -s /etc/ssl/certs/ca-certificates.crt && echo certs");
        // Then
        String[] lines = result.stdout().text().split("\n");
        List<String> allowed = new ArrayList<>(SandboxEtc.GENERATED);
        SandboxEtc.FROM_HOST.forEach(f -> allowed.add(f.split("/")[0]));
        BuildEnvironment.ETC.forEach(f -> allowed.add(f.split("/")[0]));
        assertThat(lines[0].strip().split(" "))
                .containsAll(SandboxEtc.GENERATED)
                .allMatch(allowed::contains);
        assertThat(lines[1]).isEqualTo("sandbox");
        if (!hostName.isEmpty() && !hostName.equals("sandbox")) {
            assertThat(result.stdout().text()).doesNotContain(hostName + "\n");
        }
        assertThat(lines[2]).isEqualTo("sandbox");
        assertThat(lines[3]).isEqualTo("sandbox");
        if (Files.exists(Path.of("/etc/ssl/certs/ca-certificates.crt"))) {
            assertThat(lines[4]).isEqualTo("certs");
        }
    }

    @Test
    void shouldRefuseDeniedSyscallsWhenCommandCallsThemDirectly() {
        // Given
        SeccompFilter.Arch arch = SeccompFilter.hostArch();
        List<String> calls = List.of(
                "keyctl",
                "add_key",
                "request_key",
                "ptrace",
                "mount",
                "umount2",
                "unshare",
                "setns",
                "bpf",
                "perf_event_open",
                "userfaultfd",
                "io_uring_setup",
                "kexec_load",
                "init_module",
                "finit_module");
        StringBuilder args = new StringBuilder();
        calls.forEach(c ->
                args.append(' ').append(c).append('=').append(arch.numbers().get(c)));
        String perl =
                "for (@ARGV) { ($n, $nr) = split /=/; $r = syscall($nr, 0, 0, 0, 0, 0); print \"$n=\" . ($r == -1 ? $! + 0 : \"ok\") . \"\\n\" }";
        // When
        ExecResult result = sh("grep -E '^Seccomp:' /proc/self/status; perl -e '" + perl + "'" + args
                + "; unshare -U true 2>&1; echo unshare=$?; " + "perl -e 'print \"clone3=\", (syscall("
                + arch.clone3Nr() + ", 0, 0) == -1 ? $! + 0 : \"ok\"), \"\\n\"'");
        // Then
        String out = result.stdout().text();
        assertThat(out).contains("Seccomp:\t2\n");
        for (String c : calls) {
            assertThat(out).as(c).contains(c + "=1\n");
        }
        assertThat(out).contains("unshare failed: Operation not permitted").contains("unshare=1");
        assertThat(out).contains("clone3=38\n");
    }

    @Test
    void shouldNotSeeNeighbourWorkspaceWhenCommandSearchesForIt() {
        // Given
        Path neighbourSecret = workRoot.resolve(neighbour.id().value()).resolve("workspace/secret.txt");
        // When
        ExecResult result = sh("cat " + neighbourSecret + " 2>&1; ls / " + workRoot
                + " 2>&1; grep -rs neighbour-secret / --exclude-dir=proc --exclude-dir=usr 2>/dev/null; exit 0");
        // Then
        assertThat(result.stdout().text()).doesNotContain("neighbour-secret");
        assertThat(result.stdout().text()).contains(neighbourSecret + ": No such file");
    }

    @Test
    void shouldRefuseWritesWhenCommandWritesOutsideWorkspace() {
        // Given
        String marker = "drydock-escape-" + sandbox.id().value();
        // When
        ExecResult result = sh("for d in /etc /usr /usr/local/bin / /root /var/tmp /proc/1 /sys " + workRoot
                + "; do touch $d/" + marker + " 2>/dev/null && echo WROTE $d; done; exit 0");
        // Then
        assertThat(result.stdout().text()).doesNotContain("WROTE");
        assertThat(Path.of("/etc", marker)).doesNotExist();
        assertThat(Path.of("/usr/local/bin", marker)).doesNotExist();
        assertThat(workRoot.resolve(marker)).doesNotExist();
    }

    @Test
    void shouldRefuseDotDotWhenFileApiReadsOutsideWorkspace() {
        // When / Then
        assertThatThrownBy(() -> sandbox.readFile("../" + neighbour.id().value() + "/workspace/secret.txt"))
                .isInstanceOf(PathEscapeException.class)
                .hasMessageContaining("'..'");
        assertThatThrownBy(() -> sandbox.readFile("/etc/passwd")).isInstanceOf(PathEscapeException.class);
        assertThatThrownBy(() -> sandbox.writeFile("a/../../escape.txt", new byte[1]))
                .isInstanceOf(PathEscapeException.class);
        assertThat(workRoot.resolve("escape.txt")).doesNotExist();
    }

    @Test
    void shouldRefuseSymlinksWhenFileApiFollowsLinksPlantedByCommand() {
        // Given
        sh("ln -sf /etc/passwd passwd-link; ln -sfn / root-link; ln -sfn " + workRoot + " host-link");
        // When / Then
        assertThatThrownBy(() -> sandbox.readFile("passwd-link")).isInstanceOf(PathEscapeException.class);
        assertThatThrownBy(() -> sandbox.readFile("root-link/etc/passwd")).isInstanceOf(PathEscapeException.class);
        assertThatThrownBy(() -> sandbox.writeFile("host-link/planted.txt", new byte[] {1}))
                .isInstanceOf(PathEscapeException.class);
        assertThatThrownBy(() -> sandbox.writeFile("passwd-link", new byte[] {1}))
                .isInstanceOf(PathEscapeException.class);
        assertThatThrownBy(() -> sandbox.list("root-link")).isInstanceOf(PathEscapeException.class);
        assertThat(workRoot.resolve("planted.txt")).doesNotExist();
        assertThat(sandbox.stat("passwd-link").type()).isEqualTo(dev.drydock.sandbox.FileEntry.Type.SYMLINK);
    }

    /**
     * Containment is measured, not inferred from a message: while the bomb runs, the sandbox's process
     * count is sampled by the mechanism that bounds it on this host ({@link ProcessBudget}), the host
     * starts a process of its own, and afterwards the same sandbox runs a command and its destroy
     * leaves nothing. Runs once with the host's cgroups (v1 or v2) and once without (RLIMIT_NPROC on
     * the sandbox's uid alone).
     */
    @ParameterizedTest(name = "cgroups={0}")
    @ValueSource(booleans = {true, false})
    void shouldContainForkBombWhenCommandForksForever(boolean useCgroups) throws Exception {
        // Given
        SandboxOptions mode = options.withLocal(options.local().withCgroups(useCgroups));
        BubblewrapSandboxBackend modeBackend = new BubblewrapSandboxBackend(mode, Clock.systemUTC());
        BubblewrapSandbox victim = (BubblewrapSandbox) modeBackend.create(LocalFixture.spec(mode, "forkbomb"));
        ProcessBudget budget = new ProcessBudget(victim);
        cleanups.add(modeBackend);
        assumeTrue(
                budget.cgroup() || budget.rlimit(),
                "nothing bounds processes here; the backend only starts with "
                        + SandboxKey.LOCAL_ALLOW_UNLIMITED_PROCESSES.key());
        int limit = mode.limits().maxProcesses();
        BombWatch watch = new BombWatch(budget, limit);

        // When
        CompletableFuture<ExecResult> bomb = CompletableFuture.supplyAsync(
                () -> victim.exec(ExecRequest.of("/bin/bash", "-c", "b(){ b | b & }; b; exec sleep 1000")
                        .withTimeout(Duration.ofSeconds(6))));
        Await.until(
                "the bomb to fill the sandbox's process budget",
                Duration.ofSeconds(30),
                () -> watch.sample() && watch.full() || bomb.isDone());
        boolean fullWhileRunning = watch.full() && !bomb.isDone();
        Process host = new ProcessBuilder("/bin/true").start();
        boolean hostForked = host.waitFor(10, TimeUnit.SECONDS) && host.exitValue() == 0;
        Await.until("the bomb's command to end", Duration.ofSeconds(30), () -> watch.sample() && bomb.isDone());
        ExecResult result = bomb.join();

        // Then
        assertThat(fullWhileRunning)
                .as("the bomb filled the budget while it ran (" + watch + ")")
                .isTrue();
        assertThat(hostForked).as("the host started a process during the bomb").isTrue();
        if (budget.cgroup()) {
            assertThat(budget.cgroupMax()).hasValue(limit);
            assertThat(watch.cgroupPeak)
                    .as("tasks in the sandbox's pids group, launcher included")
                    .isLessThanOrEqualTo(limit);
            assertThat(budget.cgroupRefusals())
                    .as("forks the kernel refused at pids.max")
                    .isPositive();
        }
        if (budget.rlimit()) {
            assertThat(watch.uidPeak)
                    .as("processes of the sandbox's uid (RLIMIT_NPROC)")
                    .isLessThanOrEqualTo(limit);
        }
        assertThat(result.termination()).isIn(new Termination.TimedOut(), new Termination.Killed("memory"));
        assertThat(result.elapsed()).isLessThan(Duration.ofSeconds(20));
        assertThat(victim.exec(ExecRequest.of("/bin/echo", "still-works"))
                        .stdout()
                        .text())
                .isEqualTo("still-works\n");
        modeBackend.close();
        assertThat(budget.uidProcessesLeft())
                .as("processes left with the sandbox's uid")
                .isZero();
        assertThat(budget.cgroupsLeft()).as("cgroups left of the sandbox").isFalse();
    }

    /** Peaks of a {@link ProcessBudget} sampled while a bomb runs. */
    private static final class BombWatch {
        private final ProcessBudget budget;
        private final int limit;
        long cgroupPeak;
        int uidPeak;
        int samples;

        BombWatch(ProcessBudget budget, int limit) {
            this.budget = budget;
            this.limit = limit;
        }

        /** Takes one sample; always true, to sit in an {@link Await} condition. */
        boolean sample() {
            samples++;
            budget.cgroupCurrent().ifPresent(n -> cgroupPeak = Math.max(cgroupPeak, n));
            budget.cgroupPeak().ifPresent(n -> cgroupPeak = Math.max(cgroupPeak, n));
            uidPeak = Math.max(uidPeak, budget.uidProcesses());
            return true;
        }

        /** Whether a sample saw the budget exhausted by the mechanism that enforces it. */
        boolean full() {
            return budget.cgroup() ? cgroupPeak >= limit : uidPeak >= limit;
        }

        @Override
        public String toString() {
            return "samples=" + samples + " cgroupPeak=" + cgroupPeak + " uidPeak=" + uidPeak + " limit=" + limit;
        }
    }

    @Test
    void shouldKillMemoryHogWhenItExceedsTheLimit() {
        // When
        ExecResult result = sh("x=$(head -c 300000000 /dev/zero | tr '\\0' a); echo ${#x}");
        // Then
        assertThat(result.stdout().text()).doesNotContain("300000000");
        assertThat(result.termination()).isNotEqualTo(new Termination.Exited(0));
        if (backend.cgroups().version() != HostCgroups.Version.NONE) {
            assertThat(result.termination()).isEqualTo(new Termination.Killed("memory"));
        }
    }

    @Test
    void shouldStopDiskFillerWhenItExceedsFileSizeAndTmpLimits() throws IOException {
        // When
        ExecResult big = sh("dd if=/dev/zero of=/workspace/fill bs=1M count=100 2>&1");
        ExecResult tmp =
                sh("for i in 1 2 3 4 5 6; do dd if=/dev/zero of=/tmp/fill$i bs=1M count=7 2>&1 || exit 1; done");
        // Then
        assertThat(big.termination()).isEqualTo(new Termination.Killed("file-size"));
        Path fill = workRoot.resolve(sandbox.id().value()).resolve("workspace/fill");
        assertThat(Files.size(fill)).isLessThanOrEqualTo(8L << 20);
        assertThat(tmp.exitCode()).isEqualTo(1);
        assertThat(tmp.stdout().text()).contains("No space left on device");
        sandbox.exec(ExecRequest.of("rm", "-f", "fill"));
    }

    @Test
    void shouldKillDiskFillerWhenWorkspaceExceedsItsQuota() {
        // Given
        BubblewrapSandbox filler = (BubblewrapSandbox)
                backend.create(LocalFixture.spec(options, "filler").withLimits(LocalFixture.withDiskQuota(4L << 20)));
        // When
        ExecResult result = filler.exec(ExecRequest.of(
                        "/bin/sh",
                        "-c",
                        "i=0; while [ $i -lt 200 ]; do head -c 1000000 /dev/zero > f$i; sleep 0.05; i=$((i+1)); done; echo filled")
                .withTimeout(Duration.ofSeconds(60)));
        // Then
        assertThat(result.termination()).isEqualTo(new Termination.Killed("disk-quota"));
        assertThat(result.stdout().text()).doesNotContain("filled");
        assertThatThrownBy(() -> filler.writeFile("more.txt", new byte[1]))
                .isInstanceOf(dev.drydock.sandbox.SandboxException.class)
                .hasMessageContaining("disk quota exceeded");
        filler.destroy();
    }

    @Test
    void shouldKillWholeTreeWhenProcessIgnoresSigtermAndTimesOut() {
        // Given
        ExecRequest stubborn = ExecRequest.of(
                        "/bin/sh",
                        "-c",
                        "trap '' TERM; (trap '' TERM; while :; do :; done) & sleep 1000 & while :; do :; done")
                .withTimeout(Duration.ofMillis(800));
        // When
        ExecResult result = sandbox.exec(stubborn);
        // Then
        assertThat(result.termination()).isEqualTo(new Termination.TimedOut());
        assertThat(result.statusLine()).isEqualTo("exit=timeout");
        assertThat(result.elapsed()).isLessThan(Duration.ofSeconds(10));
        assertThat(new ProcessBudget((BubblewrapSandbox) sandbox).uidProcessesLeft())
                .isZero();
    }

    @Test
    void shouldTruncateWhenCommandFloodsOneGigabyte() {
        // Given
        AtomicLong streamed = new AtomicLong();
        // When
        ExecResult result = sandbox.exec(
                ExecRequest.of("head", "-c", String.valueOf(1L << 30), "/dev/zero")
                        .withTimeout(Duration.ofSeconds(60)),
                (channel, chunk) -> streamed.addAndGet(chunk.length));
        // Then
        assertThat(result.termination()).isEqualTo(new Termination.Exited(0));
        assertThat(result.stdout().truncated()).isTrue();
        assertThat(result.stdout().totalBytes()).isEqualTo(1L << 30);
        assertThat(result.stdout().text()).endsWith("[drydock: output truncated after 65536 bytes]\n");
        assertThat(streamed.get()).isLessThan(70_000);
    }

    @Test
    void shouldRunAsUnprivilegedUidWhenInspectingCredentials() {
        // When
        ExecResult result = sh(
                "id -u; grep -E '^(CapEff|CapBnd|NoNewPrivs)' /proc/self/status; unshare -U true 2>&1; echo userns=$?");
        // Then
        assertThat(result.stdout().text())
                .startsWith("1000\n")
                .contains("CapEff:\t0000000000000000")
                .contains("CapBnd:\t0000000000000000");
        assertThat(result.stdout().text()).doesNotContain("userns=0");
        if (HostProcesses.isRoot()) {
            assertThat(((BubblewrapSandbox) sandbox).hostUid()).isPresent();
        }
    }
}
