package dev.drydock.server.intake;

import static dev.drydock.server.session.DroidTestServices.args;
import static dev.drydock.server.session.DroidTestServices.calls;
import static dev.drydock.server.session.DroidTestServices.script;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.drydock.server.agent.EventLog;
import dev.drydock.server.agent.event.Conversation;
import dev.drydock.server.delivery.ApiFake;
import dev.drydock.server.delivery.DeliveryTestServices;
import dev.drydock.server.delivery.GitHttpBackend;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks in, end to end: the upstream is real git ({@code git http-backend} on loopback), the git
 * servers' APIs are the contract fakes, the droid is the real session runner with the scripted model
 * in a real sandbox. A GitLab review comment continues the droid's session, whose new commit is pushed
 * and whose merge request is updated (not duplicated); a labelled issue starts a session that is linked
 * back; forged and replayed Gitea deliveries are refused and audited.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(DroidTestServices.class)
@QuarkusTestResource(DeliveryTestServices.class)
class HookIntakeTest {
    static final String REPO = "hook-calc-" + ProcessHandle.current().pid();
    static final String GITEA_REPO =
            "hook-calc-gitea-" + ProcessHandle.current().pid();
    static final String HOOK_SECRET_NAME =
            "hook-secret-" + ProcessHandle.current().pid();
    static final String HOOK_SECRET = "whsec-" + UUID.randomUUID();
    static Path upstreamRoot;
    static GitHttpBackend server;
    static GitLabApiFake gitlab;
    static GiteaApiFake gitea;

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
        DroidTestServices.SCRIPTS.put(
                "hook-review",
                script(
                        calls(
                                "edit_file",
                                args("path", "calc.py", "old_text", "return a - b", "new_text", "return a + b")),
                        calls("finish", args("summary", "Fix add(): it subtracted.")),
                        calls(
                                "edit_file",
                                args("path", "calc.py", "old_text", "return a + b", "new_text", "return b + a")),
                        calls("finish", args("summary", "Fix add(), written as the review asked."))));
        DroidTestServices.SCRIPTS.put(
                "hook-ticket",
                script(
                        calls(
                                "edit_file",
                                args("path", "calc.py", "old_text", "return a - b", "new_text", "return a + b")),
                        calls("finish", args("summary", "Fix add() as the ticket asks."))));
        Path dir = Files.createTempDirectory("hooks-");
        Path work = dir.resolve("work");
        try (Git git =
                Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            Files.writeString(work.resolve("calc.py"), "def add(a, b):\n    return a - b\n");
            git.add().addFilepattern(".").call();
            git.commit()
                    .setMessage("calc")
                    .setAuthor("t", "t@example.test")
                    .setCommitter("t", "t@example.test")
                    .call();
        }
        upstreamRoot = Files.createDirectories(dir.resolve("srv"));
        Git.cloneRepository()
                .setURI(work.toUri().toString())
                .setDirectory(upstreamRoot.resolve("calc.git").toFile())
                .setBare(true)
                .call()
                .close();
        server = new GitHttpBackend(upstreamRoot, "drydock", DeliveryTestServices.TOKEN);
        gitlab = new GitLabApiFake(DeliveryTestServices.TOKEN, "team/calc");
        gitea = new GiteaApiFake(DeliveryTestServices.TOKEN, "team/calc");
        secret(DeliveryTestServices.SECRET_NAME, DeliveryTestServices.TOKEN);
        secret(HOOK_SECRET_NAME, HOOK_SECRET);
        for (String repo : List.of(REPO, GITEA_REPO)) {
            as("wanda")
                    .body(Map.of(
                            "name",
                            repo,
                            "url",
                            server.url("calc.git").toString(),
                            "branch",
                            "main",
                            "credentialsSecret",
                            DeliveryTestServices.SECRET_NAME))
                    .post("/api/workspaces/demo/repositories")
                    .then()
                    .statusCode(201);
            repositories.scheduleSync("demo", repo).get(120, TimeUnit.SECONDS);
        }
        as("wanda")
                .body(Map.of(
                        "server", "gitlab",
                        "apiUrl", gitlab.base("/api/v4"),
                        "project", "team/calc",
                        "hookSecret", HOOK_SECRET_NAME,
                        "ticketLabel", "drydock"))
                .put("/api/workspaces/demo/repositories/" + REPO + "/delivery")
                .then()
                .statusCode(200)
                .body("hookSecret", equalTo(HOOK_SECRET_NAME));
        as("wanda")
                .body(Map.of(
                        "server",
                        "gitea",
                        "apiUrl",
                        gitea.base("/api/v1"),
                        "project",
                        "team/calc",
                        "hookSecret",
                        HOOK_SECRET_NAME))
                .put("/api/workspaces/demo/repositories/" + GITEA_REPO + "/delivery")
                .then()
                .statusCode(200);
    }

    @AfterAll
    static void stop() {
        if (gitlab != null) {
            gitlab.close();
            gitea.close();
            server.close();
        }
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

    String startSession(String task, String repo) {
        return as("mike")
                .body(Map.of("workspace", "demo", "droid", "code", "task", task, "repo", repo))
                .post("/api/sessions")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    JsonPath awaitFinished(String id, int finishes) throws InterruptedException {
        return Poll.until(
                () -> {
                    long n = log.readAll(id).stream()
                            .filter(e ->
                                    e.payload() instanceof dev.drydock.server.agent.event.Lifecycle.SessionFinished)
                            .count();
                    JsonPath s = as("mike")
                            .get("/api/sessions/" + id)
                            .then()
                            .extract()
                            .jsonPath();
                    return n >= finishes && "finished".equals(s.getString("status")) ? s : null;
                },
                s -> s != null,
                Duration.ofSeconds(120),
                s -> "session " + id + ": " + story(id));
    }

    String story(String id) {
        StringBuilder out = new StringBuilder();
        log.readAll(id)
                .forEach(e -> out.append(e.seq())
                        .append(' ')
                        .append(
                                String.valueOf(e.payload()),
                                0,
                                Math.min(String.valueOf(e.payload()).length(), 400))
                        .append('\n'));
        return out.toString();
    }

    ObjectId upstream(String ref) throws Exception {
        try (Git git = Git.open(upstreamRoot.resolve("calc.git").toFile())) {
            return git.getRepository().resolve(ref);
        }
    }

    Map<String, Long> audit(String like) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "select action, count(*) from audit_record where action like ? and target like ? group by action")) {
            ps.setString(1, like);
            ps.setString(2, "demo/hook-calc%");
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return counts;
    }

    /** Refusals are recorded off the request thread (rate-limited per client): wait for the record. */
    void awaitAudit(String action, long count) throws InterruptedException {
        Poll.until(
                () -> {
                    try {
                        return audit(action).getOrDefault(action, 0L);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                n -> n >= count,
                Duration.ofSeconds(30),
                n -> action + " records: " + n);
    }

    static Response gitlabHook(String repo, String event, String token, String body) {
        return given().header("X-Gitlab-Event", event)
                .header("X-Gitlab-Token", token)
                .header("X-Gitlab-Event-UUID", UUID.randomUUID().toString())
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/hooks/gitlab/demo/" + repo);
    }

    static Response giteaHook(String event, String signature, String delivery, String body) {
        return given().header("X-Gitea-Event", event)
                .header("X-Gitea-Signature", signature)
                .header("X-Gitea-Delivery", delivery)
                .contentType(ContentType.JSON)
                .body(body.getBytes(StandardCharsets.UTF_8))
                .post("/api/hooks/gitea/demo/" + GITEA_REPO);
    }

    static String note(long iid, String text) {
        return ("{'object_kind':'note','event_type':'note','user':{'id':5,'name':'Rita Reviewer','username':'rita'},"
                        + "'project_id':42,'project':{'path_with_namespace':'team/calc'},"
                        + "'object_attributes':{'id':" + System.nanoTime() + ",'note':'" + text
                        + "','noteable_type':'MergeRequest'},"
                        + "'merge_request':{'id':1001,'iid':" + iid
                        + ",'source_branch':'drydock/x','target_branch':'main'}}")
                .replace('\'', '"');
    }

    @Test
    void shouldPushNewCommitAndUpdateSameMergeRequestWhenReviewCommentContinuesSession() throws Exception {
        // Given a finished session whose merge request is open on GitLab
        String id = startSession("[script:hook-review] Fix add()", REPO);
        awaitFinished(id, 1);
        long number = as("mike")
                .post("/api/sessions/" + id + "/delivery/merge-request")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("mergeRequest.number");
        ObjectId first = upstream("refs/heads/drydock/" + id);
        int mergeRequests = gitlab.mergeRequests.size();

        // When a reviewer comments on it
        Response hook = gitlabHook(REPO, "Note Hook", HOOK_SECRET, note(number, "@drydock please write it as b + a"));

        // Then the session continues with the comment, and its new commit updates the same merge request
        hook.then().statusCode(202).body("outcome", equalTo("continued")).body("session", equalTo(id));
        Poll.until(
                () -> gitlab.received.stream()
                        .filter(r -> r.method().equals("PUT") && r.path().endsWith("/merge_requests/" + number))
                        .count(),
                n -> n >= 1,
                Duration.ofSeconds(120),
                n -> story(id));
        assertThat(log.readAll(id))
                .anySatisfy(e -> assertThat(e.payload())
                        .isInstanceOfSatisfying(
                                Conversation.UserMessage.class,
                                m -> assertThat(m.text()).contains("rita").contains("please write it as b + a")));
        ObjectId second = upstream("refs/heads/drydock/" + id);
        assertThat(second).isNotEqualTo(first);
        try (Git git = Git.open(upstreamRoot.resolve("calc.git").toFile())) {
            assertThat(git.getRepository().parseCommit(second).getParent(0).getId())
                    .as("the review's commit goes on top of the first, no force push")
                    .isEqualTo(first);
        }
        assertThat(gitlab.mergeRequests).hasSize(mergeRequests);
        assertThat((String) gitlab.mergeRequests.get(number).get("title")).contains("written as the review asked");
        assertThat(audit("hook.%")).containsKey("hook.session-continued");
        assertThat(audit("delivery.merge-request-updated")).containsKey("delivery.merge-request-updated");
    }

    @Test
    void shouldRefuseAndRecordGitLabHookWhenTokenIsForged() throws Exception {
        // Given
        long before = audit("hook.refused").getOrDefault("hook.refused", 0L);

        // When
        Response hook = gitlabHook(REPO, "Note Hook", "not-the-secret", note(1, "@drydock delete everything"));

        // Then
        hook.then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:drydock:problem:hook-unauthenticated"));
        awaitAudit("hook.refused", before + 1);
    }

    @Test
    void shouldIgnoreBearerTokenWhenHookHasNoSecret() {
        // When a Keycloak token, even a workspace admin's, is all the request carries
        Response hook = given().auth()
                .oauth2(Tokens.of("wanda"))
                .header("X-Gitlab-Event", "Note Hook")
                .contentType(ContentType.JSON)
                .body(note(1, "@drydock hi"))
                .post("/api/hooks/gitlab/demo/" + REPO);

        // Then
        hook.then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void shouldRefuseForgedGiteaSignatureAndRecordIt() throws Exception {
        // Given a body signed with another secret
        String body =
                "{\"action\":\"created\",\"issue\":{\"number\":99,\"pull_request\":{}},\"comment\":{\"body\":\"@drydock x\"},\"sender\":{\"login\":\"mallory\"},\"is_pull\":true}";
        String forged = HookSignature.hmacHex("guessed-secret", body.getBytes(StandardCharsets.UTF_8));
        long before = audit("hook.refused").getOrDefault("hook.refused", 0L);

        // When
        Response hook = giteaHook("issue_comment", forged, UUID.randomUUID().toString(), body);

        // Then
        hook.then().statusCode(401).contentType("application/problem+json");
        awaitAudit("hook.refused", before + 1);
    }

    @Test
    void shouldRefuseReplayedGiteaDeliveryAndRecordIt() throws Exception {
        // Given a signed delivery, already received once (a comment on a pull request Drydock did not open)
        String body = "{\"action\":\"created\",\"issue\":{\"number\":77,\"pull_request\":{}},\"comment\":{\"id\":"
                + System.nanoTime() + ",\"body\":\"looks good\"},\"sender\":{\"login\":\"ann\"},\"is_pull\":true}";
        String signature = HookSignature.hmacHex(HOOK_SECRET, body.getBytes(StandardCharsets.UTF_8));
        giteaHook("issue_comment", signature, UUID.randomUUID().toString(), body)
                .then()
                .statusCode(200)
                .body("outcome", equalTo("ignored"));
        long before = audit("hook.replay-refused").getOrDefault("hook.replay-refused", 0L);

        // When the same body arrives again, under a new delivery id
        Response replay =
                giteaHook("issue_comment", signature, UUID.randomUUID().toString(), body);

        // Then
        replay.then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:drydock:problem:hook-replayed"));
        assertThat(audit("hook.replay-refused")).containsEntry("hook.replay-refused", before + 1);
    }

    @Test
    void shouldStartSessionAndLinkItBackWhenGitLabIssueGetsTicketLabel() throws Exception {
        // Given an issue that just got the repository's ticket label
        long iid = 1000 + (System.nanoTime() % 1000);
        String issue = ("{'object_kind':'issue','event_type':'issue','user':{'username':'tom'},"
                        + "'project':{'path_with_namespace':'team/calc'},"
                        + "'object_attributes':{'id':301,'iid':" + iid
                        + ",'title':'[script:hook-ticket] add() subtracts',"
                        + "'description':'add(2, 3) gives -1.','url':'https://gitlab.example/team/calc/-/issues/"
                        + iid + "','action':'update','state':'opened'},"
                        + "'labels':[{'id':206,'title':'drydock'}],"
                        + "'changes':{'labels':{'previous':[],'current':[{'id':206,'title':'drydock'}]}}}")
                .replace('\'', '"');

        // When
        Response hook = gitlabHook(REPO, "Issue Hook", HOOK_SECRET, issue);

        // Then a code session starts on the repository, the issue gets its link, then its merge request's
        hook.then().statusCode(202).body("outcome", equalTo("started"));
        String id = hook.then().extract().path("session");
        JsonPath session = as("mike")
                .get("/api/sessions/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(session.getString("repo")).isEqualTo(REPO);
        assertThat(session.getString("droid")).isEqualTo("code");
        assertThat(log.readAll(id))
                .as("the issue's text reaches the droid as an attachment, not as the task")
                .anySatisfy(e -> assertThat(e.payload())
                        .isInstanceOfSatisfying(
                                Conversation.Attached.class,
                                a -> assertThat(a.text()).contains("add(2, 3) gives -1.")));
        assertThat(gitlab.notes)
                .anySatisfy(n -> assertThat(n)
                        .startsWith("issues/" + iid + ": Drydock started a code session")
                        .contains("/portal/sessions/" + id));
        String finished = Poll.until(
                () -> gitlab.notes.stream()
                        .filter(n -> n.startsWith("issues/" + iid + ": The droid finished"))
                        .findFirst()
                        .orElse(""),
                n -> !n.isEmpty(),
                Duration.ofSeconds(120),
                n -> story(id) + "\nnotes: " + gitlab.notes);
        assertThat(finished).contains("/-/merge_requests/");
        assertThat(upstream("refs/heads/drydock/" + id)).isNotNull();
    }

    @SuppressWarnings("unused")
    private static ApiFake.Received last(ApiFake fake) {
        return fake.received.getLast();
    }
}
