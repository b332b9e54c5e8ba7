package dev.drydock.sandbox.bubblewrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.sandbox.ExecRequest;
import dev.drydock.sandbox.ExecResult;
import dev.drydock.sandbox.MirrorLog.MirrorRequest;
import dev.drydock.sandbox.PackageMirror;
import dev.drydock.sandbox.Sandbox;
import dev.drydock.sandbox.SandboxLimits;
import dev.drydock.sandbox.SandboxOptions;
import dev.drydock.sandbox.SandboxSpec;
import dev.drydock.sandbox.SetupStep;
import dev.drydock.sandbox.WorkspaceSource;
import dev.drydock.testing.Verdaccio;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Package mirrors on the local backend (issue #18) against a real private registry, Verdaccio: the
 * sandbox has no network; npm reaches the mirror through the backend's proxy and the in-sandbox
 * forwarder; the setup step alone holds the registry credential; dependency caches make the second
 * sandbox download nothing; a host that is no mirror is refused and recorded.
 */
class NpmMirrorTest {
    static final SandboxLimits BUILD =
            new SandboxLimits(2L << 30, 2000, Duration.ofMinutes(3), 512, 256L << 20, 1L << 30, 256L << 20, 1 << 20);
    static final String BUGGY =
            "module.exports.quadruple = x => twice(x) + 1;\nconst { twice } = require('demo-math');\n";

    @TempDir
    static Path registryDir;

    static Verdaccio registry;

    @TempDir
    Path workRoot;

    @TempDir
    Path project;

    final List<MirrorRequest> requests = new CopyOnWriteArrayList<>();
    SandboxOptions options;
    BubblewrapSandboxBackend backend;
    PackageMirror mirror;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = Verdaccio.start(registryDir);
        Path pkg = Files.createDirectories(registryDir.resolve("demo-math"));
        Files.writeString(
                pkg.resolve("package.json"), "{\"name\":\"demo-math\",\"version\":\"1.0.0\",\"main\":\"index.js\"}\n");
        Files.writeString(pkg.resolve("index.js"), "module.exports.twice = x => 2 * x;\n");
        registry.publish(pkg);
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @BeforeEach
    void setUp() {
        options = LocalFixture.options(workRoot).withLimits(BUILD);
        backend = new BubblewrapSandboxBackend(options, Clock.systemUTC(), requests::add);
        mirror = new PackageMirror("corp-npm", PackageMirror.Kind.NPM, URI.create(registry.url()));
    }

    @AfterEach
    void tearDown() {
        backend.close();
    }

    @Test
    void shouldInstallFromPrivateRegistryAndHideCredentialFromDroidWhenSetupStepHoldsIt() throws Exception {
        // Given an npm project whose dependency only the authenticated registry serves, and a sandbox whose setup runs
        // npm ci with the credential
        Sandbox sandbox = backend.create(spec("npm-1", workRoot.resolve("caches")));

        // When the droid's command looks for the credential everywhere it could be, then runs the tests
        ExecResult r = sandbox.exec(ExecRequest.of(
                        "sh",
                        "-c",
                        "env; cat /proc/self/environ /proc/*/environ 2>/dev/null | tr '\\0' '\\n'; grep -rl -e '"
                                + Verdaccio.PASSWORD + "' -e '"
                                + java.util.Base64.getEncoder()
                                        .encodeToString(registry.credential().getBytes())
                                + "' $HOME /workspace /tmp /run 2>/dev/null; echo ---; npm test 2>&1")
                .withTimeout(Duration.ofMinutes(2)));

        // Then the dependency was installed by the setup step through the mirror, the droid sees no credential, and the
        // test runs (and fails on the bug)
        String out = r.stdout().text();
        assertThat(out)
                .doesNotContain(Verdaccio.PASSWORD)
                .doesNotContain(java.util.Base64.getEncoder()
                        .encodeToString(registry.credential().getBytes()))
                .doesNotContain("CREDENTIAL=")
                .contains("http_proxy=http://127.0.0.1:3128");
        assertThat(out.substring(out.indexOf("---"))).contains("expected 8, got 9");
        assertThat(requests)
                .isNotEmpty()
                .allSatisfy(q -> assertThat(q.allowed()).isTrue())
                .allSatisfy(q -> assertThat(q.setup()).isTrue())
                .anySatisfy(q -> assertThat(q.target()).contains("/demo-math"));
        assertThat(requests.toString()).doesNotContain(Verdaccio.PASSWORD);
    }

    @Test
    void shouldDownloadNothingWhenSecondSandboxHasSameLockFile() throws Exception {
        // Given a first sandbox of the workspace whose setup filled its npm cache from the mirror
        Path caches = workRoot.resolve("caches");
        SandboxSpec coldSpec = spec("npm-cold", caches);
        long t0 = System.nanoTime();
        Sandbox first = backend.create(coldSpec);
        long t1 = System.nanoTime();
        first.exec(ExecRequest.of("npm", "test").withTimeout(Duration.ofMinutes(1)));
        long t2 = System.nanoTime();
        first.destroy();
        int cold = requests.size();
        requests.clear();
        SandboxSpec warmSpec = spec("npm-warm", caches);
        long t3 = System.nanoTime();

        // When a second sandbox of the workspace with the same package-lock.json is created and set up
        Sandbox warm = backend.create(warmSpec);

        // Then its setup installed everything from the read-only cache: the mirror saw no request
        long t4 = System.nanoTime();
        warm.exec(ExecRequest.of("npm", "test").withTimeout(Duration.ofMinutes(1)));
        long t5 = System.nanoTime();
        System.out.printf(
                "MEASURED npm cold: create with setup %.1f s, first test run %.1f s, mirror requests %d; warm: create with setup %.1f s, first test run %.1f s, mirror requests %d%n",
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, cold, (t4 - t3) / 1e9, (t5 - t4) / 1e9, requests.size());
        assertThat(cold).isPositive();
        assertThat(requests).isEmpty();
        assertThat(warm.exec(ExecRequest.of("sh", "-c", "ls node_modules; touch /opt/drydock/cache/npm/x 2>&1"))
                        .stdout()
                        .text())
                .contains("demo-math")
                .contains("Read-only file system");
    }

    @Test
    void shouldRefuseAndRecordWhenSandboxAsksHostThatIsNoMirror() throws Exception {
        // Given a sandbox that may reach the npm mirror only
        Sandbox sandbox =
                backend.create(new LocalSpecs(options).spec("npm-refused").withMirrors(List.of(mirror)));

        // When a command asks another host on the mirror's machine, over http and https
        ExecResult r = sandbox.exec(ExecRequest.of(
                        "sh",
                        "-c",
                        "curl -s -S http://127.0.0.1:9/steal; echo; curl -s -S https://registry.npmjs.org/ 2>&1; echo; curl -s -o /dev/null -w '%{http_code}' "
                                + registry.url() + "-/ping")
                .withTimeout(Duration.ofSeconds(60)));

        // Then both were refused with a 403 naming the allowed mirror, recorded as refusals, and the mirror itself
        // answered
        assertThat(r.stdout().text())
                .contains("127.0.0.1:9 is not a package mirror this workspace allows; allowed: 127.0.0.1:"
                        + registry.port())
                .contains("403")
                .endsWith("200");
        assertThat(requests)
                .filteredOn(q -> !q.allowed())
                .extracting(MirrorRequest::method, MirrorRequest::target, MirrorRequest::sessionId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("GET", "http://127.0.0.1:9/steal", "npm-refused"),
                        org.assertj.core.groups.Tuple.tuple("CONNECT", "registry.npmjs.org:443", "npm-refused"));
    }

    /** The project (committed) and a spec with the npm mirror, the workspace's cache root and a setup step running npm ci with the credential. */
    SandboxSpec spec(String session, Path caches) throws Exception {
        if (!Files.exists(project.resolve("package.json"))) {
            Files.writeString(
                    project.resolve("package.json"),
                    "{\"name\":\"calc\",\"version\":\"1.0.0\",\"private\":true,\"dependencies\":{\"demo-math\":\"1.0.0\"},\"scripts\":{\"test\":\"node test.js\"}}\n");
            Files.writeString(project.resolve("package-lock.json"), lockFile());
            Files.writeString(project.resolve("calc.js"), BUGGY);
            Files.writeString(
                    project.resolve("test.js"),
                    "const { quadruple } = require('./calc');\nconst got = quadruple(4);\nif (got !== 8) { console.error('expected 8, got ' + got); process.exit(1); }\nconsole.log('ok');\n");
            try (Git git = Git.init()
                    .setDirectory(project.toFile())
                    .setInitialBranch("main")
                    .call()) {
                git.add().addFilepattern(".").call();
                PersonIdent who = new PersonIdent("Test", "test@drydock.invalid");
                git.commit()
                        .setMessage("calc")
                        .setAuthor(who)
                        .setCommitter(who)
                        .setSign(false)
                        .call();
            }
        }
        String commit;
        try (Git git = Git.open(project.toFile())) {
            commit = git.getRepository().resolve("HEAD").name();
        }
        return new LocalSpecs(options)
                .spec(session)
                .withSource(new WorkspaceSource(project, commit))
                .withMirrors(List.of(mirror))
                .withCacheRoot(caches)
                .withSetup(new SetupStep(
                        List.of("npm", "ci"),
                        Map.of(mirror.secretVariable(), registry.credential()),
                        Duration.ofMinutes(2)));
    }

    /** package-lock.json as {@code npm install} writes it on the host for this project against the registry (resolved URL and integrity, as committed lock files have them). */
    String lockFile() throws Exception {
        Path tmp = Files.createTempDirectory(registryDir, "lock-");
        Files.copy(project.resolve("package.json"), tmp.resolve("package.json"));
        Path npmrc = registryDir.resolve("lock.npmrc");
        Files.writeString(
                npmrc,
                "registry=" + registry.url() + "\n//127.0.0.1:" + registry.port() + "/:_auth="
                        + java.util.Base64.getEncoder()
                                .encodeToString(registry.credential().getBytes()) + "\n");
        Process p = new ProcessBuilder(
                        "npm",
                        "install",
                        "--no-audit",
                        "--no-fund",
                        "--userconfig",
                        npmrc.toString(),
                        "--cache",
                        tmp.resolve("cache").toString())
                .directory(tmp.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return Files.readString(tmp.resolve("package-lock.json"));
    }

    /** Specs with the fixture's policy and the workspace id shared by all sandboxes of the class (caches are per workspace). */
    record LocalSpecs(SandboxOptions options) {
        SandboxSpec spec(String session) {
            return new dev.drydock.sandbox.SandboxPolicy(options).spec(session, "ws-npm");
        }
    }
}
