package dev.drydock.server.repository;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.testing.Poll;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(RealServices.class)
class WorkspaceRepositoriesTest {
    private static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "drydock-test-repos");
    private static Path calc;

    @Inject
    RepositorySync repositories;

    @Inject
    RepositoryIndexing indexing;

    @Inject
    RepositoryContent content;

    @Inject
    OpenIndexes openIndexes;

    @Inject
    AuditTrail audit;

    @BeforeAll
    static void createGitRepository() throws Exception {
        calc = Files.createDirectories(ROOT)
                .resolve("searchable-" + ProcessHandle.current().pid());
        Files.createDirectories(calc.resolve("src/main/java/demo"));
        Files.writeString(calc.resolve("src/main/java/demo/Calculator.java"), """
                package demo;

                /** Adds and multiplies numbers. */
                public class Calculator {
                    public int addNumbers(int a, int b) { return a + b; }
                    public int multiplyNumbers(int a, int b) { return a * b; }
                }
                """);
        Files.writeString(calc.resolve("README.md"), "# Calculator\nA tiny calculator.\n");
        try (Git git =
                Git.init().setDirectory(calc.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit()
                    .setMessage("Calculator")
                    .setAuthor("t", "t@example.test")
                    .setCommitter("t", "t@example.test")
                    .call();
        }
    }

    @Test
    void shouldMirrorIndexAndSearchOnlyInsideTheWorkspace() throws Exception {
        // Given alice (a drydock admin, so admin of every workspace) registers a local repository in a
        // workspace of its own, so that no other suite's workspace sees it
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("name", "searchable", "path", calc.toString(), "branch", "main"))
                .when()
                .post("/api/workspaces/search-test/repositories")
                .then()
                .statusCode(201)
                .body("name", equalTo("searchable"))
                .body("credentialsConfigured", equalTo(false));
        repositories.scheduleSync("search-test", "searchable").get(120, TimeUnit.SECONDS);

        // When
        var search = given().auth()
                .oauth2(Tokens.of("alice"))
                .queryParam("q", "add two numbers")
                .when()
                .get("/api/workspaces/search-test/search");

        // Then
        search.then()
                .statusCode(200)
                .body("path", hasItem("src/main/java/demo/Calculator.java"))
                .body("repo", hasItem("searchable"));
        given().auth()
                .oauth2(Tokens.of("alice"))
                .when()
                .get("/api/workspaces/search-test/repositories/searchable")
                .then()
                .statusCode(200)
                .body("status", equalTo("ready"))
                .body("files", equalTo(2))
                .body("overview", containsString("- Languages: Java (1 files)"))
                .body("overview", containsString("- Test command: none detected"));
        assertThat(Files.exists(
                        repositories.mirrorPath("search-test", "searchable").resolve("HEAD")))
                .isTrue();
        given().auth()
                .oauth2(Tokens.of("mike"))
                .queryParam("q", "add two numbers")
                .when()
                .get("/api/workspaces/search-test/search")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body(not(containsString("searchable")));
        given().auth()
                .oauth2(Tokens.of("otto"))
                .when()
                .get("/api/workspaces/search-test/repositories/searchable")
                .then()
                .statusCode(404)
                .body(not(containsString("Calculator")));
        given().auth()
                .oauth2(Tokens.of("otto"))
                .queryParam("q", "add")
                .when()
                .get("/api/workspaces/other/search")
                .then()
                .statusCode(200)
                .body("repo", not(hasItem("searchable")));
    }

    @Test
    void shouldIndexFromScratchWhenFilesOfAnEarlierRegistrationAreLeftUnderTheName() throws Exception {
        // Given an index folder the database knows nothing about (a restored database, a reinstall)
        Path leftover = Files.createDirectories(indexing.indexPath("leftover-test", "calc"));
        Files.writeString(leftover.resolve("segments_1"), "not a Lucene index");
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("name", "calc", "path", calc.toString(), "branch", "main"))
                .when()
                .post("/api/workspaces/leftover-test/repositories")
                .then()
                .statusCode(201);

        // When
        repositories.scheduleSync("leftover-test", "calc").get(120, TimeUnit.SECONDS);

        // Then
        given().auth()
                .oauth2(Tokens.of("alice"))
                .when()
                .get("/api/workspaces/leftover-test/repositories/calc")
                .then()
                .statusCode(200)
                .body("status", equalTo("ready"))
                .body("files", equalTo(2));
        given().auth()
                .oauth2(Tokens.of("alice"))
                .queryParam("q", "multiply numbers")
                .when()
                .get("/api/workspaces/leftover-test/search")
                .then()
                .statusCode(200)
                .body("path", hasItem("src/main/java/demo/Calculator.java"));
    }

    @Test
    void shouldRebuildIndexWhenItsFilesAreDamagedAndTheBranchMoves() throws Exception {
        // Given a ready repository whose index files are then overwritten
        Path source = readyAdderRepository("damaged-test", "damaged");
        try (var files = Files.list(indexing.indexPath("damaged-test", "damaged"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.writeString(f, "damaged");
            }
        }
        commitMultiplier(source);

        // When
        repositories.scheduleSync("damaged-test", "damaged").get(120, TimeUnit.SECONDS);

        // Then
        given().auth()
                .oauth2(Tokens.of("alice"))
                .when()
                .get("/api/workspaces/damaged-test/repositories/damaged")
                .then()
                .statusCode(200)
                .body("status", equalTo("ready"))
                .body("files", equalTo(2));
        given().auth()
                .oauth2(Tokens.of("alice"))
                .queryParam("q", "multiply numbers")
                .when()
                .get("/api/workspaces/damaged-test/search")
                .then()
                .statusCode(200)
                .body("path", hasItem("Multiplier.java"));
    }

    @Test
    void shouldKeepTheIndexOpenBetweenSearchesAndSearchTheNewCommitAfterASync() throws Exception {
        // Given a ready repository, searched twice
        Path source = readyAdderRepository("reuse-test", "moving");
        Path index = indexing.indexPath("reuse-test", "moving");
        given().auth()
                .oauth2(Tokens.of("alice"))
                .queryParam("q", "add numbers")
                .when()
                .get("/api/workspaces/reuse-test/search")
                .then()
                .statusCode(200)
                .body("path", hasItem("Adder.java"));
        Object first;
        Object second;
        try (OpenIndexes.Lease a = openIndexes.lease(index);
                OpenIndexes.Lease b = openIndexes.lease(index)) {
            first = a.search();
            second = b.search();
        }
        commitMultiplier(source);

        // When
        repositories.scheduleSync("reuse-test", "moving").get(120, TimeUnit.SECONDS);

        // Then: the same open index served both searches before the sync, a new one serves the new commit
        assertThat(second).isSameAs(first);
        given().auth()
                .oauth2(Tokens.of("alice"))
                .queryParam("q", "multiply numbers")
                .when()
                .get("/api/workspaces/reuse-test/search")
                .then()
                .statusCode(200)
                .body("path", hasItem("Multiplier.java"));
        try (OpenIndexes.Lease after = openIndexes.lease(index)) {
            assertThat(after.search()).isNotSameAs(first);
        }
    }

    @Test
    void shouldRefuseSourcesOutsideTheAllowLists() {
        // When / Then: a host that is not allow-listed
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of("name", "ext", "url", "https://github.com/acme/secret.git"))
                .when()
                .post("/api/workspaces/demo/repositories")
                .then()
                .statusCode(422)
                .body("type", equalTo("urn:drydock:problem:host-not-allowed"))
                .body("detail", containsString("github.com"));
        // a path that escapes the local root
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of("name", "etc", "path", ROOT + "/../../etc"))
                .when()
                .post("/api/workspaces/demo/repositories")
                .then()
                .statusCode(422)
                .body("type", equalTo("urn:drydock:problem:path-not-allowed"));
        // credentials inside the URL
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of("name", "creds", "url", "https://user:hunter2@git.internal.example/a.git"))
                .when()
                .post("/api/workspaces/demo/repositories")
                .then()
                .statusCode(400)
                .body(not(containsString("hunter2")));
        // a test command that is not one line
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of("name", "multi", "path", calc.toString(), "testCommand", "make test\nrm -rf /"))
                .when()
                .post("/api/workspaces/demo/repositories")
                .then()
                .statusCode(400)
                .body("detail", containsString("testCommand must be one line"));
        // a member may not register
        given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(Map.of("name", "x", "path", calc.toString()))
                .when()
                .post("/api/workspaces/demo/repositories")
                .then()
                .statusCode(403);
        // malformed JSON
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body("{\"name\": ")
                .when()
                .post("/api/workspaces/demo/repositories")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void shouldLetWorkspaceAdminsChangePolicyAndAuditIt() {
        // Given a workspace of its own (alice administers every workspace), so shared workspaces keep their policy
        Map<String, Object> policy = Map.of(
                "allowedDroids",
                List.of("code", "knowledge"),
                "allowedRoutes",
                List.of("default"),
                "autonomy",
                "auto-edit",
                "classification",
                "confidential");
        long before = audit.verify().checked();

        // When
        var response = given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(policy)
                .when()
                .put("/api/workspaces/policy-test/policy");

        // Then
        response.then()
                .statusCode(200)
                .body("policy.autonomy", equalTo("auto-edit"))
                .body("policy.allowedDroids", equalTo(List.of("code", "knowledge")));
        assertThat(audit.page(before, 1000, "policy-test"))
                .anySatisfy(r -> assertThat(r.action()).isEqualTo("policy.changed"));
        given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(policy)
                .when()
                .put("/api/workspaces/demo/policy")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(policy)
                .when()
                .put("/api/workspaces/policy-test/policy")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "allowedDroids",
                        List.of("code"),
                        "allowedRoutes",
                        List.of(),
                        "autonomy",
                        "yolo",
                        "classification",
                        "internal"))
                .when()
                .put("/api/workspaces/policy-test/policy")
                .then()
                .statusCode(400)
                .body("detail", containsString("autonomy"));
        given().auth()
                .oauth2(Tokens.of("mike"))
                .when()
                .get("/api/workspaces")
                .then()
                .statusCode(200)
                .body("slug", hasItem("demo"))
                .body("slug", not(hasItem("other")));
    }

    @Test
    void shouldLetWorkspaceAdminsLabelPathsAndAuditIt() throws Exception {
        // Given a repository in a workspace of its own, registered with one path label
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "labelled",
                        "path",
                        calc.toString(),
                        "branch",
                        "main",
                        "pathLabels",
                        List.of(Map.of("path", "src/test", "classification", "confidential"))))
                .when()
                .post("/api/workspaces/labels-test/repositories")
                .then()
                .statusCode(201)
                .body("pathLabels.path", equalTo(List.of("src/test")));
        repositories.scheduleSync("labels-test", "labelled").get(120, TimeUnit.SECONDS);
        long before = audit.verify().checked();

        // When
        var response = given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(List.of(
                        Map.of("path", "/src/main/", "classification", "secret"),
                        Map.of("path", "README.md", "classification", "confidential")))
                .when()
                .put("/api/workspaces/labels-test/repositories/labelled/path-labels");

        // Then
        response.then()
                .statusCode(200)
                .body("pathLabels.path", equalTo(List.of("src/main", "README.md")))
                .body("pathLabels.classification", equalTo(List.of("secret", "confidential")));
        assertThat(audit.page(before, 1000, "labels-test")).anySatisfy(r -> {
            assertThat(r.action()).isEqualTo("repository.path-labels-changed");
            assertThat(r.details()).contains("src/test", "src/main");
        });
        // the overview is recomputed under the new labels: it was written from the README, so it is confidential now
        repositories.scheduleSync("labels-test", "labelled").get(120, TimeUnit.SECONDS);
        String commit = given().auth()
                .oauth2(Tokens.of("alice"))
                .when()
                .get("/api/workspaces/labels-test/repositories/labelled")
                .then()
                .extract()
                .path("indexedCommit");
        assertThat(content.indexedOverview("labels-test", "labelled", commit))
                .hasValueSatisfying(o -> assertThat(o.classification())
                        .isEqualTo(dev.drydock.server.classification.Classification.CONFIDENTIAL));
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(List.of(Map.of("path", "src", "classification", "public")))
                .when()
                .put("/api/workspaces/labels-test/repositories/labelled/path-labels")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("can only raise"));
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(List.of(Map.of("path", "../../etc", "classification", "secret")))
                .when()
                .put("/api/workspaces/labels-test/repositories/labelled/path-labels")
                .then()
                .statusCode(400)
                .body("detail", containsString("'..'"));
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body("{\"path\": \"src\"}")
                .when()
                .put("/api/workspaces/labels-test/repositories/labelled/path-labels")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(Tokens.of("alice"))
                .when()
                .get("/api/workspaces/labels-test/repositories/labelled")
                .then()
                .statusCode(200)
                .body("pathLabels.path", equalTo(List.of("src/main", "README.md")));
        given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(List.of())
                .when()
                .put("/api/workspaces/demo/repositories/labelled/path-labels")
                .then()
                .statusCode(403);
    }

    @Test
    void shouldSayWhyAndRetryWhenTheFirstSyncFails() throws Exception {
        // Given a repository registered on a branch its source does not have yet
        Path source = Files.createDirectories(
                ROOT.resolve("late-branch-" + ProcessHandle.current().pid()));
        Files.writeString(
                source.resolve("Adder.java"), "class Adder { int addNumbers(int a, int b) { return a + b; } }\n");
        try (Git git = Git.init()
                .setDirectory(source.toFile())
                .setInitialBranch("main")
                .call()) {
            git.add().addFilepattern(".").call();
            git.commit()
                    .setMessage("adder")
                    .setAuthor("t", "t@example.test")
                    .setCommitter("t", "t@example.test")
                    .call();
        }
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("name", "late", "path", source.toString(), "branch", "release"))
                .when()
                .post("/api/workspaces/retry-test/repositories")
                .then()
                .statusCode(201);
        String failed =
                Poll.until(() -> status("retry-test", "late"), s -> s.startsWith("failed"), Duration.ofSeconds(60));
        assertThat(failed).contains("branch 'release' does not exist").contains("retrying in 5 s (attempt 2 of 4)");

        // When the branch appears, with no one asking for a sync
        try (Git git = Git.open(source.toFile())) {
            git.branchCreate().setName("release").call();
        }

        // Then the automatic retry indexes it
        Poll.until(() -> status("retry-test", "late"), s -> s.startsWith("ready"), Duration.ofSeconds(90));
    }

    private static String status(String workspace, String name) {
        var body = given().auth()
                .oauth2(Tokens.of("alice"))
                .when()
                .get("/api/workspaces/" + workspace + "/repositories/" + name)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        return body.getString("status") + ": " + body.getString("statusDetail");
    }

    /** A git repository holding {@code Adder.java}, registered by alice as {@code workspace/name} and synced. */
    private Path readyAdderRepository(String workspace, String name) throws Exception {
        Path source = Files.createDirectories(
                ROOT.resolve(name + "-" + ProcessHandle.current().pid()));
        Files.writeString(
                source.resolve("Adder.java"), "class Adder { int addNumbers(int a, int b) { return a + b; } }\n");
        try (Git git = Git.init()
                .setDirectory(source.toFile())
                .setInitialBranch("main")
                .call()) {
            git.add().addFilepattern(".").call();
            git.commit()
                    .setMessage("adder")
                    .setAuthor("t", "t@example.test")
                    .setCommitter("t", "t@example.test")
                    .call();
        }
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("name", name, "path", source.toString(), "branch", "main"))
                .when()
                .post("/api/workspaces/" + workspace + "/repositories")
                .then()
                .statusCode(201);
        repositories.scheduleSync(workspace, name).get(120, TimeUnit.SECONDS);
        return source;
    }

    /** Moves the branch: a commit adding {@code Multiplier.java}. */
    private static void commitMultiplier(Path source) throws Exception {
        Files.writeString(
                source.resolve("Multiplier.java"),
                "class Multiplier { int multiplyNumbers(int a, int b) { return a * b; } }\n");
        try (Git git = Git.open(source.toFile())) {
            git.add().addFilepattern(".").call();
            git.commit()
                    .setMessage("multiplier")
                    .setAuthor("t", "t@example.test")
                    .setCommitter("t", "t@example.test")
                    .call();
        }
    }
}
