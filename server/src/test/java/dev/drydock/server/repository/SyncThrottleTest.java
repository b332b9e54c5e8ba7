package dev.drydock.server.repository;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.server.testing.LimitsProfile;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, hole 11: manual syncs (API, webhook, portal button) are throttled per repository and per
 * workspace, with {@code Retry-After}; the scheduled fetch is not.
 */
@QuarkusTest
@TestProfile(LimitsProfile.class)
@QuarkusTestResource(RealServices.class)
class SyncThrottleTest {
    private static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "drydock-test-repos");
    private static final AtomicInteger NEXT = new AtomicInteger();

    @Inject
    RepositorySync repositories;

    /** A workspace of its own with {@code count} registered local repositories, synced once; returns the slug. */
    private String workspaceWithRepositories(List<String> names) throws Exception {
        String ws = "sync-limits-" + ProcessHandle.current().pid() + "-" + NEXT.incrementAndGet();
        for (String name : names) {
            Path source = Files.createDirectories(ROOT.resolve(ws + "-" + name));
            Files.writeString(source.resolve("README.md"), "# " + name + "\n");
            try (Git git = Git.init()
                    .setDirectory(source.toFile())
                    .setInitialBranch("main")
                    .call()) {
                git.add().addFilepattern(".").call();
                git.commit()
                        .setMessage("readme")
                        .setAuthor("t", "t@example.test")
                        .setCommitter("t", "t@example.test")
                        .call();
            }
            given().auth()
                    .oauth2(Tokens.of("alice"))
                    .contentType(ContentType.JSON)
                    .body(Map.of("name", name, "path", source.toString(), "branch", "main"))
                    .when()
                    .post("/api/workspaces/" + ws + "/repositories")
                    .then()
                    .statusCode(201);
            repositories.scheduleSync(ws, name).get(120, TimeUnit.SECONDS);
        }
        return ws;
    }

    private static Response sync(String ws, String name) {
        return given().auth()
                .oauth2(Tokens.of("alice"))
                .when()
                .post("/api/workspaces/" + ws + "/repositories/" + name + "/sync");
    }

    @Test
    void shouldRefuseSecondManualSyncOfRepositoryWithRetryAfterWhenItComesTooSoon() throws Exception {
        // Given a repository synced by hand a moment ago
        String ws = workspaceWithRepositories(List.of("hammered"));
        sync(ws, "hammered").then().statusCode(202);

        // When
        Response again = sync(ws, "hammered");

        // Then
        again.then().statusCode(429).contentType("application/problem+json");
        assertThat(Long.parseLong(again.header("Retry-After"))).isBetween(3000L, 3600L);
        assertThat(again.jsonPath().getString("detail"))
                .contains("manual syncs of one repository are at least 3600 s apart");
    }

    @Test
    void shouldRefuseManualSyncWhenWorkspaceUsedItsSyncsOfTheMinute() throws Exception {
        // Given a workspace that asked for its two manual syncs of the minute
        String ws = workspaceWithRepositories(List.of("one", "two", "three"));
        sync(ws, "one").then().statusCode(202);
        sync(ws, "two").then().statusCode(202);

        // When
        Response third = sync(ws, "three");

        // Then
        third.then().statusCode(429).contentType("application/problem+json");
        assertThat(Long.parseLong(third.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(third.jsonPath().getString("detail"))
                .contains("Workspace " + ws + " asked for 2 manual syncs in the last minute");
    }

    @Test
    void shouldStillRunScheduledFetchWhenManualSyncsAreThrottled() throws Exception {
        // Given a repository whose manual syncs are refused for the next hour, and a new commit upstream
        String ws = workspaceWithRepositories(List.of("scheduled"));
        sync(ws, "scheduled").then().statusCode(202);
        repositories.scheduleSync(ws, "scheduled").get(120, TimeUnit.SECONDS);
        String head;
        try (Git git = Git.open(ROOT.resolve(ws + "-scheduled").toFile())) {
            Files.writeString(ROOT.resolve(ws + "-scheduled").resolve("NEWS.md"), "news\n");
            git.add().addFilepattern(".").call();
            head = git.commit()
                    .setMessage("news")
                    .setAuthor("t", "t@example.test")
                    .setCommitter("t", "t@example.test")
                    .call()
                    .getName();
        }
        sync(ws, "scheduled").then().statusCode(429);

        // When the scheduled fetch reaches this repository (RepositorySync.fetchAll does this for each one)
        repositories.scheduleSync(ws, "scheduled").get(120, TimeUnit.SECONDS);

        // Then
        given().auth()
                .oauth2(Tokens.of("alice"))
                .when()
                .get("/api/workspaces/" + ws + "/repositories/scheduled")
                .then()
                .statusCode(200)
                .body("mirrorCommit", org.hamcrest.Matchers.equalTo(head));
    }
}
