package dev.drydock.server.session;

import static dev.drydock.server.session.DroidTestServices.args;
import static dev.drydock.server.session.DroidTestServices.calls;
import static dev.drydock.server.session.DroidTestServices.script;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.cli.CliExit;
import dev.drydock.cli.login.Credentials;
import dev.drydock.server.testing.CliRun;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CLI parity (#17): what a person does in the portal also works from the terminal after {@code
 * ./drydock login}. The CLI classes run in this JVM against the real test server, signed in with a
 * real Keycloak token written where {@code login} keeps it.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(DroidTestServices.class)
class CliParityTest {
    @TestHTTPResource("/")
    URI base;

    @TempDir
    Path home;

    @BeforeAll
    static void scripts() {
        DroidTestServices.SCRIPTS.put(
                "cli-watch",
                script(
                        calls(
                                "ask_user",
                                args("question", "Which function is wrong?", "options", List.of("add", "mul"))),
                        calls(
                                "edit_file",
                                args("path", "calc.py", "old_text", "return a - b", "new_text", "return a + b")),
                        calls("finish", args("summary", "Fix add() from the terminal."))));
        DroidTestServices.SCRIPTS.put(
                "cli-attach",
                script(
                        calls("ask_user", args("question", "Which log line matters?", "options", List.of("first"))),
                        calls("finish", args("title", "Build", "document", "never reached in these tests"))));
    }

    @AfterEach
    void forgetCredentials() {
        System.clearProperty("drydock.credentials");
    }

    String server() {
        return base.toString().replaceAll("/$", "");
    }

    /** Signs {@code user} in as {@code ./drydock login} would leave it: their tokens in an owner-only credentials file. */
    void signIn(String user) {
        System.setProperty("drydock.credentials", home.resolve(user + ".json").toString());
        String tokenUrl = RealServices.get().keycloak().realmUrl() + "/protocol/openid-connect/token";
        JsonPath t = given().formParam("grant_type", "password")
                .formParam("client_id", RealServices.TEST_CLIENT)
                .formParam("username", user)
                .formParam("password", dev.drydock.server.testing.RealServices.password(user))
                .formParam("scope", "openid")
                .post(tokenUrl)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        String access = t.getString("access_token");
        Matcher exp = Pattern.compile("\"exp\"\\s*:\\s*(\\d+)")
                .matcher(new String(Base64.getUrlDecoder().decode(access.split("\\.")[1]), StandardCharsets.UTF_8));
        assertThat(exp.find()).isTrue();
        new Credentials(
                        server(),
                        RealServices.get().keycloak().realmUrl(),
                        RealServices.TEST_CLIENT,
                        tokenUrl,
                        tokenUrl.replace("/token", "/revoke"),
                        user,
                        access,
                        Instant.ofEpochSecond(Long.parseLong(exp.group(1))),
                        t.getString("refresh_token"))
                .save();
    }

    @Test
    void shouldAddListAndSyncRepositoryWhenAdminUsesRepoCommands() throws Exception {
        // Given alice signed in, and a git repository in a folder under the server's local roots
        signIn("alice");
        String name = "cli-repo-" + ProcessHandle.current().pid();
        Path source =
                Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "drydock-test-repos", name));
        Files.writeString(source.resolve("README.md"), "# CLI sample\n");
        try (Git git = Git.init()
                .setDirectory(source.toFile())
                .setInitialBranch("main")
                .call()) {
            git.add().addFilepattern(".").call();
            git.commit()
                    .setMessage("sample")
                    .setAuthor("t", "t@example.test")
                    .setCommitter("t", "t@example.test")
                    .call();
        }

        // When she adds it (waiting for its first index), lists the workspace's repositories and syncs it again
        CliRun add = CliRun.of("repo", "add", "-w", "demo", name, "--path", source.toString(), "--wait");
        CliRun list = CliRun.of("repo", "list", "-w", "demo");
        CliRun sync = CliRun.of("repo", "sync", "-w", "demo", name, "--wait");
        CliRun missing = CliRun.of("repo", "sync", "-w", "demo", "no-such-repo");

        // Then each says what happened; a mistake is one clear line with a failing exit code
        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(add.out()).contains("added demo/" + name).contains("ready");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out().lines().filter(l -> l.startsWith(name)))
                .singleElement()
                .asString()
                .contains("ready")
                .contains("main")
                .contains(source.toString());
        assertThat(sync.exit()).as(sync.err()).isZero();
        assertThat(sync.out()).contains("sync of demo/" + name + " started").contains("ready");
        assertThat(missing.exit()).isEqualTo(CliExit.FAILED);
        assertThat(missing.err()).contains("no-such-repo").doesNotContain("Exception");
    }

    @Test
    void shouldStoreAndListModelEndpointWhenAdminUsesModelCommands() {
        // Given alice signed in, and the scripted model server the tests run
        signIn("alice");
        String url = ConfigProvider.getConfig().getValue("drydock.gateway.endpoints.scripted.base-url", String.class);

        // When she adds it under a second name and lists the endpoints; mike (a member) tries the same
        CliRun add = CliRun.of(
                "model", "add", "cli-scripted", "--base-url", url, "--model-id", "scripted", "--clearance", "internal");
        CliRun list = CliRun.of("model", "list");
        signIn("mike");
        CliRun refused = CliRun.of("model", "list");

        // Then it is stored and listed with its breaker state; the member is refused in words
        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(add.out()).contains("saved model endpoint cli-scripted: " + url);
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).containsPattern("cli-scripted\\s+openai-chat\\s+scripted\\s+internal\\s+closed");
        assertThat(list.out()).contains("scripted");
        assertThat(refused.exit()).isEqualTo(CliExit.FAILED);
        assertThat(refused.err()).contains("not allowed for mike");
    }

    @Test
    void shouldStreamTheLogAndTakeAnswerAndApprovalWhenMemberStartsSessionWithWatch() {
        // Given mike signed in, in a workspace that asks before every write, with his replies typed ahead
        signIn("mike");
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "allowedDroids",
                        List.of("code", "knowledge", "reliability"),
                        "allowedRoutes",
                        List.of(),
                        "autonomy",
                        "approve-writes",
                        "classification",
                        "internal"))
                .when()
                .put("/api/workspaces/demo/policy")
                .then()
                .statusCode(200);
        InputStream stdin = System.in;
        System.setIn(new ByteArrayInputStream("add\ny\n".getBytes(StandardCharsets.UTF_8)));
        CliRun watch;
        try {
            // When he starts a code session with --watch
            watch = CliRun.of(
                    "session", "start", "-w", "demo", "-r", "droid-calc", "--watch", "[script:cli-watch] Fix add()");
        } finally {
            System.setIn(stdin);
        }
        String id = watch.out()
                .lines()
                .filter(l -> l.startsWith("session "))
                .findFirst()
                .orElseThrow()
                .split(" ")[1];
        CliRun list = CliRun.of("session", "list", "-w", "demo");
        CliRun show = CliRun.of("session", "show", id);

        // Then the terminal showed the log line by line, asked him, sent his answer and approval, and the session
        // completed
        assertThat(watch.exit()).as(watch.out() + watch.err()).isZero();
        assertThat(watch.out())
                .contains("session.started")
                .contains("asks: Which function is wrong?")
                .contains("your answer:")
                .contains("waits for your approval: edit_file")
                .contains("approve? [y/n]")
                .contains("action.approved")
                .contains("file.changed           calc.py")
                .contains("completed: Fix add() from the terminal.");
        assertThat(list.out().lines().filter(l -> l.startsWith(id)))
                .singleElement()
                .asString()
                .contains("finished")
                .contains("completed");
        assertThat(show.exit()).as(show.err()).isZero();
        assertThat(show.out())
                .contains("outcome completed")
                .contains("changed   calc.py")
                .contains("artifact  diff Changes")
                .contains("/portal/sessions/" + id);
    }

    @Test
    void shouldSendFileAndStandardInputAsAttachmentsWhenMemberStartsSessionWithAttach() throws Exception {
        // Given mike signed in, a ticket in a file and a log on standard input
        signIn("mike");
        Path ticket = java.nio.file.Files.writeString(home.resolve("PROJ-21.txt"), "The build fails since Monday.\n");
        InputStream stdin = System.in;
        System.setIn(new ByteArrayInputStream("ERROR calc.py:3 é\n".getBytes(StandardCharsets.UTF_8)));
        CliRun start;
        try {
            // When he starts a session attaching both
            start = CliRun.of(
                    "session",
                    "start",
                    "-w",
                    "demo",
                    "-d",
                    "knowledge",
                    "--attach",
                    ticket.toString(),
                    "--attach",
                    "-",
                    "[script:cli-attach] Why does the build fail?");
        } finally {
            System.setIn(stdin);
        }

        // Then the session has both, named after the file and standard input, with their full text
        assertThat(start.exit()).as(start.out() + start.err()).isZero();
        String id = start.out()
                .lines()
                .filter(l -> l.startsWith("session "))
                .findFirst()
                .orElseThrow()
                .split(" ")[1];
        JsonPath session = given().auth()
                .oauth2(Tokens.of("mike"))
                .when()
                .get("/api/sessions/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(session.getList("attachments.name")).containsExactly("PROJ-21.txt", "stdin");
        assertThat(session.getList("attachments.origin")).containsExactly("file", "standard input");
        assertThat(session.getList("attachments.chars", Integer.class)).containsExactly(30, 18);
    }

    @Test
    void shouldRefuseABinaryFileNamingItWhenMemberAttachesIt() throws Exception {
        // Given mike signed in and a binary file
        signIn("mike");
        Path binary = java.nio.file.Files.write(home.resolve("core.dump"), new byte[] {0x7f, 'E', 'L', 'F', 0, 1});

        // When he tries to attach it
        CliRun start = CliRun.of(
                "session",
                "start",
                "-w",
                "demo",
                "-d",
                "knowledge",
                "--attach",
                binary.toString(),
                "Explain the crash");

        // Then the command refuses it before anything reaches the server, naming the file
        assertThat(start.exit()).isEqualTo(65);
        assertThat(start.err()).contains("cannot attach " + binary + ": it is a binary file; attach text (UTF-8) only");
        assertThat(start.out()).doesNotContain("started");
    }
}
