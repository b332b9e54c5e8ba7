package dev.drydock.sandbox.bubblewrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.sandbox.Enforcement;
import dev.drydock.sandbox.ExecRequest;
import dev.drydock.sandbox.ExecResult;
import dev.drydock.sandbox.PathEscapeException;
import dev.drydock.sandbox.Sandbox;
import dev.drydock.sandbox.SandboxDestroyedException;
import dev.drydock.sandbox.SandboxLabels;
import dev.drydock.sandbox.SandboxOptions;
import dev.drydock.sandbox.SandboxSpec;
import dev.drydock.sandbox.SetupStep;
import dev.drydock.sandbox.UnknownSandboxException;
import dev.drydock.sandbox.WorkspaceSource;
import dev.drydock.sandbox.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lifecycle of local sandboxes with real bubblewrap. */
class BubblewrapSandboxTest {
    @TempDir
    Path workRoot;

    @TempDir
    Path mirrorDir;

    MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    SandboxOptions options;
    BubblewrapSandboxBackend backend;

    @BeforeEach
    void setUp() {
        options = LocalFixture.options(workRoot);
        backend = new BubblewrapSandboxBackend(options, clock);
    }

    @AfterEach
    void tearDown() {
        backend.close();
    }

    @Test
    void shouldRunWithCleanEnvironmentAndStdinWhenExecuting() {
        // Given
        Sandbox sandbox = backend.create(LocalFixture.spec(options, "s1"));
        StringBuilder streamed = new StringBuilder();
        // When
        ExecResult result = sandbox.exec(
                ExecRequest.of("sh", "-c", "env | sort; cat")
                        .withEnv(Map.of("GREETING", "hi"))
                        .withStdin("from-stdin".getBytes(StandardCharsets.UTF_8)),
                (channel, chunk) -> {
                    synchronized (streamed) {
                        streamed.append(new String(chunk, StandardCharsets.UTF_8));
                    }
                });
        // Then
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout().text())
                .contains("GREETING=hi\n", "HOME=/home/sandbox\n", "PATH=/usr/local/bin:/usr/bin:/bin\n")
                .doesNotContain("JAVA_HOME")
                .doesNotContain("MAVEN")
                .endsWith("from-stdin");
        assertThat(streamed.toString()).isEqualTo(result.stdout().text());
        assertThat(sandbox.labels())
                .containsEntry(SandboxLabels.SESSION_ID, "s1")
                .containsEntry(SandboxLabels.WORKSPACE_ID, "ws-s1");
    }

    @Test
    void shouldLetCommandsModifyFilesWhenFileApiCreatedThem() {
        // Given
        Sandbox sandbox = backend.create(LocalFixture.spec(options, "s1"));
        sandbox.writeFile("deep/dir/notes.txt", "one\n".getBytes(StandardCharsets.UTF_8));
        // When
        ExecResult result = sandbox.exec(ExecRequest.of(
                "sh", "-c", "echo two >> deep/dir/notes.txt && touch deep/dir/other && cat deep/dir/notes.txt"));
        // Then
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout().text()).isEqualTo("one\ntwo\n");
        assertThat(sandbox.list("deep/dir"))
                .extracting(dev.drydock.sandbox.FileEntry::path)
                .containsExactly("deep/dir/notes.txt", "deep/dir/other");
    }

    @Test
    void shouldRunEditedPythonWhenSameSizeEditFollowsWithinASecond() {
        // Given a module imported once, then edited to a source of the same size at once
        Sandbox sandbox = backend.create(LocalFixture.spec(options, "s1"));
        sandbox.writeFile("calc.py", "def add(a, b):\n    return a - b\n".getBytes(StandardCharsets.UTF_8));
        ExecRequest run = ExecRequest.of("python3", "-c", "import calc; print(calc.add(2, 3))");
        assertThat(sandbox.exec(run).stdout().text()).isEqualTo("-1\n");
        sandbox.writeFile("calc.py", "def add(a, b):\n    return a + b\n".getBytes(StandardCharsets.UTF_8));
        // When
        ExecResult result = sandbox.exec(run);
        // Then
        assertThat(result.stdout().text()).isEqualTo("5\n");
        assertThat(sandbox.list(""))
                .extracting(dev.drydock.sandbox.FileEntry::path)
                .containsExactly("calc.py");
    }

    @Test
    void shouldRunInSubdirectoryAndRefuseEscapingCwdWhenCwdIsGiven() {
        // Given
        Sandbox sandbox = backend.create(LocalFixture.spec(options, "s1"));
        sandbox.writeFile("sub/dir/file.txt", "x".getBytes(StandardCharsets.UTF_8));
        sandbox.exec(ExecRequest.of("ln", "-s", "/etc", "etc-link"));
        // When
        ExecResult result = sandbox.exec(ExecRequest.of("pwd").withCwd("sub/dir"));
        // Then
        assertThat(result.stdout().text()).isEqualTo("/workspace/sub/dir\n");
        assertThatThrownBy(() -> sandbox.exec(ExecRequest.of("pwd").withCwd("../..")))
                .isInstanceOf(PathEscapeException.class);
        assertThatThrownBy(() -> sandbox.exec(ExecRequest.of("pwd").withCwd("etc-link")))
                .isInstanceOf(PathEscapeException.class);
    }

    @Test
    void shouldDiffAgainstBaseCommitWhenWorkspaceComesFromMirror() throws Exception {
        // Given
        String base;
        try (Git git = Git.init()
                .setDirectory(mirrorDir.toFile())
                .setInitialBranch("main")
                .call()) {
            Files.writeString(mirrorDir.resolve("README.md"), "line one\n");
            git.add().addFilepattern("README.md").call();
            base = git.commit()
                    .setMessage("base")
                    .setAuthor("t", "t@example.com")
                    .setCommitter("t", "t@example.com")
                    .setSign(false)
                    .call()
                    .name();
        }
        SandboxSpec spec = LocalFixture.spec(options, "s1").withSource(new WorkspaceSource(mirrorDir, base));
        Sandbox sandbox = backend.create(spec);
        sandbox.exec(ExecRequest.of("sh", "-c", "echo line two >> README.md; echo new > added.txt"));
        // When
        String diff = sandbox.diff();
        // Then
        assertThat(new String(sandbox.readFile("README.md"), StandardCharsets.UTF_8))
                .isEqualTo("line one\nline two\n");
        assertThat(diff)
                .contains(
                        "diff --git a/README.md b/README.md",
                        "+line two",
                        "diff --git a/added.txt b/added.txt",
                        "+new");
        assertThat(sandbox.stat(".git").type()).isEqualTo(dev.drydock.sandbox.FileEntry.Type.DIRECTORY);
    }

    @Test
    void shouldCutDiffAtOutputLimitWhenChangesAreLarger() throws Exception {
        // Given
        String base;
        try (Git git = Git.init()
                .setDirectory(mirrorDir.toFile())
                .setInitialBranch("main")
                .call()) {
            Files.writeString(mirrorDir.resolve("README.md"), "line one\n");
            git.add().addFilepattern("README.md").call();
            base = git.commit()
                    .setMessage("base")
                    .setAuthor("t", "t@example.com")
                    .setCommitter("t", "t@example.com")
                    .setSign(false)
                    .call()
                    .name();
        }
        Sandbox sandbox =
                backend.create(LocalFixture.spec(options, "s1").withSource(new WorkspaceSource(mirrorDir, base)));
        int limit = options.limits().outputLimitBytes();
        sandbox.exec(ExecRequest.of("sh", "-c", "for i in $(seq 1 40); do seq 1 2000 > file$i.txt; done"));
        // When
        String diff = sandbox.diff();
        // Then
        String marker = dev.drydock.sandbox.git.WorkspaceGit.truncationMarker(limit);
        assertThat(diff).startsWith("diff --git a/file1.txt b/file1.txt").endsWith("\n" + marker);
        assertThat(diff.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(limit + marker.length());
        assertThat(diff.substring(0, diff.length() - marker.length())).doesNotContain("drydock: diff truncated");
    }

    @Test
    void shouldLetCommandFreeSpaceWhenWorkspaceIsOverQuota() throws Exception {
        // Given
        BubblewrapSandbox sandbox = (BubblewrapSandbox)
                backend.create(LocalFixture.spec(options, "s1").withLimits(LocalFixture.withDiskQuota(4L << 20)));
        Files.write(sandbox.workspacePath().resolve("big.bin"), new byte[5 << 20]);
        sandbox.quota().measure();
        assertThatThrownBy(() -> sandbox.writeFile("note.txt", new byte[] {1}))
                .hasMessageContaining("disk quota exceeded");
        // When
        ExecResult cleanup = sandbox.exec(ExecRequest.of("rm", "-f", "big.bin"));
        // Then
        assertThat(cleanup.termination()).isEqualTo(new dev.drydock.sandbox.Termination.Exited(0));
        sandbox.writeFile("note.txt", new byte[] {1});
        assertThat(sandbox.readFile("note.txt")).containsExactly(1);
    }

    @Test
    void shouldRefuseUploadWhenItExceedsTheDiskQuota() throws Exception {
        // Given
        Sandbox sandbox =
                backend.create(LocalFixture.spec(options, "s1").withLimits(LocalFixture.withDiskQuota(4L << 20)));
        ByteArrayOutputStream big = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(big)) {
            add(tar, "small.txt", "fits");
            add(tar, "big.txt", "x".repeat(5 << 20));
        }
        // When / Then
        assertThatThrownBy(() -> sandbox.uploadTar("", new ByteArrayInputStream(big.toByteArray())))
                .isInstanceOf(dev.drydock.sandbox.SandboxException.class)
                .hasMessageContaining("disk quota exceeded");
        assertThat(Files.size(((BubblewrapSandbox) sandbox).workspacePath().resolve("big.txt")))
                .isLessThanOrEqualTo(4L << 20);
    }

    @Test
    void shouldRunHostToolsWhenEtcIsGenerated() {
        // Given
        Sandbox sandbox = backend.create(LocalFixture.spec(options, "s1"));
        StringBuilder script =
                new StringBuilder("awk 'BEGIN { print \"awk-ok\" }'; git --version >/dev/null && echo git-ok");
        if (Files.isExecutable(Path.of("/usr/bin/java"))) {
            script.append("; java -XshowSettings:security -version >/dev/null 2>&1 && echo java-ok");
        }
        if (Files.isExecutable(Path.of("/usr/bin/python3"))
                && Files.exists(Path.of("/etc/ssl/certs/ca-certificates.crt"))) {
            script.append(
                    "; python3 -c 'import ssl; c = ssl.create_default_context(); assert c.cert_store_stats()[\"x509_ca\"] > 0; print(\"certs-ok\")'");
        }
        // When
        ExecResult result =
                sandbox.exec(ExecRequest.of("sh", "-c", script.toString()).withTimeout(Duration.ofSeconds(60)));
        // Then
        assertThat(result.stdout().text()).contains("awk-ok", "git-ok");
        if (Files.isExecutable(Path.of("/usr/bin/java"))) {
            assertThat(result.stdout().text()).contains("java-ok");
        }
        if (Files.isExecutable(Path.of("/usr/bin/python3"))
                && Files.exists(Path.of("/etc/ssl/certs/ca-certificates.crt"))) {
            assertThat(result.stdout().text()).contains("certs-ok");
        }
    }

    @Test
    void shouldRoundTripTarAndRefuseEscapingEntriesWhenUploading() throws Exception {
        // Given
        Sandbox sandbox = backend.create(LocalFixture.spec(options, "s1"));
        ByteArrayOutputStream good = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(good)) {
            add(tar, "src/a.txt", "A");
            TarArchiveEntry link = new TarArchiveEntry("src/link", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("a.txt");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        ByteArrayOutputStream evil = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(evil)) {
            add(tar, "../../evil.txt", "E");
        }
        ByteArrayOutputStream evilLink = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(evilLink)) {
            TarArchiveEntry link = new TarArchiveEntry("up", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("../../..");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        // When
        sandbox.uploadTar(".", new ByteArrayInputStream(good.toByteArray()));
        ByteArrayOutputStream downloaded = new ByteArrayOutputStream();
        sandbox.downloadTar("src", downloaded);
        // Then
        assertThat(sandbox.exec(ExecRequest.of("cat", "src/link")).stdout().text())
                .isEqualTo("A");
        assertThat(downloaded.size()).isGreaterThan(0);
        Sandbox other = backend.create(LocalFixture.spec(options, "s2"));
        other.uploadTar("copy", new ByteArrayInputStream(downloaded.toByteArray()));
        assertThat(new String(other.readFile("copy/a.txt"), StandardCharsets.UTF_8))
                .isEqualTo("A");
        assertThat(other.stat("copy/link").type()).isEqualTo(dev.drydock.sandbox.FileEntry.Type.SYMLINK);
        assertThatThrownBy(() -> sandbox.uploadTar(".", new ByteArrayInputStream(evil.toByteArray())))
                .isInstanceOf(PathEscapeException.class);
        assertThatThrownBy(() -> sandbox.uploadTar(".", new ByteArrayInputStream(evilLink.toByteArray())))
                .isInstanceOf(PathEscapeException.class);
        assertThat(workRoot.resolve("evil.txt")).doesNotExist();
    }

    private static void add(TarArchiveOutputStream tar, String name, String content) throws Exception {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(bytes.length);
        tar.putArchiveEntry(e);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    @Test
    void shouldRefuseEverythingWhenSandboxIsDestroyed() {
        // Given
        Sandbox sandbox = backend.create(LocalFixture.spec(options, "s1"));
        Path dir = workRoot.resolve(sandbox.id().value());
        // When
        sandbox.destroy();
        // Then
        assertThat(dir).doesNotExist();
        assertThatThrownBy(() -> sandbox.exec(ExecRequest.of("true")))
                .isInstanceOf(SandboxDestroyedException.class)
                .hasMessageContaining("has been destroyed");
        assertThatThrownBy(() -> sandbox.readFile("x")).isInstanceOf(SandboxDestroyedException.class);
        assertThatThrownBy(() -> backend.get(sandbox.id()))
                .isInstanceOf(UnknownSandboxException.class)
                .hasMessage("unknown sandbox id: " + sandbox.id());
        sandbox.destroy();
    }

    @Test
    void shouldDestroyExpiredSandboxesWhenTtlPasses() {
        // Given
        Sandbox shortLived = backend.create(LocalFixture.spec(options, "s1").withTtl(Duration.ofMinutes(1)));
        Sandbox longLived = backend.create(LocalFixture.spec(options, "s2").withTtl(Duration.ofHours(1)));
        clock.advance(Duration.ofMinutes(2));
        // When
        int reaped = backend.reapExpired();
        // Then
        assertThat(reaped).isEqualTo(1);
        assertThat(shortLived.isDestroyed()).isTrue();
        assertThat(backend.list()).containsExactly(longLived);
    }

    @Test
    void shouldShowSecretsOnlyToSetupStepWhenSandboxIsCreated() {
        // Given
        SandboxSpec spec = LocalFixture.spec(options, "s1")
                .withSetup(new SetupStep(
                        List.of("sh", "-c", "test -n \"$TOKEN\" && echo ok > setup-ran"),
                        Map.of("TOKEN", "s3cr3t"),
                        Duration.ofSeconds(10)));
        // When
        Sandbox sandbox = backend.create(spec);
        // Then
        assertThat(new String(sandbox.readFile("setup-ran"), StandardCharsets.UTF_8))
                .isEqualTo("ok\n");
        assertThat(sandbox.exec(
                                ExecRequest.of(
                                        "sh",
                                        "-c",
                                        "echo ${TOKEN:-none}; cat /proc/*/environ 2>/dev/null | tr '\\0' '\\n' | grep -c s3cr3t"))
                        .stdout()
                        .text())
                .isEqualTo("none\n0\n");
    }

    @Test
    void shouldReportEnforcedLimitsWhenAsked() {
        // When
        List<Enforcement> report = backend.enforcement();
        // Then
        assertThat(report)
                .extracting(Enforcement::control)
                .contains("network", "filesystem", "processes", "memory", "cpu-time", "file-size", "disk");
        assertThat(report)
                .filteredOn(e -> e.control().equals("network"))
                .singleElement()
                .satisfies(e -> assertThat(e.enforced()).isTrue());
    }
}
