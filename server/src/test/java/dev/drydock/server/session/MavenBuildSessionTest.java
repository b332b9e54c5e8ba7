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
import dev.drydock.testing.PackageIndexes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
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
 * Droids on a real Maven project (issue #18): the sandbox compiles and runs a JUnit 5 test with the
 * host's Maven repository and this build's Maven wrapper, read-only, and the test gate tells a
 * dependency that cannot be resolved from a failing test.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(DroidTestServices.class)
class MavenBuildSessionTest {
    static final String CALC =
            "package demo;\n\npublic class Calc {\n    public static int add(int a, int b) {\n        return a - b;\n    }\n}\n";

    /** The setup step of the mirrored repository: resolves everything surefire needs at run time (go-offline misses its JUnit provider). */
    static final String SETUP = "./mvnw -B -q test -Dmaven.test.failure.ignore=true";

    static PackageIndexes indexes;

    @Inject
    EventLog log;

    @Inject
    DataSource ds;

    @AfterAll
    static void stopMirror() {
        if (indexes != null) {
            indexes.close();
        }
    }

    @AfterEach
    void noMirrorForOtherClasses() {
        // other classes' sessions in the demo workspace get no Maven mirror and no setup step
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .when()
                .delete("/api/workspaces/demo/repositories/droid-maven-mirror/setup");
        given().auth().oauth2(Tokens.of("alice")).when().delete("/api/admin/package-mirrors/corp-maven");
    }

    @BeforeAll
    static void scripts() throws Exception {
        // a repository manager in Maven layout (what Nexus and Artifactory serve): this build's own local repository
        indexes = PackageIndexes.start(Path.of(System.getProperty("user.home"), ".m2", "repository"));
        DroidTestServices.SCRIPTS.put(
                "fix-maven",
                script(
                        calls("run_tests", "{}"),
                        calls("finish", args("summary", "Nothing to do")),
                        calls(
                                "edit_file",
                                args(
                                        "path",
                                        "src/main/java/demo/Calc.java",
                                        "old_text",
                                        "return a - b",
                                        "new_text",
                                        "return a + b")),
                        calls("run_tests", "{}"),
                        calls("finish", args("summary", "Fix add(): it subtracted instead of adding."))));
        DroidTestServices.SCRIPTS.put(
                "maven-env",
                script(
                        calls(
                                "edit_file",
                                args(
                                        "path",
                                        "src/main/java/demo/Calc.java",
                                        "old_text",
                                        "return a - b",
                                        "new_text",
                                        "return a + b")),
                        calls("finish", args("summary", "Fixed add().")),
                        calls(
                                "ask_user",
                                args(
                                        "question",
                                        "The dependency com.example.nowhere:missing cannot be resolved; can it be added to the mirror?"))));
    }

    @BeforeEach
    void demoWorkspaceLetsDroidsEdit() throws Exception {
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "insert into workspace(slug, display_name, created_at, autonomy) values ('demo', 'demo', now(), 'auto-edit') "
                                + "on conflict (slug) do update set autonomy = 'auto-edit', allowed_droids = 'code,knowledge,reliability', allowed_routes = '*', classification = 'internal'")) {
            ps.executeUpdate();
        }
    }

    @Test
    void shouldCompileRunAndFixFailingJUnitTestWhenDroidEditsMavenProject() throws Exception {
        // Given a Maven project with a failing JUnit 5 test in the server's mirror
        mavenRepo("droid-maven", "");
        String id = create("[script:fix-maven] CalcTest fails. Fix the bug.", "droid-maven");

        // When
        JsonPath done = await(id, s -> s.getString("status").equals("finished"));

        // Then the same test ran in the sandbox first failing, then passing, and the fix was accepted
        assertThat(done.getString("outcome")).as(() -> story(id)).isEqualTo("completed");
        List<Observation.CommandFinished> runs = observations(id, Observation.CommandFinished.class);
        assertThat(runs).extracting(Observation.CommandFinished::exitCode).containsExactly(1, 0);
        assertThat(String.valueOf(runs.get(0)))
                .contains("Tests run: 1, Failures: 1")
                .contains("expected: <5> but was: <-1>");
        assertThat(observations(id, Observation.ActionRejected.class))
                .singleElement()
                .satisfies(o -> assertThat(o.reason())
                        .contains("the tests fail")
                        .contains("./mvnw -B -q -o test")
                        .doesNotContain("environment problem"));
    }

    @Test
    void shouldFixFailingJUnitTestWithDependenciesOnlyFromMavenMirrorWhenWorkspaceChoseIt() throws Exception {
        // Given the demo workspace's Maven mirror and the repository's setup step, which resolves through it
        mavenRepo("droid-maven-mirror", "");
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("kind", "maven", "url", "http://127.0.0.1:" + indexes.port() + "/maven/"))
                .when()
                .put("/api/admin/package-mirrors/corp-maven")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of())
                .when()
                .put("/api/workspaces/demo/package-mirrors/corp-maven")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of("command", SETUP))
                .when()
                .put("/api/workspaces/demo/repositories/droid-maven-mirror/setup")
                .then()
                .statusCode(200);
        indexes.served().clear();
        String id = create("[script:fix-maven] CalcTest fails. Fix the bug.", "droid-maven-mirror");

        // When
        JsonPath done = await(id, s -> s.getString("status").equals("finished"));

        // Then the droid fixed the test in a sandbox whose every artifact came from the mirror, through the proxy
        assertThat(done.getString("outcome")).as(() -> story(id)).isEqualTo("completed");
        assertThat(observations(id, Observation.CommandFinished.class))
                .extracting(Observation.CommandFinished::exitCode)
                .containsExactly(1, 0);
        assertThat(observations(id, Telemetry.SetupCompleted.class))
                .containsExactly(new Telemetry.SetupCompleted(SETUP, "registration", List.of("corp-maven"), List.of()));
        assertThat(observations(id, Telemetry.MirrorRequested.class))
                .hasSizeGreaterThan(20)
                .allSatisfy(r -> assertThat(r.allowed()).isTrue());
        String junit = org.junit.jupiter.api.Test.class.getPackage().getImplementationVersion();
        assertThat(indexes.served())
                .contains("/maven/org/junit/jupiter/junit-jupiter-engine/" + junit + "/junit-jupiter-engine-" + junit
                        + ".jar");
    }

    @Test
    void shouldReportEnvironmentProblemNotFailingTestWhenDependencyDoesNotExist() throws Exception {
        // Given a Maven project whose dependency exists in no repository
        mavenRepo(
                "droid-maven-missing",
                "<dependency><groupId>com.example.nowhere</groupId><artifactId>missing</artifactId><version>9.9.9</version></dependency>");
        String id = create("[script:maven-env] CalcTest fails. Fix the bug.", "droid-maven-missing");

        // When
        JsonPath waiting = await(id, s -> s.getString("status").equals("waiting_for_answer"));

        // Then the gate refused the finish as an environment problem, not as failing tests
        assertThat(waiting.getString("question.question")).contains("cannot be resolved");
        assertThat(observations(id, Observation.ActionRejected.class))
                .singleElement()
                .satisfies(o -> assertThat(o.reason())
                        .as(() -> story(id))
                        .contains("build environment problem (dependency-resolution)")
                        .contains("com.example.nowhere:missing")
                        .contains("Do not change the code")
                        .doesNotContain("the tests fail"));
    }

    <T> List<T> observations(String id, Class<T> type) {
        return sessions().observations(id, type);
    }

    String create(String task, String repo) {
        return DemoSessions.create(task, repo);
    }

    JsonPath await(String id, Predicate<JsonPath> done) throws InterruptedException {
        return sessions().await(id, done, Duration.ofMinutes(6));
    }

    String story(String id) {
        return sessions().story(id);
    }

    DemoSessions sessions() {
        return new DemoSessions(log);
    }

    /** A bare repository in the demo workspace's folder of the mirror root: a Maven project with this build's wrapper, its JUnit version and pinned plugins. */
    static void mavenRepo(String name, String extraDependency) throws Exception {
        DemoSessions.bareRepo(name, src -> {
            Path root = Path.of("").toAbsolutePath();
            while (!Files.isRegularFile(root.resolve("mvnw"))) {
                root = root.getParent();
            }
            String junit = org.junit.jupiter.api.Test.class.getPackage().getImplementationVersion();
            Files.createDirectories(src.resolve("src/main/java/demo"));
            Files.createDirectories(src.resolve("src/test/java/demo"));
            Files.createDirectories(src.resolve(".mvn/wrapper"));
            Files.copy(root.resolve("mvnw"), src.resolve("mvnw"), StandardCopyOption.COPY_ATTRIBUTES);
            Files.copy(
                    root.resolve(".mvn/wrapper/maven-wrapper.properties"),
                    src.resolve(".mvn/wrapper/maven-wrapper.properties"));
            Files.writeString(src.resolve("pom.xml"), """
                    <project xmlns="http://maven.apache.org/POM/4.0.0">
                      <modelVersion>4.0.0</modelVersion>
                      <groupId>demo</groupId><artifactId>calc</artifactId><version>1</version>
                      <properties><maven.compiler.release>17</maven.compiler.release><project.build.sourceEncoding>UTF-8</project.build.sourceEncoding></properties>
                      <dependencies>
                        <dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter-api</artifactId><version>%1$s</version><scope>test</scope></dependency>
                        <dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter-engine</artifactId><version>%1$s</version><scope>test</scope></dependency>
                        %2$s
                      </dependencies>
                      <build><plugins>
                        <plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
                        <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.14.0</version></plugin>
                        <plugin><artifactId>maven-surefire-plugin</artifactId><version>3.5.2</version></plugin>
                      </plugins></build>
                    </project>
                    """.formatted(junit, extraDependency));
            Files.writeString(src.resolve("src/main/java/demo/Calc.java"), CALC);
            Files.writeString(
                    src.resolve("src/test/java/demo/CalcTest.java"),
                    "package demo;\n\nimport static org.junit.jupiter.api.Assertions.assertEquals;\n\nimport org.junit.jupiter.api.Test;\n\n"
                            + "class CalcTest {\n    @Test\n    void adds() {\n        assertEquals(5, Calc.add(2, 3));\n    }\n}\n");
        });
    }
}
