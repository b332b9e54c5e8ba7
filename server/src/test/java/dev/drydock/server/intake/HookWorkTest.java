package dev.drydock.server.intake;

import static dev.drydock.server.session.DroidTestServices.args;
import static dev.drydock.server.session.DroidTestServices.calls;
import static dev.drydock.server.session.DroidTestServices.script;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.drydock.server.agent.EventLog;
import dev.drydock.server.agent.event.Conversation;
import dev.drydock.server.agent.event.Lifecycle;
import dev.drydock.server.delivery.BitbucketApiFake;
import dev.drydock.server.delivery.DeliveryTestServices;
import dev.drydock.server.delivery.GitHttpBackend;
import dev.drydock.server.delivery.GitHubApiFake;
import dev.drydock.server.delivery.GitLabApiFake;
import dev.drydock.server.delivery.GiteaApiFake;
import dev.drydock.server.repository.RepositorySync;
import dev.drydock.server.session.DroidTestServices;
import dev.drydock.server.testing.Poll;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks that bring work, end to end on the four git servers: the upstream is real git ({@code
 * git http-backend} on loopback), the git servers' APIs are the contract fakes (GitHub Enterprise
 * Server 3.14, Bitbucket Data Center 8.19, GitLab 17.x, Gitea 1.22), payloads are the samples under
 * {@code src/test/resources/hooks/}, the droid is the real session runner with the scripted model in
 * a real sandbox. An {@code @drydock <task>} comment of a workspace member starts a session that is
 * answered on the thread at its start and with its result; a non-member's is refused; a push to the
 * tracked branch syncs and re-indexes; signatures and replays are checked for the new vendors.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(DroidTestServices.class)
@QuarkusTestResource(DeliveryTestServices.class)
class HookWorkTest {
    static final long PID = ProcessHandle.current().pid();
    static final String GITHUB_REPO = "hookwork-gh-" + PID;
    static final String BITBUCKET_REPO = "hookwork-bb-" + PID;
    static final String GITLAB_REPO = "hookwork-gl-" + PID;
    static final String GITEA_REPO = "hookwork-gt-" + PID;
    static final String PUSH_REPO = "hookwork-push-" + PID;
    static final String HOOK_SECRET_NAME = "hookwork-secret-" + PID;
    static final String HOOK_SECRET = "whsec-" + UUID.randomUUID();
    static Path upstreamRoot;
    static GitHttpBackend server;
    static GitHubApiFake github;
    static BitbucketApiFake bitbucket;
    static GitLabApiFake gitlab;
    static GiteaApiFake gitea;
    static int port;

    @Inject
    DataSource ds;

    @Inject
    RepositorySync repositories;

    @Inject
    EventLog log;

    @BeforeEach
    void registeredRepositories() throws Exception {
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "insert into workspace(slug, display_name, created_at, autonomy) values ('demo', 'demo', now(), 'auto-edit') "
                                + "on conflict (slug) do update set autonomy = 'auto-edit', allowed_droids = 'code,knowledge,reliability', allowed_routes = '*', classification = 'internal'")) {
            ps.executeUpdate();
        }
        if (server != null) {
            return;
        }
        port = io.restassured.RestAssured.port;
        for (String name : List.of("hookwork-gh", "hookwork-bb", "hookwork-gt")) {
            DroidTestServices.SCRIPTS.put(
                    name,
                    script(
                            calls(
                                    "edit_file",
                                    args("path", "calc.py", "old_text", "return a - b", "new_text", "return a + b")),
                            calls("finish", args("summary", "Fixed add(): it subtracted."))));
        }
        Path dir = Files.createTempDirectory("hookwork-");
        upstreamRoot = Files.createDirectories(dir.resolve("srv"));
        bare(dir, "calc.git", "calc.py", "def add(a, b):\n    return a - b\n");
        bare(dir, "widgets.git", "README.md", "# widgets\n");
        server = new GitHttpBackend(upstreamRoot, "drydock", DeliveryTestServices.TOKEN);
        github = new GitHubApiFake(DeliveryTestServices.TOKEN, "team/calc");
        bitbucket = new BitbucketApiFake(DeliveryTestServices.TOKEN, "TEAM", "calc");
        gitlab = new GitLabApiFake(DeliveryTestServices.TOKEN, "team/calc");
        gitea = new GiteaApiFake(DeliveryTestServices.TOKEN, "team/calc");
        secret(DeliveryTestServices.SECRET_NAME, DeliveryTestServices.TOKEN);
        secret(HOOK_SECRET_NAME, HOOK_SECRET);
        register(GITHUB_REPO, "calc.git", "github", github.base("/api/v3"), "team/calc");
        register(BITBUCKET_REPO, "calc.git", "bitbucket", bitbucket.base("/rest/api/latest"), "TEAM/calc");
        register(GITLAB_REPO, "calc.git", "gitlab", gitlab.base("/api/v4"), "team/calc");
        register(GITEA_REPO, "calc.git", "gitea", gitea.base("/api/v1"), "team/calc");
        register(PUSH_REPO, "widgets.git", "github", github.base("/api/v3"), "team/widgets");
        // the git servers' users are matched to Drydock's by name: mike (member) and vera (viewer) signed in once
        for (String person : List.of("mike", "vera")) {
            as(person).get("/api/me").then().statusCode(200);
        }
    }

    static void bare(Path dir, String name, String file, String text) throws Exception {
        Path work = dir.resolve("work-" + name);
        try (Git git =
                Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            Files.writeString(work.resolve(file), text);
            git.add().addFilepattern(".").call();
            git.commit()
                    .setMessage("first")
                    .setAuthor("t", "t@example.test")
                    .setCommitter("t", "t@example.test")
                    .call();
        }
        Git.cloneRepository()
                .setURI(work.toUri().toString())
                .setDirectory(upstreamRoot.resolve(name).toFile())
                .setBare(true)
                .call()
                .close();
    }

    void register(String repo, String upstream, String kind, String apiUrl, String project) throws Exception {
        as("wanda")
                .body(Map.of(
                        "name",
                        repo,
                        "url",
                        server.url(upstream).toString(),
                        "branch",
                        "main",
                        "credentialsSecret",
                        DeliveryTestServices.SECRET_NAME))
                .post("/api/workspaces/demo/repositories")
                .then()
                .statusCode(201);
        repositories.scheduleSync("demo", repo).get(120, TimeUnit.SECONDS);
        as("wanda")
                .body(Map.of("server", kind, "apiUrl", apiUrl, "project", project, "hookSecret", HOOK_SECRET_NAME))
                .put("/api/workspaces/demo/repositories/" + repo + "/delivery")
                .then()
                .statusCode(200);
    }

    @AfterAll
    static void stop() {
        if (server == null) {
            return;
        }
        for (String repo : List.of(GITHUB_REPO, BITBUCKET_REPO, GITLAB_REPO, GITEA_REPO, PUSH_REPO)) {
            // RestAssured's port is reset after the tests; the application still listens on the one they used
            as("wanda").port(port).delete("/api/workspaces/demo/repositories/" + repo);
        }
        github.close();
        bitbucket.close();
        gitlab.close();
        gitea.close();
        server.close();
    }

    static io.restassured.specification.RequestSpecification as(String user) {
        return given().auth().oauth2(Tokens.of(user)).contentType(ContentType.JSON);
    }

    static void secret(String name, String value) {
        as("wanda")
                .body(Map.of("value", value))
                .put("/api/workspaces/demo/secrets/" + name)
                .then()
                .statusCode(200);
    }

    /** A sample payload with some fields replaced (sample bodies are fixed; each delivery must differ). */
    static String sample(String path, Map<String, String> replace) throws Exception {
        String body;
        try (InputStream in = HookWorkTest.class.getResourceAsStream("/hooks/" + path)) {
            body = new String(Objects.requireNonNull(in, path).readAllBytes(), StandardCharsets.UTF_8);
        }
        for (var e : replace.entrySet()) {
            assertThat(body).as("sample " + path + " has " + e.getKey()).contains(e.getKey());
            body = body.replace(e.getKey(), e.getValue());
        }
        return body;
    }

    static String sign(String body) {
        return "sha256=" + HookSignature.hmacHex(HOOK_SECRET, body.getBytes(StandardCharsets.UTF_8));
    }

    static Response githubHook(String repo, String event, String delivery, String signature, String body) {
        return given().header("X-GitHub-Event", event)
                .header("X-GitHub-Delivery", delivery)
                .header("X-Hub-Signature-256", signature)
                .contentType(ContentType.JSON)
                .body(body.getBytes(StandardCharsets.UTF_8))
                .post("/api/hooks/github/demo/" + repo);
    }

    static Response bitbucketHook(String event, String requestId, String signature, String body) {
        return given().header("X-Event-Key", event)
                .header("X-Request-Id", requestId)
                .header("X-Hub-Signature", signature)
                .contentType(ContentType.JSON)
                .body(body.getBytes(StandardCharsets.UTF_8))
                .post("/api/hooks/bitbucket/demo/" + BITBUCKET_REPO);
    }

    String story(String id) {
        StringBuilder out = new StringBuilder();
        log.readAll(id).forEach(e -> {
            String p = String.valueOf(e.payload());
            out.append(e.seq())
                    .append(' ')
                    .append(p, 0, Math.min(p.length(), 400))
                    .append('\n');
        });
        return out.toString();
    }

    long audit(String action) throws Exception {
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "select count(*) from audit_record where action = ? and target like 'demo/hookwork-%'")) {
            ps.setString(1, action);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    void awaitAudit(String action, long count) throws InterruptedException {
        Poll.until(
                () -> {
                    try {
                        return audit(action);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                n -> n >= count,
                Duration.ofSeconds(30),
                n -> action + " records: " + n);
    }

    static String comment(List<String> comments, String prefix, String id) throws InterruptedException {
        return Poll.until(
                () -> comments.stream()
                        .filter(c -> c.startsWith(prefix))
                        .findFirst()
                        .orElse(""),
                c -> !c.isEmpty(),
                Duration.ofSeconds(120),
                c -> "no comment starting '" + prefix + "' for session " + id + " among " + comments);
    }

    @Test
    void shouldStartSessionAndReplyWithResultWhenMemberAsksOnGitHubIssue() throws Exception {
        // Given mike, a member of demo, asks on issue 12 (whose description carries an injection)
        long number = 1200 + PID % 100;
        String body = sample(
                "github/issue_comment-issue.json",
                Map.of(
                        "\"number\": 12",
                        "\"number\": " + number,
                        "@drydock fix add() and add a test",
                        "@drydock [script:hookwork-gh] fix add()"));

        // When
        Response hook =
                githubHook(GITHUB_REPO, "issue_comment", UUID.randomUUID().toString(), sign(body), body);

        // Then a session of mike's starts with the issue attached, is linked on the issue, and its result follows
        hook.then().statusCode(202).body("outcome", equalTo("started"));
        String id = hook.then().extract().path("session");
        JsonPath session = as("mike")
                .get("/api/sessions/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(session.getString("createdBy")).isEqualTo("mike");
        assertThat(session.getString("repo")).isEqualTo(GITHUB_REPO);
        assertThat(log.readAll(id))
                .anySatisfy(e -> assertThat(e.payload())
                        .isInstanceOfSatisfying(
                                Lifecycle.SessionStarted.class,
                                s -> assertThat(s.task())
                                        .startsWith("[script:hookwork-gh] fix add()")
                                        .doesNotContain("Ignore previous instructions")))
                .anySatisfy(e -> assertThat(e.payload()).isInstanceOfSatisfying(Conversation.Attached.class, a -> {
                    assertThat(a.origin()).isEqualTo("github issue #" + number + " comment");
                    assertThat(a.text()).contains("add() subtracts").contains("Ignore previous instructions");
                }));
        assertThat(comment(github.comments, number + ": Drydock started a code session for mike", id))
                .contains("/portal/sessions/" + id);
        String result = comment(github.comments, number + ": The droid finished", id);
        assertThat(result)
                .contains("/team/calc/pull/")
                .contains("Summary: Fixed add(): it subtracted.")
                .contains("/portal/sessions/" + id);
        assertThat(github.pulls.values())
                .anySatisfy(p -> assertThat(String.valueOf(p.get("head"))).contains("drydock/" + id));
        awaitAudit("hook.session-started", 1);
    }

    @Test
    void shouldStartSessionAndReplyOnPullRequestWhenMemberAsksOnBitbucketPullRequestDrydockDidNotOpen()
            throws Exception {
        // Given mike asks on pull request 9, which no Drydock session opened
        long number = 900 + PID % 100;
        String body = sample(
                "bitbucket/pr-comment-added.json",
                Map.of(
                        "\"id\": 9,",
                        "\"id\": " + number + ",",
                        "@drydock add tests for mul()",
                        "@drydock [script:hookwork-bb] fix add()",
                        "\"id\": 62,",
                        "\"id\": " + System.nanoTime() + ","));

        // When
        Response hook = bitbucketHook("pr:comment:added", UUID.randomUUID().toString(), sign(body), body);

        // Then
        hook.then().statusCode(202).body("outcome", equalTo("started"));
        String id = hook.then().extract().path("session");
        assertThat(log.readAll(id))
                .anySatisfy(e -> assertThat(e.payload())
                        .isInstanceOfSatisfying(
                                Conversation.Attached.class,
                                a -> assertThat(a.text())
                                        .contains("Speed up mul()")
                                        .contains("Uses a lookup table.")));
        assertThat(comment(bitbucket.comments, number + ": Drydock started a code session for mike", id))
                .contains("/portal/sessions/" + id);
        String result = comment(bitbucket.comments, number + ": The droid finished", id);
        assertThat(result).contains("/pull-requests/").contains("Summary: Fixed add(): it subtracted.");
        assertThat(bitbucket.pulls.values()).hasSize(1);
    }

    @Test
    void shouldStartSessionAndReplyWithPullRequestWhenMemberAsksOnGiteaIssue() throws Exception {
        // Given mike asks on a Gitea issue, below a line of thanks
        long number = 500 + PID % 100;
        String body = sample(
                "gitea/issue_comment-issue.json",
                Map.of(
                        "\"number\": 5,",
                        "\"number\": " + number + ",",
                        "@drydock fix add()",
                        "@drydock [script:hookwork-gt] fix add()",
                        "\"id\": 901,",
                        "\"id\": " + System.nanoTime() + ","));

        // When
        Response hook = given().header("X-Gitea-Event", "issue_comment")
                .header("X-Gitea-Delivery", UUID.randomUUID().toString())
                .header("X-Gitea-Signature", HookSignature.hmacHex(HOOK_SECRET, body.getBytes(StandardCharsets.UTF_8)))
                .contentType(ContentType.JSON)
                .body(body.getBytes(StandardCharsets.UTF_8))
                .post("/api/hooks/gitea/demo/" + GITEA_REPO);

        // Then the issue gets the session's link, then the droid's summary and its pull request
        hook.then().statusCode(202).body("outcome", equalTo("started"));
        String id = hook.then().extract().path("session");
        comment(gitea.comments, number + ": Drydock started a code session for mike", id);
        String result = comment(gitea.comments, number + ": The droid finished", id);
        assertThat(result).contains("/team/calc/pulls/").contains("Summary: Fixed add(): it subtracted.");
        assertThat(gitea.pulls).hasSize(1);
    }

    @Test
    void shouldRefuseAndAuditWithoutReplyWhenCommenterIsNotAMember() throws Exception {
        // Given vera, a viewer of demo, asks on a GitLab issue
        String body = sample(
                "gitlab/note-issue.json",
                Map.of(
                        "\"username\": \"mike\"",
                        "\"username\": \"vera\"",
                        "\"id\": 1241,",
                        "\"id\": " + System.nanoTime() + ","));
        long before = audit("hook.comment-refused");

        // When
        Response hook = given().header("X-Gitlab-Event", "Note Hook")
                .header("X-Gitlab-Token", HOOK_SECRET)
                .header("X-Gitlab-Event-UUID", UUID.randomUUID().toString())
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/hooks/gitlab/demo/" + GITLAB_REPO);

        // Then
        hook.then()
                .statusCode(200)
                .body("outcome", equalTo("refused"))
                .body("detail", equalTo("the Drydock user 'vera' is a viewer of workspace demo"));
        assertThat(audit("hook.comment-refused")).isEqualTo(before + 1);
        assertThat(gitlab.notes).isEmpty();
    }

    @Test
    void shouldSyncAndIndexNewFileWhenGitHubPushMovesTrackedBranch() throws Exception {
        // Given a new commit on the upstream's main that the index has not seen
        String word = "frobnicate_widgets_" + PID;
        Path work = Files.createTempDirectory("hookwork-push-");
        try (Git git = Git.cloneRepository()
                .setURI(upstreamRoot.resolve("widgets.git").toUri().toString())
                .setDirectory(work.toFile())
                .call()) {
            Files.writeString(work.resolve("widgets.py"), "def " + word + "(n):\n    return n * 2\n");
            git.add().addFilepattern(".").call();
            git.commit()
                    .setMessage("Add widgets")
                    .setAuthor("t", "t@example.test")
                    .setCommitter("t", "t@example.test")
                    .call();
            git.push().call();
        }
        String body = sample(
                "github/push.json",
                Map.of(
                        "ecdd2a4b1c3f0d9e8a7b6c5d4e3f2a1b0c9d8e7f",
                        UUID.randomUUID().toString()));

        // When the git server reports the push
        Response hook = githubHook(PUSH_REPO, "push", UUID.randomUUID().toString(), sign(body), body);

        // Then the repository syncs and the index finds the new file
        hook.then().statusCode(200).body("outcome", org.hamcrest.Matchers.startsWith("sync-"));
        List<String> paths = Poll.until(
                () -> as("mike")
                        .queryParam("q", word)
                        .get("/api/workspaces/demo/search")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("path", String.class),
                p -> p.contains("widgets.py"),
                Duration.ofSeconds(120),
                p -> "search for " + word + ": " + p);
        assertThat(paths).contains("widgets.py");
        awaitAudit("hook.sync-requested", 1);
    }

    @Test
    void shouldIgnorePushWhenOnlyDroidBranchesMoved() throws Exception {
        // Given
        String body = sample(
                        "bitbucket/repo-refs_changed.json",
                        Map.of("refs/heads/main", "refs/heads/drydock/" + UUID.randomUUID()))
                .replace("\"displayId\": \"main\"", "\"displayId\": \"drydock-x\"");

        // When
        Response hook = bitbucketHook("repo:refs_changed", UUID.randomUUID().toString(), sign(body), body);

        // Then
        hook.then()
                .statusCode(200)
                .body("outcome", equalTo("ignored"))
                .body("detail", equalTo("a push to the droids' own drydock/* branches"));
    }

    @Test
    void shouldAnswerPingWhenGitHubPingIsSigned() throws Exception {
        // Given
        String body = sample("github/ping.json", Map.of());

        // When
        Response ping = githubHook(GITHUB_REPO, "ping", UUID.randomUUID().toString(), sign(body), body);

        // Then
        ping.then().statusCode(200).body("outcome", equalTo("pong"));
    }

    @Test
    void shouldRefuseAndRecordGitHubHookWhenSignatureIsForged() throws Exception {
        // Given
        String body = sample("github/issue_comment-issue.json", Map.of());
        String forged = "sha256=" + HookSignature.hmacHex("guessed", body.getBytes(StandardCharsets.UTF_8));
        long before = audit("hook.refused");

        // When
        Response hook =
                githubHook(GITHUB_REPO, "issue_comment", UUID.randomUUID().toString(), forged, body);

        // Then
        hook.then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:drydock:problem:hook-unauthenticated"));
        awaitAudit("hook.refused", before + 1);
    }

    @Test
    void shouldRefuseBitbucketHookWhenSignatureLacksPrefix() throws Exception {
        // Given the right digest, but not in Bitbucket's sha256=<hex> form
        String body = sample("bitbucket/repo-refs_changed.json", Map.of());
        String bare = HookSignature.hmacHex(HOOK_SECRET, body.getBytes(StandardCharsets.UTF_8));

        // When
        Response hook = bitbucketHook("repo:refs_changed", UUID.randomUUID().toString(), bare, body);

        // Then
        hook.then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void shouldRefuseReplayWhenGitHubDeliveryIdComesAgain() throws Exception {
        // Given a delivery received once (a comment without a task)
        String delivery = UUID.randomUUID().toString();
        String first = sample(
                "github/issue_comment-issue.json",
                Map.of("@drydock fix add() and add a test", "thanks " + UUID.randomUUID()));
        githubHook(GITHUB_REPO, "issue_comment", delivery, sign(first), first)
                .then()
                .statusCode(200)
                .body("outcome", equalTo("ignored"));
        String second = first.replace("thanks", "thanks again");
        long before = audit("hook.replay-refused");

        // When the same delivery id comes with another (signed) body
        Response replay = githubHook(GITHUB_REPO, "issue_comment", delivery, sign(second), second);

        // Then
        replay.then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:drydock:problem:hook-replayed"));
        assertThat(audit("hook.replay-refused")).isEqualTo(before + 1);
    }

    @Test
    void shouldRefuseReplayWhenBitbucketRequestIdComesAgain() throws Exception {
        // Given
        String requestId = UUID.randomUUID().toString();
        String first = sample(
                "bitbucket/pr-comment-added.json", Map.of("@drydock add tests for mul()", "LGTM " + UUID.randomUUID()));
        bitbucketHook("pr:comment:added", requestId, sign(first), first)
                .then()
                .statusCode(200)
                .body("outcome", equalTo("ignored"));
        String second = first.replace("LGTM", "LGTM!");

        // When
        Response replay = bitbucketHook("pr:comment:added", requestId, sign(second), second);

        // Then
        replay.then().statusCode(409).body("type", equalTo("urn:drydock:problem:hook-replayed"));
    }
}
