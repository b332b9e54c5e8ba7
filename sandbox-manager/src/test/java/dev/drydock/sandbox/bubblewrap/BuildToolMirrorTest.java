package dev.drydock.sandbox.bubblewrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.sandbox.ExecRequest;
import dev.drydock.sandbox.ExecResult;
import dev.drydock.sandbox.MirrorLog.MirrorRequest;
import dev.drydock.sandbox.PackageMirror;
import dev.drydock.sandbox.Sandbox;
import dev.drydock.sandbox.SandboxOptions;
import dev.drydock.sandbox.SandboxPolicy;
import dev.drydock.sandbox.SetupStep;
import dev.drydock.sandbox.WorkspaceSource;
import dev.drydock.testing.PackageIndexes;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gradle, pip and Go builds through the workspace's mirrors on the local backend (issue #18), with the
 * build tools a Debian host has ({@code gradle} 4.4, {@code pip}, {@code go}; {@code ./drydock test}
 * installs them): each project's dependency is served only by a test double of the repository manager
 * ({@link PackageIndexes}), reached through the backend's proxy; the setup step resolves it, and the
 * command {@code TestCommands} detects for the project runs the droid's fixed test.
 */
class BuildToolMirrorTest {
    static PackageIndexes indexes;

    @TempDir
    Path workRoot;

    @TempDir
    Path project;

    @TempDir
    static Path hostGo;

    final List<MirrorRequest> requests = new CopyOnWriteArrayList<>();
    SandboxOptions options;
    BubblewrapSandboxBackend backend;

    @BeforeAll
    static void startIndexes() throws Exception {
        indexes = PackageIndexes.start(Path.of(System.getProperty("user.home"), ".m2", "repository"));
        indexes.addWheel("demo-math", "1.0.0", "demo_math", "def twice(x):\n    return 2 * x\n");
        indexes.addGoModule(
                "mirror.test/mathx",
                "v1.0.0",
                Map.of("mathx.go", "package mathx\n\nfunc Twice(x int) int { return 2 * x }\n"));
    }

    @AfterAll
    static void stopIndexes() {
        indexes.close();
    }

    @BeforeEach
    void setUp() {
        SandboxOptions o = LocalFixture.options(workRoot).withLimits(BuildEnvironmentTest.BUILD);
        options = o.withLocal(o.local().withHostBuildCaches(false));
        backend = new BubblewrapSandboxBackend(options, Clock.systemUTC(), requests::add);
        indexes.served().clear();
    }

    @AfterEach
    void tearDown() {
        backend.close();
    }

    @Test
    void shouldPassFixedGradleTestWithDependenciesOnlyFromMavenMirrorWhenSetupResolvedThem() throws Exception {
        // Given a Gradle project whose build script asks Maven Central for JUnit 4, a sandbox with the workspace's
        // Maven mirror whose setup compiled the tests, and the droid's fix
        Files.createDirectories(project.resolve("src/main/java/demo"));
        Files.createDirectories(project.resolve("src/test/java/demo"));
        Files.writeString(project.resolve("build.gradle"), """
                apply plugin: 'java'
                sourceCompatibility = 17
                targetCompatibility = 17
                repositories { mavenCentral() }
                dependencies { testImplementation 'junit:junit:4.13.2' }
                """);
        Files.writeString(project.resolve("src/main/java/demo/Calc.java"), calc("a - b"));
        Files.writeString(project.resolve("src/test/java/demo/CalcTest.java"), """
                package demo;

                import static org.junit.Assert.assertEquals;

                import org.junit.Test;

                public class CalcTest {
                    @Test
                    public void adds() {
                        assertEquals(5, Calc.add(2, 3));
                    }
                }
                """);
        PackageMirror mirror = new PackageMirror(
                "corp-maven",
                PackageMirror.Kind.MAVEN,
                URI.create("http://maven.mirror.test:" + indexes.port() + "/maven/"));
        long start = System.nanoTime();
        Sandbox sandbox = create("gradle", mirror, "gradle -q testClasses");
        long created = System.nanoTime();
        sandbox.writeFile("src/main/java/demo/Calc.java", calc("a + b").getBytes(StandardCharsets.UTF_8));

        // When the detected test command runs, offline
        ExecResult r = run(sandbox, "gradle test --offline -q");
        measured("gradle", start, created);

        // Then the fixed test passes, built with JUnit from the mirror alone (a name: the JDK never proxies loopback
        // addresses): nothing asked Maven Central
        assertThat(r.exitCode()).as(r.stdout().text() + r.stderr().text()).isZero();
        assertThat(indexes.served()).contains("/maven/junit/junit/4.13.2/junit-4.13.2.jar");
        assertThat(requests)
                .isNotEmpty()
                .allSatisfy(q -> assertThat(q.allowed()).as(q.toString()).isTrue());
        assertThat(run(sandbox, "ls build/classes/java/test/demo").stdout().text())
                .contains("CalcTest.class");
    }

    @Test
    void shouldPassFixedPythonTestWithPackageFromPypiMirrorWhenSetupInstalledRequirements() throws Exception {
        // Given a Python project whose requirement only the PyPI mirror serves, a sandbox whose setup ran pip install
        // through it, and the droid's fix
        Files.writeString(project.resolve("requirements.txt"), "demo-math==1.0.0\n");
        Files.writeString(
                project.resolve("calc.py"),
                "from demo_math import twice\n\n\ndef quadruple(x):\n    return twice(x) + 1\n");
        Files.writeString(project.resolve("test_calc.py"), """
                import unittest

                from calc import quadruple


                class CalcTest(unittest.TestCase):
                    def test_quadruple(self):
                        self.assertEqual(16, quadruple(4))
                """);
        PackageMirror mirror = new PackageMirror(
                "corp-pypi", PackageMirror.Kind.PYPI, URI.create("http://127.0.0.1:" + indexes.port() + "/simple/"));
        long start = System.nanoTime();
        Sandbox sandbox = create("pip", mirror, "pip install -q -r requirements.txt");
        long created = System.nanoTime();
        sandbox.writeFile(
                "calc.py",
                "from demo_math import twice\n\n\ndef quadruple(x):\n    return twice(twice(x))\n"
                        .getBytes(StandardCharsets.UTF_8));

        // When the detected test command runs
        ExecResult r = run(sandbox, "python3 -m unittest discover -q");
        measured("pip", start, created);

        // Then the fixed test passes with the package the setup installed into the sandbox's home from the mirror
        assertThat(r.exitCode()).as(r.stdout().text() + r.stderr().text()).isZero();
        assertThat(r.stderr().text()).contains("Ran 1 test").contains("OK");
        assertThat(indexes.served()).containsExactly("/simple/demo-math/", "/files/demo_math-1.0.0-py3-none-any.whl");
        assertThat(requests)
                .isNotEmpty()
                .allSatisfy(q -> assertThat(q.allowed()).isTrue())
                .allSatisfy(q -> assertThat(q.setup()).isTrue());
    }

    @Test
    void shouldPassFixedGoTestWithModuleFromGoproxyWhenSetupDownloadedModules() throws Exception {
        // Given a Go module requiring a module only the GOPROXY serves (go.sum as `go mod tidy` wrote it on the host
        // against the same proxy), a sandbox whose setup downloaded the modules through it, and the droid's fix
        goProject();
        PackageMirror mirror = new PackageMirror(
                "corp-go", PackageMirror.Kind.GO, URI.create("http://go.mirror.test:" + indexes.port() + "/go/"));
        long start = System.nanoTime();
        Sandbox sandbox = create("go", mirror, "go mod download");
        long created = System.nanoTime();
        sandbox.writeFile("calc.go", goCalc("mathx.Twice(mathx.Twice(x))").getBytes(StandardCharsets.UTF_8));

        // When the detected test command runs
        ExecResult r = run(sandbox, "go test ./...");
        measured("go", start, created);

        // Then the fixed test passes with the module the setup downloaded from the mirror through the proxy
        assertThat(r.exitCode()).as(r.stdout().text() + r.stderr().text()).isZero();
        assertThat(r.stdout().text()).contains("ok").contains("example.test/calc");
        assertThat(indexes.served()).contains("/go/mirror.test/mathx/@v/v1.0.0.zip");
        assertThat(requests)
                .isNotEmpty()
                .allSatisfy(q -> assertThat(q.allowed()).isTrue())
                .anySatisfy(q -> assertThat(q.target()).contains("go.mirror.test:" + indexes.port()));
    }

    @Test
    void shouldDownloadNothingWhenSecondGoSandboxOfWorkspaceHasSameGoSum() throws Exception {
        // Given a first sandbox of the workspace whose setup filled the Go cache through the GOPROXY, and its test run
        goProject();
        PackageMirror mirror = new PackageMirror(
                "corp-go", PackageMirror.Kind.GO, URI.create("http://go.mirror.test:" + indexes.port() + "/go/"));
        long t0 = System.nanoTime();
        Sandbox first = create("go-cold", mirror, "go mod download");
        long t1 = System.nanoTime();
        run(first, "go test ./...");
        long t2 = System.nanoTime();
        first.destroy();
        int cold = requests.size();
        requests.clear();
        indexes.served().clear();
        long t3 = System.nanoTime();

        // When a second sandbox of the workspace with the same go.sum is created and set up
        Sandbox warm = create("go-warm", mirror, "go mod download");

        // Then the setup took every module from the read-only cache: the mirror saw no request, and the tests run
        long t4 = System.nanoTime();
        ExecResult r = run(warm, "go test ./...");
        long t5 = System.nanoTime();
        System.out.printf(
                "MEASURED go cold: create with setup %.1f s, first test run %.1f s, mirror requests %d; warm: create with setup %.1f s, first test run %.1f s, mirror requests %d%n",
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, cold, (t4 - t3) / 1e9, (t5 - t4) / 1e9, requests.size());
        assertThat(cold).isPositive();
        assertThat(requests).isEmpty();
        assertThat(indexes.served()).isEmpty();
        assertThat(r.stdout().text()).contains("expected 16, got 9");
    }

    /** A sandbox of the workspace {@code ws-<tool>} (caches are per workspace) on the project's commit, with the mirror and the setup step. */
    Sandbox create(String session, PackageMirror mirror, String setup) throws Exception {
        String commit;
        if (Files.isDirectory(project.resolve(".git"))) {
            try (Git git = Git.open(project.toFile())) {
                commit = git.getRepository().resolve("HEAD").name();
            }
        } else {
            try (Git git = Git.init()
                    .setDirectory(project.toFile())
                    .setInitialBranch("main")
                    .call()) {
                git.add().addFilepattern(".").call();
                commit = git.commit()
                        .setMessage("with a bug")
                        .setAuthor("t", "t@example.com")
                        .setCommitter("t", "t@example.com")
                        .setSign(false)
                        .call()
                        .name();
            }
        }
        return backend.create(new SandboxPolicy(options)
                .spec(session, "ws-" + session.replaceAll("-.*", ""))
                .withSource(new WorkspaceSource(project, commit))
                .withMirrors(List.of(mirror))
                .withCacheRoot(workRoot.resolve("caches"))
                .withSetup(new SetupStep(List.of("sh", "-c", setup), Map.of(), Duration.ofMinutes(5))));
    }

    void measured(String tool, long start, long created) {
        System.out.printf(
                "MEASURED %s cold: create with setup %.1f s, first test run %.1f s, mirror requests %d%n",
                tool, (created - start) / 1e9, (System.nanoTime() - created) / 1e9, requests.size());
    }

    static ExecResult run(Sandbox sandbox, String command) {
        return sandbox.exec(ExecRequest.of("sh", "-c", command).withTimeout(Duration.ofMinutes(5)));
    }

    static String calc(String expression) {
        return "package demo;\n\npublic class Calc {\n    public static int add(int a, int b) {\n        return "
                + expression + ";\n    }\n}\n";
    }

    static String goCalc(String expression) {
        return "package calc\n\nimport \"mirror.test/mathx\"\n\n// Quadruple returns 4x.\nfunc Quadruple(x int) int { return "
                + expression + " }\n";
    }

    /** The Go module requiring mirror.test/mathx, with its bug, and go.sum. */
    void goProject() throws Exception {
        Files.writeString(
                project.resolve("go.mod"), "module example.test/calc\n\ngo 1.19\n\nrequire mirror.test/mathx v1.0.0\n");
        Files.writeString(project.resolve("calc.go"), goCalc("mathx.Twice(x) + 1"));
        Files.writeString(project.resolve("calc_test.go"), """
                package calc

                import "testing"

                func TestQuadruple(t *testing.T) {
                	if got := Quadruple(4); got != 16 {
                		t.Fatalf("expected 16, got %d", got)
                	}
                }
                """);
        goModTidy();
    }

    /** go.sum as a developer's {@code go mod tidy} writes it, against the test GOPROXY, on the host. */
    void goModTidy() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("go", "mod", "tidy")
                .directory(project.toFile())
                .redirectErrorStream(true);
        pb.environment().put("GOPROXY", "http://127.0.0.1:" + indexes.port() + "/go/");
        pb.environment().put("GOSUMDB", "off");
        pb.environment().put("GOFLAGS", "-modcacherw");
        pb.environment().put("GOPATH", hostGo.resolve("gopath").toString());
        pb.environment().put("GOCACHE", hostGo.resolve("gocache").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(project.resolve("go.sum")).exists();
        indexes.served().clear();
    }
}
