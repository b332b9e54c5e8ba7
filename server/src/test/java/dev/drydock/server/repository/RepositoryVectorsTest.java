package dev.drydock.server.repository;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import dev.drydock.search.CodeSearch;
import dev.drydock.search.SearchMode;
import dev.drydock.search.SearchQuery;
import dev.drydock.server.testing.LimitsProfile;
import dev.drydock.server.testing.Poll;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Vectors of registered repositories with the real shipped model (the rest of the suite runs with vectors off). */
@QuarkusTest
@TestProfile(LimitsProfile.class)
@QuarkusTestResource(RealServices.class)
class RepositoryVectorsTest {
    private static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "drydock-test-repos");
    private static Path source;

    @Inject
    RepositorySync repositories;

    @Inject
    RepositoryIndexing indexing;

    @Inject
    RepositoryContent content;

    @BeforeAll
    static void createGitRepository() throws Exception {
        source = Files.createDirectories(ROOT)
                .resolve("meaning-" + ProcessHandle.current().pid());
        write("src/Calculator.java", """
                /** Adds and multiplies numbers. */
                public class Calculator {
                    public int add(int a, int b) { return a + b; }
                    public int multiply(int a, int b) { return a * b; }
                }
                """);
        write("src/Greeter.java", """
                /** Says hello to people by name. */
                public class Greeter {
                    public String greet(String name) { return "Hello, " + name; }
                }
                """);
        write("src/DiskStore.java", """
                /** Saves records to files on disk. */
                public class DiskStore {
                    public void save(String record) { }
                }
                """);
        try (Git git = Git.init()
                .setDirectory(source.toFile())
                .setInitialBranch("main")
                .call()) {
            git.add().addFilepattern(".").call();
            git.commit()
                    .setMessage("three classes")
                    .setAuthor("t", "t@example.test")
                    .setCommitter("t", "t@example.test")
                    .call();
        }
    }

    private static void write(String path, String content) throws Exception {
        Files.createDirectories(source.resolve(path).getParent());
        Files.writeString(source.resolve(path), content);
    }

    @Test
    void shouldFindAFileByMeaningWhenItsVectorsAreAddedInTheBackground() throws Exception {
        // Given a registered repository, synced, whose vectors are then added in the background, and a
        // query that shares no word with any file (lexically it finds nothing)
        String query = "arithmetic sum product";
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("name", "meaning", "path", source.toString(), "branch", "main"))
                .when()
                .post("/api/workspaces/vectors-test/repositories")
                .then()
                .statusCode(201);
        repositories.scheduleSync("vectors-test", "meaning").get(120, TimeUnit.SECONDS);
        try (CodeSearch lexical = CodeSearch.open(indexing.indexPath("vectors-test", "meaning"), null)) {
            assertThat(lexical.search(new SearchQuery(query, Set.of("meaning"), 5, SearchMode.LEXICAL)))
                    .isEmpty();
        }
        JsonPath status = Poll.until(
                () -> given().auth()
                        .oauth2(Tokens.of("alice"))
                        .when()
                        .get("/api/workspaces/vectors-test/repositories/meaning")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath(),
                s -> "ready".equals(s.getString("vectors.state")),
                Duration.ofSeconds(120),
                s -> "vectors: " + s.getMap("vectors"));

        // When
        var search = given().auth()
                .oauth2(Tokens.of("alice"))
                .queryParam("q", query)
                .when()
                .get("/api/workspaces/vectors-test/search");

        // Then
        search.then()
                .statusCode(200)
                .body("[0].path", equalTo("src/Calculator.java"))
                .body("[0].endLine", greaterThan(1));
        assertThat(status.getInt("vectors.files")).isEqualTo(3);
        assertThat(status.getInt("vectors.embedded")).isEqualTo(3);
        assertThat(status.getString("status")).isEqualTo("ready");
    }

    @Test
    void shouldGiveEachFileOfTheRankingWithTheLineRangesOfItsBestChunksWhenSearched() throws Exception {
        // Given a registered, synced repository
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("name", "ranked", "path", source.toString(), "branch", "main"))
                .when()
                .post("/api/workspaces/vectors-test/repositories")
                .then()
                .statusCode(201);
        repositories.scheduleSync("vectors-test", "ranked").get(120, TimeUnit.SECONDS);

        // When
        List<Map<String, Object>> hits = given().auth()
                .oauth2(Tokens.of("alice"))
                .queryParam("q", "greet a person by name")
                .when()
                .get("/api/workspaces/vectors-test/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");

        // Then
        assertThat(hits).isNotEmpty();
        assertThat(hits.get(0)).containsEntry("path", "src/Greeter.java");
        assertThat((Integer) hits.get(0).get("startLine")).isGreaterThanOrEqualTo(1);
        assertThat((Integer) hits.get(0).get("endLine")).isLessThanOrEqualTo(4);
    }
}
