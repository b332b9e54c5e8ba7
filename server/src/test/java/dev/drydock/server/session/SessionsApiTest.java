package dev.drydock.server.session;

import static dev.drydock.server.session.DroidTestServices.args;
import static dev.drydock.server.session.DroidTestServices.calls;
import static dev.drydock.server.session.DroidTestServices.script;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.server.agent.EventLog;
import dev.drydock.server.agent.event.Action;
import dev.drydock.server.agent.event.Conversation;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Lifecycle;
import dev.drydock.server.agent.event.Progress;
import dev.drydock.server.agent.event.Source;
import dev.drydock.server.testing.Poll;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(DroidTestServices.class)
class SessionsApiTest {
    @TestHTTPResource("/")
    URI base;

    @Inject
    EventLog log;

    @Inject
    SessionRunner runner;

    @Inject
    DataSource ds;

    @Inject
    dev.drydock.server.repository.RepositorySync repositories;

    @BeforeAll
    static void scripts() {
        DroidTestServices.SCRIPTS.put(
                "fix-calc",
                script(
                        calls("search_code", args("query", "add function")),
                        calls("read_file", args("path", "calc.py", "start_line", 1, "end_line", 6)),
                        calls("run_tests", "{}"),
                        calls("finish", args("summary", "I think it is fine")),
                        calls(
                                "edit_file",
                                args("path", "calc.py", "old_text", "return a - b", "new_text", "return a + b")),
                        calls("run_tests", "{}"),
                        calls("finish", args("summary", "Fix add(): it subtracted instead of adding."))));
        DroidTestServices.SCRIPTS.put(
                "ask",
                script(
                        calls(
                                "ask_user",
                                args("question", "Do you mean add() or mul()?", "options", List.of("add", "mul"))),
                        calls("read_file", args("path", "calc.py")),
                        calls(
                                "finish",
                                args(
                                        "title",
                                        "How add works",
                                        "document",
                                        "# add\n\n`add` is defined at calc.py:1 and returns a - b (a bug)."))));
        DroidTestServices.SCRIPTS.put(
                "slow",
                script(
                        calls("run_command", args("command", "sleep 61")),
                        calls("finish", args("title", "x", "document", "never reached, the session is cancelled"))));
        DroidTestServices.SCRIPTS.put("down", script("DOWN", "DOWN", "DOWN", "DOWN"));
        DroidTestServices.SCRIPTS.put(
                "malformed",
                script(
                        calls("read_file", "{\"path\": "),
                        calls("no_such_tool", "{}"),
                        calls("finish", args("title", "t", "document", "recovered after two malformed tool calls"))));
        DroidTestServices.SCRIPTS.put(
                "approve",
                script(
                        calls(
                                "edit_file",
                                args("path", "calc.py", "old_text", "return a - b", "new_text", "return a + b")),
                        calls("finish", args("summary", "Fixed add() after approval."))));
        DroidTestServices.SCRIPTS.put(
                "resume",
                script(
                        calls("read_file", args("path", "calc.py")),
                        calls("finish", args("title", "t", "document", "finished after the runner restarted"))));
    }

    @org.junit.jupiter.api.BeforeEach
    void demoWorkspaceLetsDroidsEdit() throws Exception {
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "insert into workspace(slug, display_name, created_at, autonomy) values ('demo', 'demo', now(), 'auto-edit') "
                                + "on conflict (slug) do update set autonomy = 'auto-edit', allowed_droids = 'code,knowledge,reliability', allowed_routes = '*', classification = 'internal'")) {
            ps.executeUpdate();
        }
    }

    String create(String user, String droid, String task, String repo) {
        return given().auth()
                .oauth2(Tokens.of(user))
                .contentType(ContentType.JSON)
                .body(
                        repo == null
                                ? Map.of("workspace", "demo", "droid", droid, "task", task)
                                : Map.of("workspace", "demo", "droid", droid, "task", task, "repo", repo))
                .when()
                .post("/api/sessions")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    JsonPath get(String user, String id) {
        return given().auth()
                .oauth2(Tokens.of(user))
                .when()
                .get("/api/sessions/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    JsonPath await(String id, Predicate<JsonPath> done) throws InterruptedException {
        return Poll.until(
                () -> get("mike", id),
                done,
                Duration.ofSeconds(90),
                s -> "session " + id + ": " + s.prettify() + "\n" + story(id));
    }

    /** How many audit records of each action the session has. */
    Map<String, Long> auditActions(String id) throws java.sql.SQLException {
        Map<String, Long> counts = new java.util.TreeMap<>();
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "select action, count(*) from audit_record where session_id = ? group by action")) {
            ps.setString(1, id);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return counts;
    }

    /** The session's events, one line each, for failure messages. */
    String story(String id) {
        StringBuilder out = new StringBuilder();
        for (Event e : log.readAll(id)) {
            String payload = String.valueOf(e.payload());
            out.append(e.seq())
                    .append(' ')
                    .append(payload, 0, Math.min(payload.length(), 600))
                    .append('\n');
        }
        return out.toString();
    }

    List<String> types(String id) {
        return given().auth()
                .oauth2(Tokens.of("mike"))
                .when()
                .get("/api/sessions/" + id + "/events?limit=5000")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("type");
    }

    @Test
    void shouldFixFailingTestInRealSandboxAndPublishBranch() throws Exception {
        // Given
        String id = create("mike", "code", "[script:fix-calc] The unit tests of calc fail. Fix the bug.", "droid-calc");

        // When
        JsonPath done = await(id, s -> s.getString("status").equals("finished"));

        // Then
        assertThat(done.getString("outcome")).as(() -> story(id)).isEqualTo("completed");
        assertThat(done.getList("rulesFiles", String.class)).containsExactly("AGENTS.md");
        assertThat(done.getString("auditRoot")).matches("[0-9a-f]{64}");
        assertThat(done.getLong("totals.promptTokens")).isEqualTo(7000);
        assertThat(done.getLong("totals.costMicros")).isEqualTo(7000);
        List<Event> events = log.readAll(id);
        List<dev.drydock.server.agent.event.Observation> observations = events.stream()
                .map(Event::payload)
                .filter(p -> p instanceof dev.drydock.server.agent.event.Observation)
                .map(p -> (dev.drydock.server.agent.event.Observation) p)
                .toList();
        assertThat(observations)
                .filteredOn(o -> o instanceof dev.drydock.server.agent.event.Observation.CommandFinished)
                .extracting(o -> ((dev.drydock.server.agent.event.Observation.CommandFinished) o).exitCode())
                .containsExactly(1, 0);
        assertThat(observations)
                .filteredOn(o -> o instanceof dev.drydock.server.agent.event.Observation.ActionRejected)
                .singleElement()
                .satisfies(o -> assertThat(((dev.drydock.server.agent.event.Observation.ActionRejected) o).reason())
                        .contains("tests fail")
                        .contains("AssertionError"));
        List<Map<String, Object>> artifacts = given().auth()
                .oauth2(Tokens.of("vera"))
                .when()
                .get("/api/sessions/" + id + "/artifacts")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
        assertThat(artifacts).extracting(a -> a.get("kind")).containsExactly("DIFF", "BRANCH");
        assertThat((String) artifacts.get(0).get("content"))
                .contains("-    return a - b")
                .contains("+    return a + b")
                .doesNotContain("test_calc.py");
        Path checkout = Files.createTempDirectory("branch-");
        try (Git git = Git.cloneRepository()
                .setURI(DroidTestServices.mirrorRoot
                        .resolve("demo/droid-calc.git")
                        .toUri()
                        .toString())
                .setDirectory(checkout.toFile())
                .call()) {
            git.fetch()
                    .setRemote("origin")
                    .setRefSpecs(new org.eclipse.jgit.transport.RefSpec(
                            "refs/drydock/sessions/" + id + ":refs/heads/drydock/" + id))
                    .call();
            git.checkout().setName("drydock/" + id).call();
            String message = git.log().call().iterator().next().getFullMessage();
            assertThat(message)
                    .startsWith("Fix add()")
                    .containsPattern("Drydock-Audit-Root: [0-9a-f]{64}")
                    .contains(
                            "Drydock-Session: " + id,
                            "Drydock-Delegated-By: mike",
                            "Drydock-Test-Result: passed",
                            "Drydock-Model: ");
            String trailer = message.replaceAll("(?s).*Drydock-Audit-Root: ([0-9a-f]{64}).*", "$1");
            try (var c = ds.getConnection();
                    var ps =
                            c.prepareStatement("select count(*) from audit_record where session_id = ? and hash = ?")) {
                ps.setString(1, id);
                ps.setString(2, trailer);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1))
                            .as("the trailer names one of this session's audit records")
                            .isEqualTo(1);
                }
            }
        }
        assertThat(Files.readString(checkout.resolve("calc.py"))).contains("return a + b");
        assertThat(auditActions(id))
                .as("every model call went through the gateway and was sealed")
                .containsEntry("model.request", 7L)
                .containsEntry("session.started", 1L)
                .containsEntry("file.read", 1L)
                .containsKey("tool.executed");
        Process tests = new ProcessBuilder("/usr/bin/python3", "-m", "unittest", "discover", "-q")
                .directory(checkout.toFile())
                .redirectErrorStream(true)
                .start();
        assertThat(tests.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tests.exitValue())
                .as(new String(tests.getInputStream().readAllBytes()))
                .isZero();
        assertThat(runner.sandbox(id)).isEmpty();
    }

    @Test
    void shouldGiveDroidsTheOverviewAndModelSummaryComputedAtIndexTime() throws Exception {
        // Given a registered repository whose README steers the scripted model to its summary script
        DroidTestServices.SCRIPTS.put(
                "summary",
                script(DroidTestServices.text(
                        "calc is a tiny Python calculator; its tests run with python3 -m unittest.")));
        String name = "summarized-calc-" + ProcessHandle.current().pid();
        Path source =
                Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "drydock-test-repos", name));
        Files.writeString(source.resolve("calc.py"), DroidTestServices.CALC);
        Files.writeString(source.resolve("test_calc.py"), DroidTestServices.CALC_TEST);
        Files.writeString(source.resolve("README.md"), "# calc [script:summary]\n\nA tiny calculator.\n");
        String commit;
        try (Git git = Git.init()
                .setDirectory(source.toFile())
                .setInitialBranch("main")
                .call()) {
            git.add().addFilepattern(".").call();
            commit = git.commit()
                    .setMessage("calc")
                    .setAuthor("t", "t@example.test")
                    .setCommitter("t", "t@example.test")
                    .call()
                    .name();
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
                        "testCommand",
                        "python3 -m unittest -q test_calc"))
                .when()
                .post("/api/workspaces/demo/repositories")
                .then()
                .statusCode(201);

        // When it is indexed, and a session starts from it
        repositories.scheduleSync("demo", name).get(120, TimeUnit.SECONDS);
        String overview = given().auth()
                .oauth2(Tokens.of("vera"))
                .when()
                .get("/api/workspaces/demo/repositories/" + name)
                .then()
                .statusCode(200)
                .extract()
                .path("overview");
        String id = create("mike", "knowledge", "[script:down] What is this?", name);
        await(id, s -> s.getString("status").equals("finished"));

        // Then
        assertThat(overview)
                .contains("- Languages: Python (2 files)")
                .contains("## Summary (written by a model when the repository was indexed)")
                .contains("- Test command: `python3 -m unittest -q test_calc` (from override)")
                .contains("calc is a tiny Python calculator");
        Progress.ContextPrepared prepared = log.readAll(id).stream()
                .map(Event::payload)
                .filter(p -> p instanceof Progress.ContextPrepared)
                .map(p -> (Progress.ContextPrepared) p)
                .findFirst()
                .orElseThrow();
        assertThat(prepared.overview()).startsWith(overview);
        assertThat(log.readAll(id).stream()
                        .map(Event::payload)
                        .filter(p -> p instanceof Lifecycle.SessionStarted)
                        .map(p -> ((Lifecycle.SessionStarted) p).commit()))
                .containsExactly(commit);
    }

    @Test
    void shouldGiveSearchCodeTheFileRankingWithChunkLineRangesWhenTheRepositoryIsIndexed() throws Exception {
        // Given a registered, indexed repository and a droid whose script searches it
        DroidTestServices.SCRIPTS.put(
                "search-ranked",
                script(
                        calls("search_code", args("query", "add function", "limit", 30)),
                        calls("finish", args("title", "add", "document", "# add\n\nIn calc.py."))));
        String name = "searched-calc-" + ProcessHandle.current().pid();
        Path source =
                Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "drydock-test-repos", name));
        Files.writeString(source.resolve("calc.py"), DroidTestServices.CALC);
        Files.writeString(source.resolve("test_calc.py"), DroidTestServices.CALC_TEST);
        try (Git git = Git.init()
                .setDirectory(source.toFile())
                .setInitialBranch("main")
                .call()) {
            git.add().addFilepattern(".").call();
            git.commit()
                    .setMessage("calc")
                    .setAuthor("t", "t@example.test")
                    .setCommitter("t", "t@example.test")
                    .call();
        }
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of("name", name, "path", source.toString(), "branch", "main"))
                .when()
                .post("/api/workspaces/demo/repositories")
                .then()
                .statusCode(201);
        repositories.scheduleSync("demo", name).get(120, TimeUnit.SECONDS);

        // When
        String id = create("mike", "knowledge", "[script:search-ranked] Where is add?", name);
        await(id, s -> s.getString("status").equals("finished"));

        // Then the repository's code file comes before its test (the ranking's prior puts tests behind
        // code), given as the line range of its best chunk (grep would give the matching line alone).
        // Other tests' copies of calc.py in demo may rank anywhere among them (hence the limit of 30).
        String output = log.readAll(id).stream()
                .map(Event::payload)
                .filter(p -> p instanceof dev.drydock.server.agent.event.Observation.ToolSucceeded)
                .map(p -> ((dev.drydock.server.agent.event.Observation.ToolSucceeded) p).output())
                .findFirst()
                .orElseThrow(() -> new AssertionError(story(id)));
        int code = output.indexOf(name + ":calc.py:1-");
        assertThat(code).as(output).isNotNegative();
        assertThat(output.indexOf(name + ":test_calc.py")).as(output).isGreaterThan(code);
        assertThat(output)
                .containsPattern(java.util.regex.Pattern.quote(name) + ":calc\\.py:1-[2-6]\n")
                .contains("1: def add(a, b):");
    }

    @Test
    void shouldKeepSecretRepositoryAwayFromModelsNotClearedForIt() throws Exception {
        // Given a repository labelled secret in demo (an internal workspace); the only model endpoint is cleared for
        // internal
        String name = "secret-calc-" + ProcessHandle.current().pid();
        Path source =
                Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "drydock-test-repos", name));
        Files.writeString(source.resolve("calc.py"), DroidTestServices.CALC);
        try (Git git = Git.init()
                .setDirectory(source.toFile())
                .setInitialBranch("main")
                .call()) {
            git.add().addFilepattern(".").call();
            git.commit()
                    .setMessage("calc")
                    .setAuthor("t", "t@example.test")
                    .setCommitter("t", "t@example.test")
                    .call();
        }
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of("name", name, "path", source.toString(), "branch", "main", "classification", "secret"))
                .when()
                .post("/api/workspaces/demo/repositories")
                .then()
                .statusCode(201);
        repositories.scheduleSync("demo", name).get(120, TimeUnit.SECONDS);

        // When
        String id = create("mike", "knowledge", "[script:ask] What does calc do?", name);
        JsonPath done = await(id, s -> s.getString("status").equals("finished"));

        // Then
        assertThat(done.getString("outcome")).as(() -> story(id)).isEqualTo("model_unavailable");
        assertThat(done.getString("summary")).contains("secret");
        assertThat(types(id)).doesNotContain("model.replied.v1");
    }

    @Test
    void shouldStreamEventsAsSseAndResumeFromLastEventId() throws Exception {
        // Given
        String id = create("mike", "knowledge", "[script:malformed] What does calc do?", "droid-calc");
        await(id, s -> s.getString("status").equals("finished"));
        HttpClient http = HttpClient.newHttpClient();

        // When
        HttpResponse<Stream<String>> response = http.send(
                HttpRequest.newBuilder(base.resolve("/api/sessions/" + id + "/events"))
                        .header("Authorization", "Bearer " + Tokens.of("vera"))
                        .header("Accept", "text/event-stream")
                        .header("Last-Event-ID", "3")
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofLines());
        List<String> lines = response.body().toList();

        // Then
        assertThat(response.statusCode()).isEqualTo(200);
        List<Long> ids = lines.stream()
                .filter(l -> l.startsWith("id:"))
                .map(l -> Long.parseLong(l.substring(3).strip()))
                .toList();
        long last = log.readAll(id).getLast().seq();
        assertThat(ids).first().isEqualTo(4L);
        for (int i = 1; i < ids.size(); i++) {
            assertThat(ids.get(i)).isEqualTo(ids.get(i - 1) + 1);
        }
        assertThat(ids).last().isEqualTo(last);
        assertThat(lines)
                .anyMatch(l -> l.equals("event: session.finished.v1") || l.equals("event:session.finished.v1"));
        assertThat(types(id)).filteredOn("format.rejected.v1"::equals).hasSize(2);
        assertThat(get("mike", id).getString("outcome")).isEqualTo("completed");
    }

    @Test
    void shouldPauseForQuestionAndContinueAfterAnswer() throws Exception {
        // Given
        String id = create("mike", "knowledge", "[script:ask] Explain the function", "droid-calc");
        JsonPath waiting = await(id, s -> s.getString("status").equals("waiting_for_answer"));

        // When
        given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(Map.of("answer", "add"))
                .when()
                .post("/api/sessions/" + id + "/answer")
                .then()
                .statusCode(200);
        JsonPath done = await(id, s -> s.getString("status").equals("finished"));

        // Then
        assertThat(waiting.getString("question.question")).isEqualTo("Do you mean add() or mul()?");
        assertThat(waiting.getList("question.options", String.class)).containsExactly("add", "mul");
        assertThat(done.getString("outcome")).isEqualTo("completed");
        assertThat(done.getList("artifacts.kind", String.class)).containsExactly("DOCUMENT");
    }

    @Test
    void shouldKillSandboxProcessesWhenCancelled() throws Exception {
        // Given
        String id = create("mike", "reliability", "[script:slow] The service hangs", "droid-calc");
        await(id, s -> types(id).contains("tool.invoke.v1") && sleepers() > 0);

        // When
        given().auth()
                .oauth2(Tokens.of("mike"))
                .when()
                .post("/api/sessions/" + id + "/cancel")
                .then()
                .statusCode(200);
        JsonPath done = await(id, s -> s.getString("status").equals("finished"));

        // Then
        assertThat(done.getString("outcome")).isEqualTo("cancelled");
        assertThat(sleepers()).isZero();
    }

    @Test
    void shouldEndCleanlyWhenModelEndpointIsDown() throws Exception {
        // Given
        String id = create("mike", "knowledge", "[script:down] Anything", null);

        // When
        JsonPath done = await(id, s -> s.getString("status").equals("finished"));

        // Then
        assertThat(done.getString("outcome")).isEqualTo("model_unavailable");
        assertThat(done.getString("summary")).contains("503");
        assertThat(types(id)).filteredOn("model.call-failed.v1"::equals).hasSize(3);
    }

    @Test
    void shouldResumeRunningSessionFromItsLogAfterRestart() throws Exception {
        // Given a session the previous server left mid-tool: an action recorded, no observation, nobody driving it
        String id = UUID.randomUUID().toString();
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "insert into droid_session(id, workspace, droid, repo, title, created_by, created_at, updated_at) values (?::uuid, 'demo', 'knowledge', 'droid-calc', 't', 'mike', now(), now())")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
        String commit;
        try (Git g = Git.open(
                DroidTestServices.mirrorRoot.resolve("demo/droid-calc.git").toFile())) {
            commit = g.getRepository().resolve("HEAD").name();
        }
        log.append(
                id,
                Source.USER,
                new Lifecycle.SessionStarted(
                        "knowledge", "[script:resume] What is in calc.py?", "demo", "droid-calc", commit));
        log.append(id, Source.SYSTEM, new Progress.ContextPrepared("You are the knowledge droid.", List.of(), "", ""));
        Event reply = log.append(
                id,
                Source.AGENT,
                new Conversation.ModelReplied(
                        "reading", List.of(new Conversation.ToolCall("c1", "read_file", "{\"path\":\"calc.py\"}"))));
        log.append(
                id,
                Source.AGENT,
                reply.seq(),
                new Action.InvokeTool("c1", "read_file", "{\"path\":\"calc.py\"}", Action.Risk.READ_ONLY));

        // When the new server starts and recovers running sessions, then a person resumes it
        runner.recover();
        JsonPath interrupted = await(id, s -> s.getString("status").equals("interrupted"));
        given().auth()
                .oauth2(Tokens.of("mike"))
                .when()
                .post("/api/sessions/" + id + "/resume")
                .then()
                .statusCode(200);
        JsonPath done = await(id, s -> s.getString("status").equals("finished"));

        // Then
        assertThat(interrupted.getString("status")).isEqualTo("interrupted");
        assertThat(done.getString("outcome")).isEqualTo("completed");
        List<Event> events = log.readAll(id);
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).seq()).isEqualTo(i + 1L);
        }
        assertThat(events.stream()
                        .filter(e -> e.payload() instanceof Action.InvokeTool t
                                && t.callId().equals("c1"))
                        .count())
                .isEqualTo(1);
        assertThat(types(id))
                .containsSubsequence(
                        "tool.invoke.v1",
                        "session.interrupted.v1",
                        "session.resumed.v1",
                        "tool.failed.v1",
                        "model.replied.v1",
                        "session.finished.v1");
    }

    @Test
    void shouldWaitForApprovalWhenWorkspaceAutonomyAsksForIt() throws Exception {
        // Given workspace "other" only lets droids read on their own
        given().auth()
                .oauth2(Tokens.of("otto"))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "allowedDroids",
                        List.of("code", "knowledge"),
                        "allowedRoutes",
                        List.of(),
                        "autonomy",
                        "approve-writes",
                        "classification",
                        "internal"))
                .when()
                .put("/api/workspaces/other/policy")
                .then()
                .statusCode(200);
        String id = given().auth()
                .oauth2(Tokens.of("otto"))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "workspace",
                        "other",
                        "droid",
                        "code",
                        "task",
                        "[script:approve] Fix add()",
                        "repo",
                        "droid-calc"))
                .when()
                .post("/api/sessions")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        java.util.function.Supplier<JsonPath> asOtto = () -> given().auth()
                .oauth2(Tokens.of("otto"))
                .when()
                .get("/api/sessions/" + id)
                .then()
                .extract()
                .jsonPath();
        JsonPath waiting = Poll.until(
                asOtto,
                s -> s.getString("status").equals("waiting_for_approval"),
                Duration.ofSeconds(60),
                JsonPath::prettify);
        String callId = waiting.getString("approvals[0].callId");

        // When
        given().auth()
                .oauth2(Tokens.of("otto"))
                .contentType(ContentType.JSON)
                .body(Map.of("callId", callId))
                .when()
                .post("/api/sessions/" + id + "/approve")
                .then()
                .statusCode(200);
        JsonPath done = Poll.until(
                asOtto, s -> s.getString("status").equals("finished"), Duration.ofSeconds(60), JsonPath::prettify);

        // Then
        assertThat(waiting.getString("approvals[0].tool")).isEqualTo("edit_file");
        assertThat(waiting.getString("approvals[0].risk")).isEqualTo("WRITES_WORKSPACE");
        assertThat(done.getString("outcome")).isEqualTo("completed");
        given().auth()
                .oauth2(Tokens.of("mike"))
                .when()
                .get("/api/sessions/" + id)
                .then()
                .statusCode(404);
    }

    @Test
    void shouldAuthorizeSessionsPerWorkspace() {
        // Given
        String id = create("mike", "knowledge", "[script:down] private", null);

        // When / Then
        given().auth()
                .oauth2(Tokens.of("vera"))
                .when()
                .get("/api/sessions/" + id)
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(Tokens.of("vera"))
                .when()
                .post("/api/sessions/" + id + "/cancel")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(Tokens.of("otto"))
                .when()
                .get("/api/sessions/" + id)
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(Tokens.of("otto"))
                .header("Accept", "text/event-stream")
                .when()
                .get("/api/sessions/" + id + "/events")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(Tokens.of("otto"))
                .when()
                .get("/api/sessions?workspace=demo")
                .then()
                .statusCode(200)
                .body("size()", org.hamcrest.Matchers.is(0));
        given().auth()
                .oauth2(Tokens.of("vera"))
                .contentType(ContentType.JSON)
                .body(Map.of("workspace", "demo", "droid", "knowledge", "task", "x"))
                .when()
                .post("/api/sessions")
                .then()
                .statusCode(403);
        given().when().get("/api/sessions/" + id).then().statusCode(401);
        given().auth()
                .oauth2(Tokens.of("otto"))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "allowedDroids",
                        List.of("code", "knowledge"),
                        "allowedRoutes",
                        List.of(),
                        "autonomy",
                        "approve-writes",
                        "classification",
                        "internal"))
                .when()
                .put("/api/workspaces/other/policy")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(Tokens.of("otto"))
                .contentType(ContentType.JSON)
                .body(Map.of("workspace", "other", "droid", "reliability", "task", "x"))
                .when()
                .post("/api/sessions")
                .then()
                .statusCode(403)
                .body("detail", org.hamcrest.Matchers.containsString("not allowed"));
        given().auth()
                .oauth2(Tokens.of("alice"))
                .when()
                .get("/api/sessions/" + id)
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(Tokens.of("mike"))
                .when()
                .get("/api/sessions/not-a-uuid")
                .then()
                .statusCode(404);
        List<String> listed = given().auth()
                .oauth2(Tokens.of("vera"))
                .when()
                .get("/api/sessions")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("id");
        assertThat(listed).contains(id);
    }

    /** Host processes running this test's {@code sleep 61}. */
    static long sleepers() {
        try {
            Process p = new ProcessBuilder("pgrep", "-f", "^sleep 61$").start();
            List<String> out = new ArrayList<>(
                    new String(p.getInputStream().readAllBytes()).lines().toList());
            p.waitFor();
            return out.size();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
