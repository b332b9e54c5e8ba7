package dev.drydock.sandbox.bubblewrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.drydock.sandbox.ExecRequest;
import dev.drydock.sandbox.ExecResult;
import dev.drydock.sandbox.MirrorLog.MirrorRequest;
import dev.drydock.sandbox.PackageMirror;
import dev.drydock.sandbox.Sandbox;
import dev.drydock.sandbox.SandboxOptions;
import dev.drydock.sandbox.SandboxPolicy;
import dev.drydock.sandbox.SandboxSpec;
import dev.drydock.sandbox.SetupStep;
import dev.drydock.sandbox.WorkspaceSource;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Maven project built only from a repository manager (issue #18): a folder in Maven repository
 * layout served over HTTP by the test (this build's own local repository, which Maven filled in that
 * layout), reached through the local backend's proxy; the host's repository is not given to the
 * sandbox. The setup step resolves everything once, the droid's offline test runs use it, and the
 * second sandbox of the workspace downloads nothing.
 */
class MavenMirrorTest {
    static final String SETUP = "./mvnw -B -q test -Dmaven.test.failure.ignore=true";
    static HttpServer mirrorServer;
    static final AtomicInteger served = new AtomicInteger();

    @TempDir
    Path workRoot;

    @TempDir
    Path project;

    final List<MirrorRequest> requests = new CopyOnWriteArrayList<>();
    SandboxOptions options;
    BubblewrapSandboxBackend backend;
    PackageMirror mirror;

    @BeforeAll
    static void serveRepository() throws Exception {
        Path repo =
                Path.of(System.getProperty("user.home"), ".m2", "repository").toRealPath();
        mirrorServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        mirrorServer.createContext("/", exchange -> {
            Path file = repo.resolve(exchange.getRequestURI().getPath().substring(1))
                    .normalize();
            boolean found = file.startsWith(repo)
                    && Files.isRegularFile(file)
                    && !file.getFileName().toString().startsWith("_");
            if (found) {
                served.incrementAndGet();
                exchange.sendResponseHeaders(200, exchange.getRequestMethod().equals("HEAD") ? -1 : Files.size(file));
                if (!exchange.getRequestMethod().equals("HEAD")) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        Files.copy(file, out);
                    }
                }
            } else {
                byte[] b = "not found\n".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(404, b.length);
                exchange.getResponseBody().write(b);
            }
            exchange.close();
        });
        mirrorServer.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        mirrorServer.start();
    }

    @AfterAll
    static void stopServing() {
        mirrorServer.stop(0);
    }

    @BeforeEach
    void setUp() {
        SandboxOptions o = LocalFixture.options(workRoot).withLimits(BuildEnvironmentTest.BUILD);
        // host caches on for the Maven wrapper's distribution; the host's repository stays out because the workspace
        // has a Maven mirror
        options = o.withLocal(o.local().withHostBuildCaches(true));
        backend = new BubblewrapSandboxBackend(options, Clock.systemUTC(), requests::add);
        mirror = new PackageMirror(
                "corp-maven",
                PackageMirror.Kind.MAVEN,
                URI.create("http://127.0.0.1:" + mirrorServer.getAddress().getPort() + "/"));
        served.set(0);
    }

    @AfterEach
    void tearDown() {
        backend.close();
    }

    @Test
    void shouldFixFailingTestOfprojectBuiltOnlyFromMirrorWhenSetupResolvedItsDependencies() throws Exception {
        // Given a sandbox whose setup step resolved the project's dependencies from the mirror, and the droid's fix
        long start = System.nanoTime();
        Sandbox sandbox = backend.create(spec("mvn-cold", MavenSample.write(project, "")));
        long created = System.nanoTime();
        sandbox.writeFile(
                "src/main/java/demo/Calc.java",
                MavenSample.BUGGY.replace("a - b", "a + b").getBytes(StandardCharsets.UTF_8));
        int downloaded = served.get();

        // When the detected test command runs offline
        ExecResult r =
                sandbox.exec(ExecRequest.of("sh", "-c", "./mvnw -B -q -o test").withTimeout(Duration.ofMinutes(5)));

        // Then the fixed test passes, with every artifact from the mirror and none from the host's repository
        long ran = System.nanoTime();
        System.out.printf(
                "MEASURED maven cold: create with setup %.1f s, first test run %.1f s, mirror requests %d%n",
                (created - start) / 1e9, (ran - created) / 1e9, downloaded);
        assertThat(r.exitCode()).as(r.stdout().text() + r.stderr().text()).isZero();
        assertThat(downloaded).isGreaterThan(20);
        assertThat(requests)
                .isNotEmpty()
                .allSatisfy(q -> assertThat(q.allowed()).isTrue());
        assertThat(sandbox.exec(ExecRequest.of(
                                "sh", "-c", "ls /opt/drydock/host 2>&1; grep -c drydock-corp-maven ~/.m2/settings.xml"))
                        .stdout()
                        .text())
                .contains("No such file")
                .contains("1");
    }

    @Test
    void shouldDownloadNothingWhenSecondSandboxOfWorkspaceHasSamePom() throws Exception {
        // Given a first sandbox of the workspace whose setup filled the Maven cache from the mirror
        String commit = MavenSample.write(project, "");
        backend.create(spec("mvn-first", commit)).destroy();
        int cold = served.get();
        served.set(0);
        requests.clear();
        long start = System.nanoTime();

        // When a second sandbox of the workspace with the same pom.xml is created and set up
        Sandbox warm = backend.create(spec("mvn-warm", commit));

        // Then the mirror served nothing, and the offline test run works from the read-only cache
        long created = System.nanoTime();
        ExecResult r =
                warm.exec(ExecRequest.of("sh", "-c", "./mvnw -B -q -o test").withTimeout(Duration.ofMinutes(5)));
        System.out.printf(
                "MEASURED maven warm: create with setup %.1f s, first test run %.1f s, mirror requests %d (cold: %d)%n",
                (created - start) / 1e9, (System.nanoTime() - created) / 1e9, served.get(), cold);
        assertThat(cold).isGreaterThan(20);
        assertThat(served.get()).isZero();
        assertThat(requests).isEmpty();
        assertThat(r.stdout().text() + r.stderr().text()).contains("Tests run: 1, Failures: 1");
    }

    SandboxSpec spec(String session, String commit) {
        return new SandboxPolicy(options)
                .spec(session, "ws-maven")
                .withSource(new WorkspaceSource(project, commit))
                .withMirrors(List.of(mirror))
                .withCacheRoot(workRoot.resolve("caches"))
                .withSetup(new SetupStep(List.of("sh", "-c", SETUP), Map.of(), Duration.ofMinutes(5)));
    }
}
