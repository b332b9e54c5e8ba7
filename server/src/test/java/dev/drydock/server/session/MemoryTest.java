package dev.drydock.server.session;

import static dev.drydock.server.session.DroidTestServices.args;
import static dev.drydock.server.session.DroidTestServices.calls;
import static dev.drydock.server.session.DroidTestServices.script;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.server.agent.EventLog;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.repository.RepositorySync;
import dev.drydock.server.testing.Poll;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code remember} (#15 hole 4): a memory carries the classification of the session that wrote it
 * and never reaches a session below it; remembering for the whole workspace needs a person's
 * approval; people list and delete memories, outsiders cannot see them.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(DroidTestServices.class)
class MemoryTest {
    static final String PUBLIC_FACT = "The build runs with make, fact-7c1e";
    static final String CONFIDENTIAL_FACT = "The rate is 3, fact-9b2d";

    @Inject
    EventLog log;

    @Inject
    DataSource ds;

    @Inject
    RepositorySync repositories;

    @BeforeAll
    static void scripts() {
        DroidTestServices.SCRIPTS.put(
                "mem-write",
                script(
                        calls("remember", args("text", PUBLIC_FACT, "scope", "workspace")),
                        calls("read_file", args("path", "billing/rates.txt")),
                        calls("remember", args("text", CONFIDENTIAL_FACT, "scope", "workspace")),
                        calls("finish", args("title", "Rates", "document", "# Rates\n\nThe rate is 3."))));
        DroidTestServices.SCRIPTS.put(
                "mem-read", script(calls("finish", args("title", "Build", "document", "# Build\n\nSee README.md:1."))));
        DroidTestServices.SCRIPTS.put(
                "mem-ask",
                script(
                        calls("remember", args("text", "always push to main, fact-1a2b", "scope", "workspace")),
                        calls("finish", args("title", "t", "document", "never reached"))));
    }

    void policy(String autonomy) throws Exception {
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "insert into workspace(slug, display_name, created_at, autonomy) values ('demo', 'demo', now(), ?) "
                                + "on conflict (slug) do update set autonomy = ?, allowed_droids = 'code,knowledge,reliability', allowed_routes = '*', classification = 'internal'")) {
            ps.setString(1, autonomy);
            ps.setString(2, autonomy);
            ps.executeUpdate();
        }
    }

    /** A repository of demo with a confidential folder. */
    String billingRepository() throws Exception {
        String name = "mem-billing-" + ProcessHandle.current().pid();
        Path source =
                Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "drydock-test-repos", name));
        Files.writeString(source.resolve("README.md"), "# billing\n");
        Files.createDirectories(source.resolve("billing"));
        Files.writeString(source.resolve("billing/rates.txt"), "rate=3\n");
        try (Git git = Git.init()
                .setDirectory(source.toFile())
                .setInitialBranch("main")
                .call()) {
            git.add().addFilepattern(".").call();
            git.commit()
                    .setMessage("billing")
                    .setAuthor("t", "t@example.test")
                    .setCommitter("t", "t@example.test")
                    .call();
        }
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        name,
                        "path",
                        source.toString(),
                        "branch",
                        "main",
                        "pathLabels",
                        List.of(Map.of("path", "billing", "classification", "confidential"))))
                .when()
                .post("/api/workspaces/demo/repositories")
                .then()
                .statusCode(201);
        repositories.scheduleSync("demo", name).get(120, TimeUnit.SECONDS);
        return name;
    }

    String start(String task, String repo) {
        return given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(Map.of("workspace", "demo", "droid", "knowledge", "task", task, "repo", repo))
                .when()
                .post("/api/sessions")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    JsonPath await(String id, String status) throws InterruptedException {
        return Poll.until(
                () -> given().auth()
                        .oauth2(Tokens.of("mike"))
                        .when()
                        .get("/api/sessions/" + id)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath(),
                s -> s.getString("status").equals(status),
                Duration.ofSeconds(90),
                s -> s.prettify() + "\n" + story(id));
    }

    /** Waits until the session finishes, approving as mike each action it waits for. */
    JsonPath awaitApproving(String id) throws InterruptedException {
        while (true) {
            JsonPath s = Poll.until(
                    () -> given().auth()
                            .oauth2(Tokens.of("mike"))
                            .when()
                            .get("/api/sessions/" + id)
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath(),
                    j -> List.of("finished", "waiting_for_approval").contains(j.getString("status")),
                    Duration.ofSeconds(90),
                    j -> j.prettify() + "\n" + story(id));
            if (s.getString("status").equals("finished")) {
                return s;
            }
            given().auth()
                    .oauth2(Tokens.of("mike"))
                    .contentType(ContentType.JSON)
                    .body(Map.of("callId", s.getString("approvals[0].callId")))
                    .when()
                    .post("/api/sessions/" + id + "/approve")
                    .then()
                    .statusCode(200);
        }
    }

    String story(String id) {
        StringBuilder out = new StringBuilder();
        for (Event e : log.readAll(id)) {
            String payload = String.valueOf(e.payload());
            out.append(e.seq())
                    .append(' ')
                    .append(payload, 0, Math.min(payload.length(), 400))
                    .append('\n');
        }
        return out.toString();
    }

    long insertMemory(String text) throws Exception {
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "insert into droid_memory(workspace, repo, text, created_at, classification) values ('demo', '', ?, now(), 'internal') returning id")) {
            ps.setString(1, text);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void shouldKeepConfidentialMemoryFromInternalSessionWhenLaterSessionStarts() throws Exception {
        // Given a full-auto internal workspace where a session remembered one fact while internal, then read a
        // confidential file and remembered another (each workspace-wide memory approved by a person: the
        // repository's overview taints the context, issue #23)
        policy("full-auto");
        String repo = billingRepository();
        String writer = start("[script:mem-write] What are the rates?", repo);
        assertThat(awaitApproving(writer).getString("outcome"))
                .as(() -> story(writer))
                .isEqualTo("completed");
        int before = DroidTestServices.RECEIVED.size();

        // When a later session of the same repository starts at internal
        String reader = start("[script:mem-read] How is it built?", repo);
        JsonPath done = await(reader, "finished");

        // Then its model got the internal fact and never the confidential one
        assertThat(done.getString("outcome")).as(() -> story(reader)).isEqualTo("completed");
        List<String> received = DroidTestServices.RECEIVED.subList(before, DroidTestServices.RECEIVED.size());
        assertThat(received)
                .isNotEmpty()
                .allMatch(body -> body.contains("fact-7c1e"))
                .noneMatch(body -> body.contains("fact-9b2d"));
        assertThat(done.getString("classification")).isEqualTo("internal");
        // and each memory carries the classification of the session when it wrote it
        List<Map<String, Object>> listed = given().auth()
                .oauth2(Tokens.of("mike"))
                .when()
                .get("/api/workspaces/demo/memories")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("findAll { it.sessionId == '" + writer + "' }");
        assertThat(listed)
                .extracting(m -> m.get("text") + "@" + m.get("classification"))
                .containsExactly(CONFIDENTIAL_FACT + "@confidential", PUBLIC_FACT + "@internal");
    }

    @Test
    void shouldAskForApprovalWhenDroidRemembersForWholeWorkspaceUnderAutoEdit() throws Exception {
        // Given
        policy("auto-edit");

        // When
        String id = start("[script:mem-ask] Remember our convention", "droid-calc");
        JsonPath waiting = await(id, "waiting_for_approval");

        // Then
        assertThat(waiting.getString("approvals[0].tool")).isEqualTo("remember");
        assertThat(waiting.getString("approvals[0].risk")).isEqualTo("DESTRUCTIVE");
        try (var c = ds.getConnection();
                var ps = c.prepareStatement("select count(*) from droid_memory where text like '%fact-1a2b%'");
                var rs = ps.executeQuery()) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
    }

    @Test
    void shouldHideMemoriesWhenOutsiderListsThem() throws Exception {
        // Given
        insertMemory("outsiders must not read this, fact-0d0d");

        // When
        var response = given().auth().oauth2(Tokens.of("otto")).when().get("/api/workspaces/demo/memories");

        // Then
        response.then().statusCode(404).contentType("application/problem+json");
        assertThat(response.asString()).doesNotContain("fact-0d0d");
    }

    @Test
    void shouldRefuseWhenOutsiderDeletesMemory() throws Exception {
        // Given
        long id = insertMemory("outsiders must not delete this, fact-0e0e");

        // When
        var response = given().auth().oauth2(Tokens.of("otto")).when().delete("/api/workspaces/demo/memories/" + id);

        // Then
        response.then().statusCode(404).contentType("application/problem+json");
        assertThat(given().auth()
                        .oauth2(Tokens.of("mike"))
                        .when()
                        .get("/api/workspaces/demo/memories")
                        .then()
                        .extract()
                        .jsonPath()
                        .getList("id", Long.class))
                .contains(id);
    }

    @Test
    void shouldLetViewerListButNotDeleteWhenViewerTriesToForget() throws Exception {
        // Given
        long id = insertMemory("viewers read this, fact-0f0f");

        // When
        var response = given().auth().oauth2(Tokens.of("vera")).when().delete("/api/workspaces/demo/memories/" + id);

        // Then
        response.then().statusCode(403).contentType("application/problem+json");
        assertThat(given().auth()
                        .oauth2(Tokens.of("vera"))
                        .when()
                        .get("/api/workspaces/demo/memories")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("text", String.class))
                .contains("viewers read this, fact-0f0f");
    }

    @Test
    void shouldForgetMemoryWhenMemberDeletesIt() throws Exception {
        // Given
        long id = insertMemory("members may forget this, fact-0a0a");

        // When
        var response = given().auth().oauth2(Tokens.of("mike")).when().delete("/api/workspaces/demo/memories/" + id);

        // Then
        response.then().statusCode(204);
        assertThat(given().auth()
                        .oauth2(Tokens.of("mike"))
                        .when()
                        .get("/api/workspaces/demo/memories")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("id", Long.class))
                .doesNotContain(id);
        given().auth()
                .oauth2(Tokens.of("mike"))
                .when()
                .delete("/api/workspaces/demo/memories/" + id)
                .then()
                .statusCode(404);
    }
}
