package dev.drydock.sandbox.bubblewrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.sandbox.ExecRequest;
import dev.drydock.sandbox.ExecResult;
import dev.drydock.sandbox.Sandbox;
import dev.drydock.sandbox.SandboxException;
import dev.drydock.sandbox.SandboxOptions;
import dev.drydock.sandbox.WorkspaceSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Node and Python versions from a repository's rules, chosen among the host's toolchains under /usr. */
class ToolchainsTest {
    @TempDir
    Path usr;

    @TempDir
    Path home;

    @Test
    void shouldReadNodeAndPythonVersionsWhenRulesNameThem() {
        // When
        Toolchains.Wanted wanted = Toolchains.wanted("# Rules\n\n- jdk: 21\n- nodejs: `v18.19`\n* python3: 3.11\n");

        // Then
        assertThat(wanted).isEqualTo(new Toolchains.Wanted(Optional.of("18.19"), Optional.of("3.11")));
    }

    @Test
    void shouldMatchVersionsOnlyAtDotBoundaries() {
        // When / Then
        assertThat(Toolchains.matches("20", "20.19.2")).isTrue();
        assertThat(Toolchains.matches("3.11", "3.11")).isTrue();
        assertThat(Toolchains.matches("3.1", "3.11")).isFalse();
        assertThat(Toolchains.matches("2", "20.19.2")).isFalse();
    }

    @Test
    void shouldLinkTheWantedNodeAndPythonWhenTheHostHasSeveral() throws Exception {
        // Given a /usr with Node 20 and 18 and Pythons 3.9 and 3.11
        executable(usr.resolve("bin/node"), "#!/bin/sh\necho v20.1.0\n");
        Path node18 = executable(
                usr.resolve("local/lib/nodejs/node-v18.20.1-linux-x64/bin/node"), "#!/bin/sh\necho v18.20.1\n");
        executable(node18.resolveSibling("npm"), "#!/bin/sh\n");
        executable(usr.resolve("bin/python3.9"), "#!/bin/sh\n");
        executable(usr.resolve("bin/python3.11"), "#!/bin/sh\n");

        // When
        Toolchains.link(new Toolchains.Wanted(Optional.of("18"), Optional.of("3.9")), home, usr);

        // Then the links point where the sandbox sees the host's /usr, and pip runs the chosen Python
        Path bin = home.resolve(".drydock/bin");
        assertThat(Files.readSymbolicLink(bin.resolve("node")))
                .isEqualTo(Path.of("/usr/local/lib/nodejs/node-v18.20.1-linux-x64/bin/node"));
        assertThat(Files.readSymbolicLink(bin.resolve("npm")))
                .isEqualTo(Path.of("/usr/local/lib/nodejs/node-v18.20.1-linux-x64/bin/npm"));
        assertThat(Files.readSymbolicLink(bin.resolve("python"))).isEqualTo(Path.of("/usr/bin/python3.9"));
        assertThat(Files.readSymbolicLink(bin.resolve("python3"))).isEqualTo(Path.of("/usr/bin/python3.9"));
        assertThat(Files.readString(bin.resolve("pip"))).contains("exec /usr/bin/python3.9 -m pip");
    }

    @Test
    void shouldRefuseNamingWhatTheHostHasAndWhatToInstallWhenPythonVersionIsMissing() throws Exception {
        // Given
        executable(usr.resolve("bin/python3.11"), "#!/bin/sh\n");

        // When
        var thrown = assertThatThrownBy(
                () -> Toolchains.link(new Toolchains.Wanted(Optional.empty(), Optional.of("3.7")), home, usr));

        // Then
        thrown.isInstanceOf(SandboxException.class)
                .hasMessageContaining("asks for Python 3.7 (`python: 3.7` in .drydock/rules.md)")
                .hasMessageContaining("Python 3.11 (" + usr.resolve("bin/python3.11") + ")")
                .hasMessageContaining("apt-get install python3.7");
    }

    @Test
    void shouldRunTheHostsNodeAndPythonFromThePathWhenRulesAskForTheirVersionsInARealSandbox(
            @TempDir Path workRoot, @TempDir Path project) throws Exception {
        // Given a repository whose rules ask for this host's Node major and Python version
        String node = Toolchains.nodes(Path.of("/usr")).keySet().iterator().next();
        String python = Toolchains.pythons(Path.of("/usr")).keySet().iterator().next();
        Files.createDirectories(project.resolve(".drydock"));
        Files.writeString(
                project.resolve(".drydock/rules.md"),
                "- node: " + node.substring(0, node.indexOf('.')) + "\n- python: " + python + "\n");
        String commit;
        try (Git git = Git.init()
                .setDirectory(project.toFile())
                .setInitialBranch("main")
                .call()) {
            git.add().addFilepattern(".").call();
            commit = git.commit()
                    .setMessage("toolchains")
                    .setAuthor("t", "t@example.com")
                    .setCommitter("t", "t@example.com")
                    .setSign(false)
                    .call()
                    .name();
        }
        SandboxOptions options = LocalFixture.options(workRoot);
        try (BubblewrapSandboxBackend backend = new BubblewrapSandboxBackend(options, Clock.systemUTC())) {
            Sandbox sandbox = backend.create(
                    LocalFixture.spec(options, "toolchains").withSource(new WorkspaceSource(project, commit)));

            // When
            ExecResult r =
                    sandbox.exec(ExecRequest.of("sh", "-c", "command -v python; python --version; node --version"));

            // Then
            assertThat(r.exitCode()).as(r.statusLine() + r.stderr().text()).isZero();
            assertThat(r.stdout().text())
                    .contains(Toolchains.BIN + "/python")
                    .contains("Python " + python)
                    .contains("v" + node);
        }
    }

    private static Path executable(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
