package dev.drydock.server.migration;

import static dev.drydock.server.session.DroidTestServices.args;
import static dev.drydock.server.session.DroidTestServices.calls;
import static dev.drydock.server.session.DroidTestServices.script;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.drydock.server.agent.EventLog;
import dev.drydock.server.agent.event.Lifecycle;
import dev.drydock.server.agent.event.Source;
import dev.drydock.server.session.DroidTestServices;
import dev.drydock.server.session.SessionRunner;
import dev.drydock.server.testing.Poll;
import dev.drydock.server.testing.PortalBrowser;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.eclipse.jgit.api.Git;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Migrations end to end with the scripted model: the knowledge droid plans, a person approves, the
 * scheduler runs code droids in real sandboxes on two repositories in dependency order, within the
 * cap, a failed task is retried, and a restart mid-run loses nothing.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(DroidTestServices.class)
class MigrationsTest {
    static final String WS = "/api/workspaces/demo/migrations";
    static final String SECOND = "mig-calc-2";

    @TestHTTPResource("/")
    java.net.URI base;

    @Inject
    DataSource ds;

    @Inject
    EventLog log;

    @Inject
    SessionRunner runner;

    @Inject
    MigrationScheduler scheduler;

    @BeforeAll
    static void scripts() throws Exception {
        DroidTestServices.SCRIPTS.put(
                "mig-fix",
                script(
                        calls(
                                "edit_file",
                                args("path", "calc.py", "old_text", "return a - b", "new_text", "return a + b")),
                        calls("run_tests", "{}"),
                        calls("finish", args("summary", "Fixed add()."))));
        DroidTestServices.SCRIPTS.put(
                "mig-plan",
                script(calls(
                        "finish",
                        args(
                                "title",
                                "Plan",
                                "document",
                                "# Plan\n\nFix the library first, then the app.\n\n```json\n"
                                        + plan(
                                                task("lib", "droid-calc", "[script:mig-fix] calc.py"),
                                                task("app", SECOND, "[script:mig-flaky] calc.py", "lib"))
                                        + "\n```\n"))));
        DroidTestServices.SCRIPTS.put(
                "mig-noplan",
                script(calls("finish", args("title", "Plan", "document", "# Plan\n\nJust do it, all at once."))));
        DroidTestServices.SCRIPTS.put(
                "mig-badjson",
                script(calls(
                        "finish",
                        args(
                                "title",
                                "Plan",
                                "document",
                                "# Plan\n\n```json\n{\"tasks\": [{\"id\": \"a\",]}\n```\n"))));
        // the second repository of the migration: a copy of droid-calc in demo's folder of the mirror root
        Path mirrors = Path.of(ConfigProvider.getConfig().getValue("drydock.droid.mirror-root", String.class));
        Path second = mirrors.resolve("demo").resolve(SECOND + ".git");
        if (!Files.exists(second)) {
            Git.cloneRepository()
                    .setURI(mirrors.resolve("demo/droid-calc.git").toUri().toString())
                    .setBare(true)
                    .setDirectory(second.toFile())
                    .call()
                    .close();
        }
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

    static Map<String, Object> task(String id, String repo, String scope, String... deps) {
        return Map.of(
                "id",
                id,
                "repository",
                repo,
                "scope",
                scope,
                "acceptance",
                "python3 -m unittest",
                "dependsOn",
                List.of(deps));
    }

    @SafeVarargs
    static String plan(Map<String, Object>... tasks) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper()
                    .writeValueAsString(Map.of("tasks", List.of(tasks)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String create(String goal, Integer maxParallel) {
        return given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(Map.of("goal", goal, "repositories", List.of("droid-calc", SECOND), "maxParallel", maxParallel))
                .when()
                .post(WS)
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    static JsonPath get(String id) {
        return given().auth()
                .oauth2(Tokens.of("vera"))
                .when()
                .get(WS + "/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static JsonPath await(String id, Predicate<JsonPath> done) throws InterruptedException {
        return Poll.until(() -> get(id), done, Duration.ofSeconds(180), JsonPath::prettify);
    }

    static JsonPath awaitState(String id, String state) throws InterruptedException {
        return await(id, j -> j.getString("state").equals(state));
    }

    static Response post(String user, String path, Object body) {
        return given().auth()
                .oauth2(Tokens.of(user))
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post(path);
    }

    static Map<String, Object> taskOf(JsonPath m, String id) {
        return m.getList("tasks", Map.class).stream()
                .filter(t -> id.equals(t.get("id")))
                .findFirst()
                .map(t -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> typed = t;
                    return typed;
                })
                .orElseThrow();
    }

    @Test
    void shouldRunTasksInDependencyOrderOverTwoRepositoriesWhenAFailedTaskIsRetried() throws Exception {
        // Given a migration planned by the knowledge droid, approved, whose second task fails (the model is down)
        DroidTestServices.SCRIPTS.put("mig-flaky", script("DOWN", "DOWN", "DOWN", "DOWN"));
        String id = create("[script:mig-plan] Fix add() in both calculators.", 2);
        JsonPath planned = awaitState(id, "planned");
        post("mike", WS + "/" + id + "/approve", Map.of()).then().statusCode(200);
        JsonPath failed = await(
                id,
                j -> "failed".equals(taskOf(j, "app").get("state"))
                        && j.getString("state").equals("needs_attention"));
        DroidTestServices.SCRIPTS.put(
                "mig-flaky",
                script(
                        calls(
                                "edit_file",
                                args("path", "calc.py", "old_text", "return a - b", "new_text", "return a + b")),
                        calls("run_tests", "{}"),
                        calls("finish", args("summary", "Fixed add() in the app."))));

        // When a member retries it
        post("mike", WS + "/" + id + "/tasks/app/retry", Map.of()).then().statusCode(200);

        // Then it runs again in a new session and the migration completes
        JsonPath done = awaitState(id, "completed");
        assertThat(planned.getList("tasks.id")).containsExactly("lib", "app");
        assertThat(planned.getList("tasks.repository")).containsExactly("droid-calc", SECOND);
        assertThat(failed.getString("state")).isEqualTo("needs_attention");
        assertThat((String) taskOf(failed, "app").get("error")).contains("model unavailable");
        Map<String, Object> lib = taskOf(done, "lib");
        Map<String, Object> app = taskOf(done, "app");
        assertThat(lib).containsEntry("state", "succeeded").containsEntry("attempts", 1);
        assertThat(app).containsEntry("state", "succeeded").containsEntry("attempts", 2);
        assertThat(app.get("session")).isNotEqualTo(taskOf(failed, "app").get("session"));
        assertThat(Instant.parse((String) app.get("startedAt")))
                .isAfterOrEqualTo(Instant.parse((String) lib.get("finishedAt")));
        assertThat(done.getLong("totals.promptTokens")).isPositive();
        assertThat(done.getLong("totals.costMicros")).isPositive();
        JsonPath appSession = given().auth()
                .oauth2(Tokens.of("vera"))
                .get("/api/sessions/" + app.get("session"))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(appSession.getString("repo")).isEqualTo(SECOND);
        assertThat(appSession.getString("droid")).isEqualTo("code");
        assertThat(appSession.getString("createdBy")).isEqualTo("mike");
        assertThat(appSession.getString("outcome")).isEqualTo("completed");
    }

    @Test
    void shouldNeverRunMoreTasksAtOnceThanTheMigrationsCapWhenMoreAreReady() throws Exception {
        // Given a migration capped at two parallel tasks, whose plan (put by a person) has three independent tasks
        String id = create("[script:mig-noplan] Fix add() everywhere.", 2);
        awaitState(id, "plan_failed");
        given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(plan(
                        task("one", "droid-calc", "[script:mig-fix] calc.py"),
                        task("two", SECOND, "[script:mig-fix] calc.py"),
                        task("three", "droid-calc", "[script:mig-fix] calc.py")))
                .put(WS + "/" + id + "/plan")
                .then()
                .statusCode(200);

        // When it is approved
        post("wanda", WS + "/" + id + "/approve", Map.of()).then().statusCode(200);

        // Then all three run, never more than two at once, and two did run together
        JsonPath done = awaitState(id, "completed");
        List<Instant[]> spans = new ArrayList<>();
        for (Map<String, Object> t : done.getList("tasks", Map.class).stream()
                .map(t -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> typed = t;
                    return typed;
                })
                .toList()) {
            assertThat(t).containsEntry("state", "succeeded");
            spans.add(new Instant[] {
                Instant.parse((String) t.get("startedAt")), Instant.parse((String) t.get("finishedAt"))
            });
        }
        int most = 0;
        for (Instant[] s : spans) {
            int at = (int) spans.stream()
                    .filter(o -> !o[0].isAfter(s[0]) && o[1].isAfter(s[0]))
                    .count();
            most = Math.max(most, at);
        }
        assertThat(most).isEqualTo(2);
        assertThat(done.getString("approvedBy")).isEqualTo("wanda");
    }

    @Test
    void shouldSkipDependentsWithAFailedTaskWhenItIsSkippedWithoutUnblockingThem() throws Exception {
        // Given an approved migration whose first task failed, its dependent waiting, an independent task done
        DroidTestServices.SCRIPTS.put("mig-down", script("DOWN", "DOWN", "DOWN", "DOWN"));
        String id = create("[script:mig-noplan] Fix add().", 2);
        awaitState(id, "plan_failed");
        given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(plan(
                        task("broken", "droid-calc", "[script:mig-down] calc.py"),
                        task("after", SECOND, "[script:mig-fix] calc.py", "broken"),
                        task("alone", SECOND, "[script:mig-fix] calc.py")))
                .put(WS + "/" + id + "/plan")
                .then()
                .statusCode(200);
        post("mike", WS + "/" + id + "/approve", Map.of()).then().statusCode(200);
        JsonPath stuck = await(id, j -> j.getString("state").equals("needs_attention"));

        // When a member skips the failed task, without letting its dependents run
        post("mike", WS + "/" + id + "/tasks/broken/skip", Map.of("unblockDependents", false))
                .then()
                .statusCode(200);

        // Then the dependent is skipped with it, never started, and the migration completes
        JsonPath done = awaitState(id, "completed");
        assertThat(taskOf(stuck, "broken")).containsEntry("state", "failed");
        assertThat(taskOf(stuck, "after"))
                .containsEntry("state", "pending")
                .containsEntry("waitingOn", List.of("broken"));
        assertThat(taskOf(stuck, "alone")).containsEntry("state", "succeeded");
        assertThat(taskOf(done, "broken")).containsEntry("state", "skipped").containsEntry("error", "skipped by mike");
        assertThat(taskOf(done, "after"))
                .containsEntry("state", "skipped")
                .containsEntry("attempts", 0)
                .containsEntry("error", "skipped with 'broken', which it depends on");
        assertThat(taskOf(done, "after").get("session")).isNull();
    }

    @Test
    void shouldRecordWhyWhenThePlannerWritesMalformedJson() throws Exception {
        // Given
        String id = create("[script:mig-badjson] Fix add().", 1);

        // When
        JsonPath failed = awaitState(id, "plan_failed");

        // Then
        assertThat(failed.getString("planError"))
                .startsWith("the planning droid's plan was refused: the plan is not valid JSON (line 1, column");
        assertThat(failed.getList("tasks")).isEmpty();
        post("mike", WS + "/" + id + "/approve", Map.of()).then().statusCode(409);
    }

    @Test
    void shouldRefuseCycleWithProblemJsonNamingItWhenAPlanIsPut() throws Exception {
        // Given
        String id = create("[script:mig-noplan] Fix add().", 1);
        awaitState(id, "plan_failed");

        // When
        Response r = given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(plan(
                        task("a", "droid-calc", "calc.py", "c"),
                        task("b", SECOND, "calc.py", "a"),
                        task("c", SECOND, "calc.py", "b")))
                .put(WS + "/" + id + "/plan");

        // Then
        r.then().statusCode(400).contentType("application/problem+json");
        assertThat(r.jsonPath().getString("detail"))
                .isEqualTo("the plan has a dependency cycle: a → c → b → a (each depends on the next)");
        assertThat(r.jsonPath().getString("type")).isEqualTo("urn:drydock:problem:invalid-plan");
        assertThat(get(id).getString("state")).isEqualTo("plan_failed");
    }

    @Test
    void shouldRefuseDanglingDependencyNamingTheMissingIdWhenAPlanIsPut() throws Exception {
        // Given
        String id = create("[script:mig-noplan] Fix add().", 1);
        awaitState(id, "plan_failed");

        // When
        Response r = given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(plan(task("a", "droid-calc", "calc.py", "nowhere")))
                .put(WS + "/" + id + "/plan");

        // Then
        r.then().statusCode(400).contentType("application/problem+json");
        assertThat(r.jsonPath().getString("detail"))
                .isEqualTo("task 'a' depends on 'nowhere', which is not a task of the plan");
        assertThat(r.jsonPath().getString("errors[0].field")).isEqualTo("tasks[0].dependsOn");
    }

    @Test
    void shouldFollowTheMigrationOnTheBoardToTheEndWhenTheServerRestartedMidRun() throws Exception {
        // Given what a stopped server left: a running migration whose first task's session is mid-run with
        // nobody driving it, a second task waiting for it, and a third claimed but without its session yet
        String migration = UUID.randomUUID().toString();
        String session = UUID.randomUUID().toString();
        String commit;
        try (Git g = Git.open(Path.of(ConfigProvider.getConfig().getValue("drydock.droid.mirror-root", String.class))
                .resolve("demo/droid-calc.git")
                .toFile())) {
            commit = g.getRepository().resolve("HEAD").name();
        }
        try (var c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (var s = c.createStatement()) {
                s.executeUpdate(
                        "insert into droid_session(id, workspace, droid, repo, title, created_by, created_at, updated_at) values ('"
                                + session + "', 'demo', 'code', 'droid-calc', '"
                                + MigrationScheduler.title(migration, "first", 1)
                                + "', 'mike', now(), now())");
                s.executeUpdate(
                        "insert into migration(id, workspace, goal, repositories, state, max_parallel, created_by, created_at, approved_by, approved_at, updated_at) "
                                + "values ('" + migration + "', 'demo', 'Fix add().', 'droid-calc," + SECOND
                                + "', 'running', 2, 'mike', now(), 'mike', now(), now())");
                s.executeUpdate(
                        "insert into migration_task(migration_id, id, position, repository, scope, acceptance, state, session_id, attempts, started_at) values "
                                + "('" + migration
                                + "', 'first', 0, 'droid-calc', '[script:mig-fix] calc.py', 'python3 -m unittest', 'running', '"
                                + session + "', 1, now()),"
                                + "('" + migration + "', 'second', 1, '" + SECOND
                                + "', '[script:mig-fix] calc.py', 'python3 -m unittest', 'pending', null, 0, null),"
                                + "('" + migration + "', 'third', 2, '" + SECOND
                                + "', '[script:mig-fix] calc.py', 'python3 -m unittest', 'starting', null, 1, now())");
                s.executeUpdate("insert into migration_task_dependency(migration_id, task_id, depends_on) values ('"
                        + migration + "', 'second', 'first')");
            }
            c.commit();
        }
        log.append(
                session,
                Source.USER,
                new Lifecycle.SessionStarted(
                        "code",
                        MigrationService.taskText(
                                "Fix add().",
                                new MigrationStore.TaskRow(
                                        "first",
                                        "droid-calc",
                                        "[script:mig-fix] calc.py",
                                        "",
                                        "python3 -m unittest",
                                        List.of(),
                                        TaskState.RUNNING,
                                        false,
                                        session,
                                        1,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        MigrationView.Totals.ZERO)),
                        "demo",
                        "droid-calc",
                        commit));

        // and the new server started: the runner marks the session interrupted (as the tests configure it), the
        // scheduler recovers its claims; the board, open in a browser, shows the migration waiting for a person
        runner.recover();
        scheduler.recover();
        JsonPath attention = await(migration, j -> j.getString("state").equals("needs_attention"));
        try (PortalBrowser browser = PortalBrowser.launch()) {
            Page board = browser.signIn(
                    "vera",
                    base.resolve("/portal/workspaces/demo/migrations/" + migration)
                            .toString());
            PlaywrightAssertions.assertThat(board.locator("#graph g[data-task='first'] .node-state"))
                    .hasText("running");
            board.evaluate("window.boardTestMarker = 'loaded once'");

            // When a person resumes the interrupted session
            given().auth()
                    .oauth2(Tokens.of("mike"))
                    .post("/api/sessions/" + session + "/resume")
                    .then()
                    .statusCode(200);

            // Then the open board follows the tasks to the end without a reload
            var wait = new LocatorAssertions.HasTextOptions().setTimeout(180_000);
            for (String task : List.of("first", "second", "third")) {
                PlaywrightAssertions.assertThat(board.locator("#graph g[data-task='" + task + "'] .node-state"))
                        .hasText("succeeded", wait);
            }
            PlaywrightAssertions.assertThat(board.locator("#migration-state")).hasText("completed", wait);
            PlaywrightAssertions.assertThat(board.locator("#tasks tr[data-task='first'] .task-session a"))
                    .hasAttribute("href", "/portal/sessions/" + session);
            PlaywrightAssertions.assertThat(board.locator("#tasks tr[data-task='second'] .task-diff a"))
                    .hasText("diff");
            assertThat(board.evaluate("window.boardTestMarker")).isEqualTo("loaded once");
            PortalBrowser.screenshot(board, "migration-board");
        }
        // and the API agrees: the first task kept its session, the claimed one started once
        JsonPath done = awaitState(migration, "completed");
        Map<String, Object> first = taskOf(done, "first");
        assertThat(taskOf(attention, "first"))
                .containsEntry("state", "running")
                .containsEntry("sessionStatus", "interrupted");
        assertThat(first)
                .containsEntry("state", "succeeded")
                .containsEntry("session", session)
                .containsEntry("attempts", 1);
        assertThat(taskOf(done, "second")).containsEntry("state", "succeeded").containsEntry("attempts", 1);
        assertThat(taskOf(done, "third")).containsEntry("state", "succeeded").containsEntry("attempts", 1);
        assertThat(Instant.parse((String) taskOf(done, "second").get("startedAt")))
                .isAfterOrEqualTo(Instant.parse((String) first.get("finishedAt")));
        try (var c = ds.getConnection();
                var ps = c.prepareStatement("select count(*) from droid_session where title like ?")) {
            ps.setString(1, "Migration " + migration + "%");
            try (var rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1))
                        .as("one session per task, none started twice")
                        .isEqualTo(3);
            }
        }
    }

    @Test
    void shouldStartMigrationThatWaitsForMergesWhenMemberChoosesItOnThePortalForm() throws Exception {
        // Given
        try (PortalBrowser browser = PortalBrowser.launch()) {
            Page page = browser.signIn(
                    "mike", base.resolve("/portal/workspaces/demo/migrations").toString());
            page.fill("#goal", "[script:mig-noplan] Fix add() once the library's change merged.");
            page.check("input[name='repositories'][value='droid-calc']");
            page.selectOption("#ready-when", "merged");

            // When
            page.click("#start-migration");

            // Then the board says that tasks wait for merges, and so does the API
            page.waitForURL(java.util.regex.Pattern.compile(".*/portal/workspaces/demo/migrations/[0-9a-f-]{36}$"));
            PlaywrightAssertions.assertThat(page.locator("#ready-when")).containsText("merge requests merged");
            String id = page.url().substring(page.url().lastIndexOf('/') + 1);
            assertThat(get(id).getString("readyWhen")).isEqualTo("merged");
        }
    }
}
