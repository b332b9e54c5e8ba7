package dev.drydock.sandbox.bubblewrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.sandbox.ExecRequest;
import dev.drydock.sandbox.ExecResult;
import dev.drydock.sandbox.Sandbox;
import dev.drydock.sandbox.SandboxException;
import dev.drydock.sandbox.SandboxLimits;
import dev.drydock.sandbox.SandboxOptions;
import dev.drydock.sandbox.WorkspaceSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build environment of local sandboxes with real bubblewrap and a real Maven build (ADR 0011). */
class BuildEnvironmentTest {
    /** Enough for Maven and a forked surefire JVM. */
    static final SandboxLimits BUILD =
            new SandboxLimits(3L << 30, 2000, Duration.ofMinutes(5), 512, 256L << 20, 2L << 30, 256L << 20, 1 << 20);

    @TempDir
    Path workRoot;

    @TempDir
    Path project;

    SandboxOptions options;
    BubblewrapSandboxBackend backend;

    @BeforeEach
    void setUp() {
        SandboxOptions o = LocalFixture.options(workRoot).withLimits(BUILD);
        options = o.withLocal(o.local().withHostBuildCaches(true));
        backend = new BubblewrapSandboxBackend(options, Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        backend.close();
    }

    @Test
    void shouldCompileAndRunJUnitTestOfMavenProjectWhenHostRepositoryHasItsDependencies() throws Exception {
        // Given a Maven project with a failing JUnit 5 test, in a sandbox with the host's caches
        String commit = MavenSample.write(project, "");
        Sandbox sandbox =
                backend.create(LocalFixture.spec(options, "mvn").withSource(new WorkspaceSource(project, commit)));

        // When the detected test command runs offline
        ExecResult r =
                sandbox.exec(ExecRequest.of("sh", "-c", "./mvnw -B -q -o test").withTimeout(Duration.ofMinutes(5)));

        // Then the test was compiled and run by surefire, and failed on its assertion
        String out = r.stdout().text() + r.stderr().text();
        assertThat(r.exitCode()).as(out).isEqualTo(1);
        assertThat(out).contains("Tests run: 1, Failures: 1").contains("expected: <5> but was: <-1>");
        assertThat(sandbox.exec(ExecRequest.of("sh", "-c", "echo $HOME; test -w $HOME && echo writable; ls $HOME/.m2"))
                        .stdout()
                        .text())
                .contains("/home/sandbox", "writable", "settings.xml");
    }

    @Test
    void shouldPassAfterFixWhenTestsRunAgainInSameSandbox() throws Exception {
        // Given a sandbox whose Maven project ran its failing test once, then got the fix
        String commit = MavenSample.write(project, "");
        Sandbox sandbox =
                backend.create(LocalFixture.spec(options, "mvn2").withSource(new WorkspaceSource(project, commit)));
        sandbox.exec(ExecRequest.of("sh", "-c", "./mvnw -B -q -o test").withTimeout(Duration.ofMinutes(5)));
        sandbox.writeFile(
                "src/main/java/demo/Calc.java",
                MavenSample.BUGGY.replace("a - b", "a + b").getBytes());

        // When
        ExecResult r =
                sandbox.exec(ExecRequest.of("sh", "-c", "./mvnw -B -o test").withTimeout(Duration.ofMinutes(5)));

        // Then
        String out = r.stdout().text() + r.stderr().text();
        assertThat(r.exitCode()).as(out).isZero();
        assertThat(out)
                .contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0")
                .contains("BUILD SUCCESS");
    }

    @Test
    void shouldReportDependencyResolutionWhenDependencyIsInNoRepository() throws Exception {
        // Given a project depending on an artifact that exists nowhere
        String commit = MavenSample.write(
                project,
                "<dependency><groupId>com.example.nowhere</groupId><artifactId>missing</artifactId><version>9.9.9</version></dependency>");
        Sandbox sandbox =
                backend.create(LocalFixture.spec(options, "mvn3").withSource(new WorkspaceSource(project, commit)));

        // When
        ExecResult r =
                sandbox.exec(ExecRequest.of("sh", "-c", "./mvnw -B -q -o test").withTimeout(Duration.ofMinutes(5)));

        // Then
        String out = r.stdout().text() + r.stderr().text();
        assertThat(r.exitCode()).as(out).isEqualTo(1);
        assertThat(out).contains("com.example.nowhere:missing").containsIgnoringCase("resolve dependencies");
    }

    @Test
    void shouldRefuseSandboxNamingWhatToInstallWhenRulesAskForMissingJdk() throws Exception {
        // Given a repository whose rules ask for a JDK no host has
        MavenSample.write(project, "");
        Files.createDirectories(project.resolve(".drydock"));
        Files.writeString(project.resolve(".drydock/rules.md"), "# Rules\n\n- jdk: 8\n");
        String commit;
        try (var git = org.eclipse.jgit.api.Git.open(project.toFile())) {
            git.add().addFilepattern(".").call();
            commit = git.commit()
                    .setMessage("jdk 8")
                    .setAuthor("t", "t@example.com")
                    .setCommitter("t", "t@example.com")
                    .setSign(false)
                    .call()
                    .name();
        }

        // When / Then
        assertThatThrownBy(() -> backend.create(
                        LocalFixture.spec(options, "jdk").withSource(new WorkspaceSource(project, commit))))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("JDK 8")
                .hasMessageContaining("apt-get install openjdk-8-jdk-headless");
    }

    @Test
    void shouldSetJavaHomeWhenRulesAskForInstalledJdk() throws Exception {
        // Given a repository asking for a JDK this host has
        int major = BuildEnvironment.jdks(Path.of("/usr/lib/jvm"))
                .keySet()
                .iterator()
                .next();
        Files.createDirectories(project.resolve(".drydock"));
        Files.writeString(project.resolve(".drydock/rules.md"), "jdk: " + major + "\n");
        String commit;
        try (var git = org.eclipse.jgit.api.Git.init()
                .setDirectory(project.toFile())
                .setInitialBranch("main")
                .call()) {
            git.add().addFilepattern(".").call();
            commit = git.commit()
                    .setMessage("rules")
                    .setAuthor("t", "t@example.com")
                    .setCommitter("t", "t@example.com")
                    .setSign(false)
                    .call()
                    .name();
        }
        Sandbox sandbox =
                backend.create(LocalFixture.spec(options, "jdk2").withSource(new WorkspaceSource(project, commit)));

        // When
        ExecResult r = sandbox.exec(ExecRequest.of("sh", "-c", "echo $JAVA_HOME; javac -version"));

        // Then
        assertThat(r.stdout().text() + r.stderr().text())
                .as(r.statusLine())
                .contains("/usr/lib/jvm/")
                .contains("javac " + major);
    }

    @Test
    void shouldKeepCredentialsOutWhenGeneratingSettingsFromHostFiles() {
        // Given host settings with a server password and a catch-all mirror
        String host = "<settings><servers><server><id>nexus</id><password>s3cret</password></server></servers>"
                + "<proxies><proxy><id>p</id><password>pr0xy</password></proxy></proxies>"
                + "<mirrors><mirror><id>nexus</id><mirrorOf>*</mirrorOf><url>https://bob:pw@nexus.corp/repo</url></mirror></mirrors></settings>";

        // When
        String settings = BuildEnvironment.mavenSettings(Optional.of(host), true);
        String npmrc = BuildEnvironment.npmrc(
                "registry=https://bob:pw@npm.corp/\n//npm.corp/:_authToken=abc123\nfund=false\n");

        // Then
        assertThat(settings)
                .doesNotContain("s3cret")
                .doesNotContain("pr0xy")
                .doesNotContain("bob:pw")
                .contains("https://nexus.corp/repo")
                .contains("<mirrorOf>*,!drydock-host</mirrorOf>")
                .contains("file://" + BuildEnvironment.HOST_M2)
                .contains("<activeProfile>drydock-host</activeProfile>");
        assertThat(npmrc)
                .doesNotContain("abc123")
                .doesNotContain("bob:pw")
                .contains("registry=https://npm.corp/")
                .contains("fund=false");
    }
}
