package dev.drydock.server.session;

import static dev.drydock.server.session.DroidTestServices.args;
import static dev.drydock.server.session.DroidTestServices.calls;
import static dev.drydock.server.session.DroidTestServices.script;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.cli.login.Credentials;
import dev.drydock.server.agent.EventLog;
import dev.drydock.server.agent.event.Action;
import dev.drydock.server.agent.event.Observation;
import dev.drydock.server.testing.CliRun;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import dev.drydock.testing.ServerEverything;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MCP tool servers against a real peer nobody here wrote (issue #19): {@code
 * @modelcontextprotocol/server-everything} from npm, over Streamable HTTP (a test process, reached
 * through the egress guard) and over stdio (run by the session's real bubblewrap sandbox from the
 * repository's own {@code node_modules}). Scripted droids call {@code echo} and {@code get-sum}
 * through the gateway's tool list; risk classes, approvals, disabled tools and bad arguments behave
 * as for built-in tools.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(DroidTestServices.class)
class McpToolServersTest {
    static ServerEverything everything;

    @Inject
    EventLog log;

    @Inject
    DataSource ds;

    @TestHTTPResource("/")
    java.net.URL base;

    @TempDir
    Path home;

    @BeforeAll
    static void peerAndScripts() throws Exception {
        Path dir = Files.createTempDirectory(DroidTestServices.mirrorRoot.getParent(), "mcp-");
        everything = ServerEverything.startHttp(dir);
        DroidTestServices.SCRIPTS.put(
                "mcp-http",
                script(
                        calls("mcp__everything__echo", args("message", "hello from a droid")),
                        calls("mcp__everything__get-sum", args("a", 2, "b", 3)),
                        calls("ask_user", args("question", "Done?"))));
        DroidTestServices.SCRIPTS.put(
                "mcp-risky",
                script(
                        calls("mcp__everything__get-sum", args("a", 40, "b", 2)),
                        calls("ask_user", args("question", "Done?"))));
        DroidTestServices.SCRIPTS.put(
                "mcp-refused",
                script(
                        calls("mcp__everything__echo", args("message", "nobody hears this")),
                        calls("mcp__everything__get-sum", args("a", "two", "b", 3)),
                        calls("mcp__nowhere__anything", "{}"),
                        calls("ask_user", args("question", "Done?"))));
        DroidTestServices.SCRIPTS.put(
                "mcp-stdio",
                script(
                        calls("mcp__local__echo", args("message", "from inside the sandbox")),
                        calls("ask_user", args("question", "Done?"))));
    }

    @AfterAll
    static void stopPeer() {
        if (everything != null) {
            everything.close();
        }
    }

    @BeforeEach
    void demoWorkspaceAutoEdit() throws Exception {
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "insert into workspace(slug, display_name, created_at, autonomy) values ('demo', 'demo', now(), 'auto-edit') "
                                + "on conflict (slug) do update set autonomy = 'auto-edit', allowed_droids = 'code,knowledge,reliability', allowed_routes = '*', classification = 'internal'")) {
            ps.executeUpdate();
        }
    }

    @AfterEach
    void noMcpServersForOtherClasses() {
        System.clearProperty("drydock.credentials");
        for (String name : List.of("everything", "local")) {
            given().auth().oauth2(Tokens.of("alice")).when().delete("/api/admin/mcp-servers/" + name);
        }
    }

    @Test
    void shouldListToolsOfRealPeerWhenAdminRegistersHttpServer() {
        // Given server-everything's Streamable HTTP endpoint on loopback (allow-listed by default)

        // When
        JsonPath server = registerHttp();

        // Then its tools are stored, each at the riskiest class until an admin lowers it
        assertThat(server.getString("listError")).isNull();
        assertThat(server.getString("listedAt")).isNotNull();
        assertThat(server.getList("tools.name", String.class)).contains("echo", "get-sum");
        assertThat(server.getList("tools.droidName", String.class))
                .contains("mcp__everything__echo", "mcp__everything__get-sum");
        assertThat(server.getList("tools.risk", String.class)).containsOnly("destructive");
        assertThat(server.getList("tools.enabled", Boolean.class)).containsOnly(true);
        assertThat(server.getString("tools.find { it.name == 'get-sum' }.inputSchema"))
                .contains("\"a\"")
                .contains("\"number\"");
    }

    @Test
    void shouldRecordResultsOfRealPeerInEventLogWhenDroidCallsMcpToolsOverHttp() throws Exception {
        // Given echo and get-sum lowered to read-only by a drydock-admin
        registerHttp();
        setTool("echo", Map.of("risk", "read-only"));
        setTool("get-sum", Map.of("risk", "read-only"));
        String id = DemoSessions.create("[script:mcp-http] Say hello and add two numbers.", "droid-calc");

        // When
        await(id, s -> s.getString("status").equals("waiting_for_answer"));

        // Then both calls ran against the real server; their results are observations, their actions audited
        List<Action.InvokeTool> invoked = mcpCalls(id);
        assertThat(invoked)
                .extracting(Action.InvokeTool::tool, Action.InvokeTool::risk)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("mcp__everything__echo", Action.Risk.READ_ONLY),
                        org.assertj.core.groups.Tuple.tuple("mcp__everything__get-sum", Action.Risk.READ_ONLY));
        assertThat(sessions().observations(id, Observation.ToolSucceeded.class))
                .extracting(Observation.ToolSucceeded::output)
                .containsExactly("Echo: hello from a droid", "The sum of 2 and 3 is 5.");
        assertThat(audit())
                .anySatisfy(a -> assertThat(a)
                        .contains("tool.executed")
                        .contains("mcp__everything__echo")
                        .contains(id))
                .anySatisfy(a -> assertThat(a).contains("mcp-server.registered"))
                .anySatisfy(a -> assertThat(a).contains("mcp-tool.changed"));
        assertThat(String.join("\n", DroidTestServices.RECEIVED))
                .contains("mcp__everything__get-sum")
                .contains("Returns the sum of two numbers");
    }

    @Test
    void shouldReplayWithoutDivergenceWhenSessionCalledMcpTools() throws Exception {
        // Given a session that called two MCP tools, and the server stopped answering since
        registerHttp();
        setTool("echo", Map.of("risk", "read-only"));
        setTool("get-sum", Map.of("risk", "read-only"));
        String id = DemoSessions.create("[script:mcp-http] Say hello and add two numbers.", "droid-calc");
        await(id, s -> s.getString("status").equals("waiting_for_answer"));
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("transport", "http", "url", "http://127.0.0.1:9/mcp", "workspaces", List.of("demo")))
                .when()
                .put("/api/admin/mcp-servers/everything");

        // When
        JsonPath replay = given().auth()
                .oauth2(Tokens.of("mike"))
                .when()
                .get("/api/sessions/" + id + "/record/replay")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        // Then the loop replays the MCP calls from the log; the server was not needed
        assertThat(replay.getBoolean("diverged")).as(replay.prettify()).isFalse();
    }

    @Test
    void shouldAskForApprovalWhenDroidCallsMcpToolAdminLeftRisky() throws Exception {
        // Given get-sum at the class it was listed with (destructive) in an auto-edit workspace
        registerHttp();
        String id = DemoSessions.create("[script:mcp-risky] Add two numbers.", "droid-calc");

        // When
        JsonPath waiting = await(id, s -> s.getString("status").equals("waiting_for_approval"));

        // Then nothing ran: a person is asked first
        assertThat(waiting.getString("approvals[0].tool")).isEqualTo("mcp__everything__get-sum");
        assertThat(waiting.getString("approvals[0].risk")).isEqualTo("DESTRUCTIVE");
        assertThat(mcpCalls(id)).isEmpty();
    }

    @Test
    void shouldRefuseCallsWhenToolIsDisabledUnregisteredOrArgumentsMissTheSchema() throws Exception {
        // Given echo disabled and get-sum read-only
        registerHttp();
        setTool("echo", Map.of("enabled", false));
        setTool("get-sum", Map.of("risk", "read-only"));
        String id = DemoSessions.create("[script:mcp-refused] Try the tools.", "droid-calc");

        // When
        await(id, s -> s.getString("status").equals("waiting_for_answer"));

        // Then each call was refused as an observation, none reached the server, and the session goes on
        assertThat(sessions().observations(id, Observation.FormatRejected.class))
                .extracting(Observation.FormatRejected::reason)
                .satisfiesExactly(
                        r -> assertThat(r).startsWith("unknown tool 'mcp__everything__echo'"),
                        r -> assertThat(r).contains("arguments.a must be a number, got a string"),
                        r -> assertThat(r).startsWith("unknown tool 'mcp__nowhere__anything'"));
        assertThat(mcpCalls(id)).isEmpty();
    }

    @Test
    void shouldRunStdioServerInsideSessionSandboxWhenDroidCallsItsTool() throws Exception {
        // Given a repository that carries server-everything in node_modules, and a stdio server that runs it
        mcpRepo();
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "transport",
                        "stdio",
                        "command",
                        "node " + ServerEverything.ENTRY + " stdio",
                        "workspaces",
                        List.of("demo")))
                .when()
                .put("/api/admin/mcp-servers/local")
                .then()
                .statusCode(200)
                .body("tools", org.hamcrest.Matchers.empty());
        String id = DemoSessions.create("[script:mcp-stdio] Echo something.", "droid-mcp");
        JsonPath waiting = await(id, s -> s.getString("status").equals("waiting_for_approval"));

        // When a person approves the call of the newly listed (so destructive) tool
        given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(Map.of("callId", waiting.getString("approvals[0].callId")))
                .when()
                .post("/api/sessions/" + id + "/approve")
                .then()
                .statusCode(200);
        await(id, s -> s.getString("status").equals("waiting_for_answer"));

        // Then the server listed its tools from inside the sandbox and answered the call there
        assertThat(waiting.getString("approvals[0].tool")).isEqualTo("mcp__local__echo");
        assertThat(sessions().observations(id, Observation.ToolSucceeded.class))
                .extracting(Observation.ToolSucceeded::output)
                .contains("Echo: from inside the sandbox");
        JsonPath server = given().auth()
                .oauth2(Tokens.of("alice"))
                .when()
                .get("/api/admin/mcp-servers/local")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(server.getList("tools.name", String.class)).contains("echo", "get-sum");
        assertThat(server.getString("listedAt")).isNotNull();
    }

    @Test
    void shouldRefuseRegistrationsThatBreakPolicyWithProblems() {
        // Given a host outside the egress allow-list, a workspace admin, and a stdio server asking for a credential
        Map<String, Object> outside =
                Map.of("transport", "http", "url", "http://mcp.outside.example/mcp", "workspaces", List.of("demo"));

        // When / Then each is refused with a problem that says what to fix
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(outside)
                .when()
                .put("/api/admin/mcp-servers/outside")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("egress allow-list"));
        for (String who : List.of("wanda", "mike")) {
            given().auth()
                    .oauth2(Tokens.of(who))
                    .contentType(ContentType.JSON)
                    .body(Map.of("transport", "http", "url", everything.url(), "workspaces", List.of("demo")))
                    .when()
                    .put("/api/admin/mcp-servers/everything")
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json");
        }
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "transport",
                        "stdio",
                        "command",
                        "mcp-tickets",
                        "credentialSecret",
                        "token",
                        "workspaces",
                        List.of("demo")))
                .when()
                .put("/api/admin/mcp-servers/local")
                .then()
                .statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("credentialSecret"));
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("transport", "ftp", "workspaces", List.of("demo")))
                .when()
                .put("/api/admin/mcp-servers/local")
                .then()
                .statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("transport"));
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("transport", "stdio", "command", "x", "workspaces", List.of("no-such-workspace")))
                .when()
                .put("/api/admin/mcp-servers/local")
                .then()
                .statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("workspaces"));
        given().auth()
                .oauth2(Tokens.of("alice"))
                .when()
                .get("/api/admin/mcp-servers")
                .then()
                .statusCode(200)
                .body("name", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("outside")));
    }

    @Test
    void shouldClassToolWhenAdminUsesCommandLine() throws Exception {
        // Given alice signed in with ./drydock login, and the server registered with ./drydock mcp add
        signIn("alice");
        CliRun added = CliRun.of("mcp", "add", "everything", "--url", everything.url(), "-w", "demo");
        assertThat(added.exit()).as(added.err()).isZero();

        // When
        CliRun classed = CliRun.of("mcp", "tools", "everything", "--tool", "get-sum", "--risk", "read-only");

        // Then
        assertThat(added.out()).contains("registered everything").contains("mcp__everything__echo");
        assertThat(classed.exit()).as(classed.err()).isZero();
        assertThat(classed.out()).containsPattern("mcp__everything__get-sum\\s+read-only\\s+yes");
        assertThat(CliRun.of("mcp", "list").out()).contains("everything").contains(everything.url());
    }

    JsonPath registerHttp() {
        return given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("transport", "http", "url", everything.url(), "workspaces", List.of("demo")))
                .when()
                .put("/api/admin/mcp-servers/everything")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static void setTool(String tool, Map<String, Object> settings) {
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(settings)
                .when()
                .put("/api/admin/mcp-servers/everything/tools/" + tool)
                .then()
                .statusCode(200);
    }

    /** The repository {@code droid-mcp} of the demo workspace: a README and server-everything's installed node_modules. */
    static void mcpRepo() throws Exception {
        Path bare = DroidTestServices.mirrorRoot.resolve("demo").resolve("droid-mcp.git");
        if (Files.exists(bare)) {
            return;
        }
        Path src = Files.createTempDirectory(DroidTestServices.mirrorRoot, "src-");
        Files.writeString(src.resolve("README.md"), "# tools\n\nAn MCP server for droids.\n");
        run(
                src,
                "cp",
                "-r",
                ServerEverything.installed().resolve("node_modules").toString(),
                ".");
        run(src, "git", "init", "-q", "-b", "main");
        run(src, "git", "add", "-A");
        run(
                src,
                "git",
                "-c",
                "user.name=Test",
                "-c",
                "user.email=test@drydock.invalid",
                "-c",
                "commit.gpgsign=false",
                "commit",
                "-q",
                "-m",
                "server-everything");
        run(src.getParent(), "git", "clone", "-q", "--bare", src.toString(), bare.toString());
    }

    static void run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    /** The session's actions that called an MCP tool. */
    List<Action.InvokeTool> mcpCalls(String id) {
        return sessions().observations(id, Action.InvokeTool.class).stream()
                .filter(a -> a.tool().startsWith("mcp__"))
                .toList();
    }

    /** Signs {@code user} in as {@code ./drydock login} would leave it. */
    void signIn(String user) {
        System.setProperty("drydock.credentials", home.resolve(user + ".json").toString());
        String tokenUrl = RealServices.get().keycloak().realmUrl() + "/protocol/openid-connect/token";
        JsonPath t = given().formParam("grant_type", "password")
                .formParam("client_id", RealServices.TEST_CLIENT)
                .formParam("username", user)
                .formParam("password", RealServices.password(user))
                .formParam("scope", "openid")
                .post(tokenUrl)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        String access = t.getString("access_token");
        java.util.regex.Matcher exp = java.util.regex.Pattern.compile("\"exp\"\\s*:\\s*(\\d+)")
                .matcher(new String(
                        java.util.Base64.getUrlDecoder().decode(access.split("\\.")[1]),
                        java.nio.charset.StandardCharsets.UTF_8));
        assertThat(exp.find()).isTrue();
        new Credentials(
                        base.toString().replaceAll("/$", ""),
                        RealServices.get().keycloak().realmUrl(),
                        RealServices.TEST_CLIENT,
                        tokenUrl,
                        tokenUrl.replace("/token", "/revoke"),
                        user,
                        access,
                        java.time.Instant.ofEpochSecond(Long.parseLong(exp.group(1))),
                        t.getString("refresh_token"))
                .save();
    }

    DemoSessions sessions() {
        return new DemoSessions(log);
    }

    JsonPath await(String id, Predicate<JsonPath> done) throws InterruptedException {
        return sessions().await(id, done, Duration.ofMinutes(3));
    }

    List<String> audit() throws Exception {
        List<String> out = new ArrayList<>();
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "select action, target, details, session_id from audit_record order by seq");
                var rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4));
            }
        }
        return out;
    }
}
