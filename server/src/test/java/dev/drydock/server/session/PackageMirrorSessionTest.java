package dev.drydock.server.session;

import static dev.drydock.server.session.DroidTestServices.args;
import static dev.drydock.server.session.DroidTestServices.calls;
import static dev.drydock.server.session.DroidTestServices.script;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.server.agent.EventLog;
import dev.drydock.server.agent.event.Observation;
import dev.drydock.server.agent.event.Telemetry;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import dev.drydock.testing.Verdaccio;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Package mirrors as policy, end to end (issue #18): a drydock-admin declares a real private npm
 * registry (Verdaccio), the demo workspace's admin chooses it with a workspace secret and registers
 * the repository's setup step; a scripted droid fixes a failing npm test in a sandbox that reaches
 * only that registry, through the server's proxy, with the credential only in the setup step.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(DroidTestServices.class)
class PackageMirrorSessionTest {
    static final String BUGGY =
            "const { twice } = require('demo-math');\nmodule.exports.quadruple = x => twice(x) + 1;\n";
    static Verdaccio registry;
    static Path registryDir;

    @Inject
    EventLog log;

    @Inject
    DataSource ds;

    @BeforeAll
    static void registryAndScripts() throws Exception {
        registryDir = Files.createTempDirectory(DroidTestServices.mirrorRoot.getParent(), "verdaccio-");
        registry = Verdaccio.start(registryDir);
        Path pkg = Files.createDirectories(registryDir.resolve("demo-math"));
        Files.writeString(
                pkg.resolve("package.json"), "{\"name\":\"demo-math\",\"version\":\"1.0.0\",\"main\":\"index.js\"}\n");
        Files.writeString(pkg.resolve("index.js"), "module.exports.twice = x => 2 * x;\n");
        registry.publish(pkg);
        npmRepo("droid-npm");
        String search = "env; cat /proc/*/environ 2>/dev/null | tr '\\0' '\\n'; grep -rl -e "
                + split(Verdaccio.PASSWORD) + " -e "
                + split(Base64.getEncoder().encodeToString(registry.credential().getBytes(StandardCharsets.UTF_8)))
                + " $HOME /workspace /tmp /run 2>/dev/null; echo searched";
        DroidTestServices.SCRIPTS.put(
                "fix-npm",
                script(
                        calls("run_command", args("command", search)),
                        calls("run_tests", "{}"),
                        calls(
                                "edit_file",
                                args("path", "calc.js", "old_text", "twice(x) + 1", "new_text", "twice(twice(x)) / 2")),
                        calls("run_tests", "{}"),
                        calls("finish", args("summary", "quadruple() added one instead of doubling twice."))));
        DroidTestServices.SCRIPTS.put(
                "npm-steal",
                script(
                        calls(
                                "create_file",
                                args(
                                        "path",
                                        "probe.js",
                                        "content",
                                        "require('http').get({host: '127.0.0.1', port: 3128, path: 'http://127.0.0.1:9/exfiltrate'}, r => { let b = ''; "
                                                + "r.on('data', d => b += d); r.on('end', () => console.log(r.statusCode + ' ' + b)); }).on('error', e => console.log('error ' + e.message));\n")),
                        calls("run_command", args("command", "node probe.js")),
                        calls("ask_user", args("question", "Done?"))));
    }

    /** The text as the shell sees it, but not as one string in the command line (which the event log keeps). */
    static String split(String text) {
        return text.substring(0, 4) + "''" + text.substring(4);
    }

    @AfterEach
    void noMirrorForOtherClasses() {
        // other classes' sessions in the demo workspace get no mirror and no setup step
        given().auth().oauth2(Tokens.of("wanda")).when().delete("/api/workspaces/demo/repositories/droid-npm/setup");
        given().auth().oauth2(Tokens.of("alice")).when().delete("/api/admin/package-mirrors/corp-npm");
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @BeforeEach
    void demoWorkspaceWithMirror() throws Exception {
        // every test starts with a cold npm cache (the caches test of sandbox-manager covers warm ones)
        Path caches = Path.of(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("drydock.dependency-caches.folder", String.class));
        Path npm = caches.resolve("demo").resolve("npm");
        if (Files.isDirectory(npm)) {
            try (var files = Files.walk(npm)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(f -> f.toFile().delete());
            }
        }
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "insert into workspace(slug, display_name, created_at, autonomy) values ('demo', 'demo', now(), 'auto-edit') "
                                + "on conflict (slug) do update set autonomy = 'auto-edit', allowed_droids = 'code,knowledge,reliability', allowed_routes = '*', classification = 'internal'")) {
            ps.executeUpdate();
        }
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("kind", "npm", "url", registry.url()))
                .when()
                .put("/api/admin/package-mirrors/corp-npm")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of("value", registry.credential()))
                .when()
                .put("/api/workspaces/demo/secrets/npm-registry")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of("credentialsSecret", "npm-registry"))
                .when()
                .put("/api/workspaces/demo/package-mirrors/corp-npm")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of("command", "npm ci"))
                .when()
                .put("/api/workspaces/demo/repositories/droid-npm/setup")
                .then()
                .statusCode(200);
    }

    @Test
    void shouldFixFailingNpmTestThroughMirrorWithCredentialOnlyInSetupWhenWorkspaceChoseMirror() throws Exception {
        // Given the demo workspace's npm mirror with its credential and the repository's setup step (above)
        String id = create("[script:fix-npm] test.js fails. Fix the bug.", "droid-npm");

        // When
        JsonPath done = await(id, s -> s.getString("status").equals("finished"));

        // Then the droid fixed the test with the dependency installed by the setup step through the mirror
        assertThat(done.getString("outcome")).as(() -> story(id)).isEqualTo("completed");
        List<Observation.CommandFinished> runs = observations(id, Observation.CommandFinished.class);
        assertThat(runs).extracting(Observation.CommandFinished::exitCode).containsExactly(0, 1, 0);
        assertThat(runs.get(1).output()).contains("expected 8, got 9");
        assertThat(runs.get(0).output())
                .contains("searched")
                .contains("http_proxy=http://127.0.0.1:3128")
                .doesNotContain("CREDENTIAL");
        Telemetry.SetupCompleted setup =
                observations(id, Telemetry.SetupCompleted.class).getFirst();
        assertThat(setup)
                .isEqualTo(new Telemetry.SetupCompleted(
                        "npm ci", "registration", List.of("corp-npm"), List.of("npm-registry")));
        assertThat(observations(id, Telemetry.MirrorRequested.class))
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.allowed()).isTrue())
                .anySatisfy(r -> assertThat(r.setup()).isTrue());
        // and no credential anywhere: not in the droid's view, the event log or the audit trail
        String base64 = Base64.getEncoder().encodeToString(registry.credential().getBytes(StandardCharsets.UTF_8));
        assertThat(story(id)).doesNotContain(Verdaccio.PASSWORD).doesNotContain(base64);
        assertThat(audit())
                .anySatisfy(a -> assertThat(a)
                        .contains("sandbox.setup")
                        .contains("npm ci")
                        .contains("npm-registry"))
                .anySatisfy(a -> assertThat(a).contains("workspace-mirror.chosen"))
                .anySatisfy(a -> assertThat(a).contains("package-mirror."))
                .noneSatisfy(a -> assertThat(a).contains(Verdaccio.PASSWORD))
                .noneSatisfy(a -> assertThat(a).contains(base64));
    }

    @Test
    void shouldRefuseAndRecordWhenSessionSandboxAsksHostThatIsNoMirror() throws Exception {
        // Given the demo workspace's npm mirror (above)
        String id = create("[script:npm-steal] Look around.", "droid-npm");

        // When
        await(id, s -> s.getString("status").equals("waiting_for_answer"));

        // Then the proxy refused the request, the session log has it, and so does the audit trail
        assertThat(observations(id, Observation.CommandFinished.class)
                        .getFirst()
                        .output())
                .contains("403 drydock: 127.0.0.1:9 is not a package mirror this workspace allows");
        assertThat(observations(id, Telemetry.MirrorRequested.class))
                .filteredOn(r -> !r.allowed())
                .containsExactly(
                        new Telemetry.MirrorRequested("GET", "http://127.0.0.1:9/exfiltrate", "", false, false));
        assertThat(audit())
                .anySatisfy(a -> assertThat(a)
                        .contains("mirror.refused")
                        .contains("http://127.0.0.1:9/exfiltrate")
                        .contains(id));
    }

    @Test
    void shouldEvictLeastRecentlyUsedCacheAndReportCachesWhenFolderExceedsBound() throws Exception {
        // Given a cache nobody used for years that alone exceeds the test profile's bound (1M), and the demo
        // workspace's npm mirror (above)
        Path caches = Path.of(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("drydock.dependency-caches.folder", String.class));
        Path old =
                Files.createDirectories(caches.resolve("demo").resolve("maven").resolve("0123456789abcdef-old"));
        Files.write(old.resolve("big.jar"), new byte[2 << 20]);
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.fromMillis(0));
        String id = create("[script:npm-steal] Look around.", "droid-npm");
        await(id, s -> s.getString("status").equals("waiting_for_answer"));

        // When a drydock-admin looks at the caches (eviction runs in the background after each sandbox)
        JsonPath report = dev.drydock.server.testing.Poll.until(
                () -> given().auth()
                        .oauth2(Tokens.of("alice"))
                        .when()
                        .get("/api/admin/dependency-caches")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath(),
                r -> r.getLong("evictedSinceStart") > 0,
                Duration.ofSeconds(30),
                JsonPath::prettify);

        // Then the old cache is gone, the session's fresh npm cache stays, and only admins see the report
        assertThat(old).doesNotExist();
        assertThat(report.getLong("maxBytes")).isEqualTo(1 << 20);
        assertThat(report.getList("caches.key", String.class)).doesNotContain("0123456789abcdef-old");
        assertThat(report.getList("caches.tool", String.class)).contains("npm");
        given().auth()
                .oauth2(Tokens.of("mike"))
                .when()
                .get("/api/admin/dependency-caches")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
    }

    @Test
    void shouldAnswerProblemsWhenMirrorPolicyInputIsWrong() {
        // Given a member who is no admin, and inputs that name nothing declared
        // When / Then each is refused with a problem that says what to fix
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("kind", "cargo", "url", "http://x.corp/"))
                .when()
                .put("/api/admin/package-mirrors/bad")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("kind"));
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("kind", "npm", "url", "http://u:p@x.corp/"))
                .when()
                .put("/api/admin/package-mirrors/bad")
                .then()
                .statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("credentials"));
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of("kind", "npm", "url", "http://x.corp/"))
                .when()
                .put("/api/admin/package-mirrors/bad")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of())
                .when()
                .put("/api/workspaces/demo/package-mirrors/nowhere")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of("credentialsSecret", "missing"))
                .when()
                .put("/api/workspaces/demo/package-mirrors/corp-npm")
                .then()
                .statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("credentialsSecret"));
        given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(Map.of())
                .when()
                .put("/api/workspaces/demo/package-mirrors/corp-npm")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(Tokens.of("mike"))
                .when()
                .get("/api/workspaces/demo/package-mirrors")
                .then()
                .statusCode(200)
                .body("mirror", org.hamcrest.Matchers.hasItem("corp-npm"));
    }

    <T> List<T> observations(String id, Class<T> type) {
        return new DemoSessions(log).observations(id, type);
    }

    List<String> audit() throws Exception {
        List<String> out = new ArrayList<>();
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "select actor, action, target, details, session_id from audit_record order by seq");
                var rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4) + "|"
                        + rs.getString(5));
            }
        }
        return out;
    }

    String create(String task, String repo) {
        return DemoSessions.create(task, repo);
    }

    JsonPath await(String id, Predicate<JsonPath> done) throws InterruptedException {
        return new DemoSessions(log).await(id, done, Duration.ofMinutes(4));
    }

    String story(String id) {
        return new DemoSessions(log).story(id);
    }

    /** A bare repository in the demo workspace's folder of the mirror root: an npm project (with a lock file from the registry) whose test fails. */
    static void npmRepo(String name) throws Exception {
        DemoSessions.bareRepo(name, src -> {
            Files.writeString(
                    src.resolve("package.json"),
                    "{\"name\":\"calc\",\"version\":\"1.0.0\",\"private\":true,\"dependencies\":{\"demo-math\":\"1.0.0\"},\"scripts\":{\"test\":\"node test.js\"}}\n");
            Path npmrc = registryDir.resolve("lock.npmrc");
            Files.writeString(
                    npmrc,
                    "registry=" + registry.url() + "\n//127.0.0.1:" + registry.port() + "/:_auth="
                            + Base64.getEncoder()
                                    .encodeToString(registry.credential().getBytes(StandardCharsets.UTF_8)) + "\n");
            Process p = new ProcessBuilder(
                            "npm",
                            "install",
                            "--no-audit",
                            "--no-fund",
                            "--userconfig",
                            npmrc.toString(),
                            "--cache",
                            registryDir.resolve("lock-cache").toString())
                    .directory(src.toFile())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("npm install for the lock file failed: " + out);
            }
            Files.writeString(src.resolve(".gitignore"), "node_modules/\n");
            Files.writeString(src.resolve("calc.js"), BUGGY);
            Files.writeString(
                    src.resolve("test.js"),
                    "const { quadruple } = require('./calc');\nconst got = quadruple(4);\nif (got !== 8) { console.error('expected 8, got ' + got); process.exit(1); }\nconsole.log('ok');\n");
        });
    }
}
