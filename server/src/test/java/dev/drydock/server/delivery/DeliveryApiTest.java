package dev.drydock.server.delivery;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.drydock.server.agent.EventLog;
import dev.drydock.server.agent.event.Lifecycle;
import dev.drydock.server.agent.event.Source;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.droid.ApplianceSigningKey;
import dev.drydock.server.droid.GitMirrorPublisher;
import dev.drydock.server.repository.RepositorySync;
import dev.drydock.server.session.DroidTestServices;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Delivery through the API with real git: the upstream is a bare repository served by
 * {@code git http-backend} on loopback (pushes need the deploy credential), the mirror is the
 * repository feature's own, the agent commit is written by the droid's publisher; merge requests go
 * to contract fakes of GitLab (API v4) and Gitea (API v1).
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(DroidTestServices.class)
@QuarkusTestResource(DeliveryTestServices.class)
class DeliveryApiTest {
    static final String DIFF = GitPushTest.DIFF;
    static final String REPO = "delivery-calc-" + ProcessHandle.current().pid();
    static Path upstreamRoot;
    static GitHttpBackend server;
    static String base;

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URI baseUri;

    @Inject
    DataSource ds;

    @Inject
    EventLog log;

    @Inject
    RepositorySync repositories;

    @Inject
    AuditTrail audit;

    @Inject
    ApplianceSigningKey signingKey;

    @BeforeEach
    void registeredRepository() throws Exception {
        if (server != null) {
            return;
        }
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "insert into workspace(slug, display_name, created_at, autonomy) values ('demo', 'demo', now(), 'auto-edit') on conflict (slug) do nothing")) {
            ps.executeUpdate();
        }
        Path dir = Files.createTempDirectory("delivery-");
        Path work = dir.resolve("work");
        try (Git git =
                Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            Files.writeString(work.resolve("calc.py"), "def add(a, b):\n    return a - b\n");
            git.add().addFilepattern(".").call();
            base = git.commit()
                    .setMessage("calc")
                    .setAuthor("t", "t@example.test")
                    .setCommitter("t", "t@example.test")
                    .call()
                    .name();
            git.branchCreate().setName("feature").call();
        }
        upstreamRoot = Files.createDirectories(dir.resolve("srv"));
        Git.cloneRepository()
                .setURI(work.toUri().toString())
                .setDirectory(upstreamRoot.resolve("calc.git").toFile())
                .setBare(true)
                .setCloneAllBranches(true)
                .call()
                .close();
        server = new GitHttpBackend(upstreamRoot, RepositoryDeliveryCredentials.USERNAME, DeliveryTestServices.TOKEN);
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of("value", DeliveryTestServices.TOKEN))
                .when()
                .put("/api/workspaces/demo/secrets/" + DeliveryTestServices.SECRET_NAME)
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        REPO,
                        "url",
                        server.url("calc.git").toString(),
                        "branch",
                        "main",
                        "credentialsSecret",
                        DeliveryTestServices.SECRET_NAME))
                .when()
                .post("/api/workspaces/demo/repositories")
                .then()
                .statusCode(201);
        repositories.scheduleSync("demo", REPO).get(120, TimeUnit.SECONDS);
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .when()
                .get("/api/workspaces/demo/repositories/" + REPO)
                .then()
                .statusCode(200)
                .body("status", equalTo("ready"));
    }

    /** A finished code session on the test repository whose droid published {@code diff}. */
    String finishedSession(String diff, String testCommand) throws Exception {
        String id = UUID.randomUUID().toString();
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "insert into droid_session(id, workspace, droid, repo, title, created_by, created_at, updated_at) values (?, 'demo', 'code', ?, 'Fix add()', 'mike', ?, ?)")) {
            ps.setObject(1, UUID.fromString(id));
            ps.setString(2, REPO);
            ps.setTimestamp(3, Timestamp.from(Instant.now()));
            ps.setTimestamp(4, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
        log.append(id, Source.USER, new Lifecycle.SessionStarted("code", "Fix add()", "demo", REPO, base));
        publish(id, diff, testCommand);
        log.append(
                id,
                Source.SYSTEM,
                new dev.drydock.server.agent.event.Progress.ArtifactProduced(
                        dev.drydock.server.agent.event.Progress.ArtifactKind.BRANCH,
                        "Branch",
                        "text/plain",
                        "drydock/" + id,
                        "drydock/" + id));
        log.append(
                id,
                Source.SYSTEM,
                new Lifecycle.SessionFinished(Lifecycle.Outcome.COMPLETED, "Fix add(): it subtracted."));
        return id;
    }

    void publish(String id, String diff, String testCommand) {
        boolean written = new GitMirrorPublisher(
                        repositories.mirrorPath("demo", REPO),
                        base,
                        "mike",
                        "default",
                        audit::sessionRootHash,
                        signingKey.signer())
                .publish(id, diff, "Fix add()\n\nadd() subtracted; it adds now.", testCommand)
                .isPresent();
        if (!written) {
            throw new IllegalStateException("the publisher did not write the agent ref of " + id);
        }
    }

    ObjectId upstream(String ref) throws Exception {
        try (Git git = Git.open(upstreamRoot.resolve("calc.git").toFile())) {
            return git.getRepository().resolve(ref);
        }
    }

    ObjectId mirror(String ref) throws Exception {
        try (Git git = Git.open(repositories.mirrorPath("demo", REPO).toFile())) {
            return git.getRepository().resolve(ref);
        }
    }

    Map<String, Long> auditActions(String id) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
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

    void settings(String server, String apiUrl, String project, java.util.List<String> protectedBranches) {
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "server", server, "apiUrl", apiUrl, "project", project, "protectedBranches", protectedBranches))
                .when()
                .put("/api/workspaces/demo/repositories/" + REPO + "/delivery")
                .then()
                .statusCode(200);
    }

    @Test
    void shouldKeepAgentBranchAndListItWhenRepositorySyncs() throws Exception {
        // Given a droid's commit in the mirror, and a branch deleted upstream since the last sync
        String id = finishedSession(DIFF, "python3 -m unittest");
        ObjectId agent = mirror(GitMirrorPublisher.ref(id));
        try (Git git = Git.open(upstreamRoot.resolve("calc.git").toFile())) {
            git.branchDelete().setBranchNames("feature").setForce(true).call();
        }

        // When
        repositories.scheduleSync("demo", REPO).get(120, TimeUnit.SECONDS);

        // Then
        assertThat(mirror("refs/heads/feature"))
                .as("the sync pruned what the upstream deleted")
                .isNull();
        assertThat(mirror(GitMirrorPublisher.ref(id))).isEqualTo(agent);
        JsonPath view = given().auth()
                .oauth2(Tokens.of("vera"))
                .when()
                .get("/api/sessions/" + id + "/delivery")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(view.getString("agentBranch.branch")).isEqualTo("drydock/" + id);
        assertThat(view.getString("agentBranch.ref")).isEqualTo("refs/drydock/sessions/" + id);
        assertThat(view.getString("agentBranch.commit")).isEqualTo(agent.name());
        assertThat(view.getString("agentBranch.baseCommit")).isEqualTo(base);
        assertThat(view.getList("agentBranch.files", String.class)).containsExactly("calc.py");
        assertThat(view.getString("agentBranch.trailers.Drydock-Test-Result")).isEqualTo("passed");
        assertThat(view.getString("agentBranch.trailers.Drydock-Audit-Root")).matches("[0-9a-f]{64}");
        assertThat(view.getString("push")).isNull();
    }

    @Test
    void shouldPushAgentBranchWithDeployCredentialAndKeepItWhenSyncedAfter() throws Exception {
        // Given
        String id = finishedSession(DIFF, "python3 -m unittest");
        ObjectId agent = mirror(GitMirrorPublisher.ref(id));

        // When
        JsonPath pushed = given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body("{}")
                .when()
                .post("/api/sessions/" + id + "/delivery/push")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        // Then
        assertThat(pushed.getString("push.branch")).isEqualTo("drydock/" + id);
        assertThat(pushed.getString("push.commit")).isEqualTo(agent.name());
        assertThat(pushed.getString("push.by")).isEqualTo("mike");
        assertThat(pushed.getBoolean("push.current")).isTrue();
        assertThat(upstream("refs/heads/drydock/" + id)).isEqualTo(agent);
        assertThat(upstream("refs/heads/main").name()).isEqualTo(base);
        assertThat(server.pushes)
                .contains(RepositoryDeliveryCredentials.USERNAME)
                .doesNotContain("refused");
        assertThat(auditActions(id)).containsEntry("delivery.pushed", 1L);
        repositories.scheduleSync("demo", REPO).get(120, TimeUnit.SECONDS);
        assertThat(mirror(GitMirrorPublisher.ref(id)))
                .as("a sync after the push keeps the agent branch")
                .isEqualTo(agent);
        assertThat(mirror("refs/heads/drydock/" + id))
                .as("the pushed branch now also comes back from the upstream")
                .isEqualTo(agent);
    }

    @Test
    void shouldPushSignedCommitThatGitVerifiesWithThePublishedKey() throws Exception {
        // Given a pushed session and the allowed-signers line the API publishes
        String id = finishedSession(DIFF, "python3 -m unittest");
        given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body("{}")
                .when()
                .post("/api/sessions/" + id + "/delivery/push")
                .then()
                .statusCode(200);
        String allowedSigner = given().auth()
                .oauth2(Tokens.of("vera"))
                .when()
                .get("/api/delivery/signing-key")
                .then()
                .extract()
                .path("allowedSigner");
        Path allowed = Files.writeString(Files.createTempFile("allowed-signers-", ""), allowedSigner + "\n");

        // When
        Process verify = new ProcessBuilder(
                        "git",
                        "-c",
                        "gpg.format=ssh",
                        "-c",
                        "gpg.ssh.allowedSignersFile=" + allowed,
                        "verify-commit",
                        "drydock/" + id)
                .directory(upstreamRoot.resolve("calc.git").toFile())
                .redirectErrorStream(true)
                .start();

        // Then
        assertThat(verify.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(verify.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(verify.exitValue()).as(output).isZero();
        assertThat(output).contains("Good \"git\" signature for " + GitMirrorPublisher.EMAIL);
    }

    @Test
    void shouldRefusePushToDefaultBranchWhenAsked() throws Exception {
        // Given
        String id = finishedSession(DIFF, "python3 -m unittest");

        // When
        var response = given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(Map.of("branch", "main"))
                .when()
                .post("/api/sessions/" + id + "/delivery/push");

        // Then
        response.then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:drydock:problem:push-refused"))
                .body("detail", containsString("drydock/*"));
        assertThat(upstream("refs/heads/main").name()).isEqualTo(base);
        assertThat(auditActions(id)).containsEntry("delivery.push-refused", 1L).doesNotContainKey("delivery.pushed");
    }

    @Test
    void shouldRefusePushToProtectedBranchWhenPatternMatches() throws Exception {
        // Given
        String id = finishedSession(DIFF, "python3 -m unittest");
        settings("gitlab", "http://localhost:1/api/v4", "team/calc", java.util.List.of("drydock/release*"));

        // When
        var response = given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(Map.of("branch", "drydock/release-1"))
                .when()
                .post("/api/sessions/" + id + "/delivery/push");

        // Then
        response.then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:drydock:problem:push-refused"))
                .body("detail", containsString("drydock/release*"));
        assertThat(upstream("refs/heads/drydock/release-1")).isNull();
    }

    @Test
    void shouldRefusePushWhenCallerIsViewer() throws Exception {
        // Given
        String id = finishedSession(DIFF, "python3 -m unittest");

        // When
        var response = given().auth()
                .oauth2(Tokens.of("vera"))
                .contentType(ContentType.JSON)
                .body("{}")
                .when()
                .post("/api/sessions/" + id + "/delivery/push");

        // Then
        response.then().statusCode(403).contentType("application/problem+json");
        assertThat(upstream("refs/heads/drydock/" + id)).isNull();
    }

    @Test
    void shouldOpenDraftGitLabMergeRequestWhenTestsWereNotRun() throws Exception {
        try (GitLabApiFake gitlab = new GitLabApiFake(DeliveryTestServices.TOKEN, "team/calc")) {
            // Given
            String id = finishedSession(DIFF, "");
            settings("gitlab", gitlab.base("/api/v4"), "team/calc", java.util.List.of());

            // When
            JsonPath delivered = given().auth()
                    .oauth2(Tokens.of("mike"))
                    .when()
                    .post("/api/sessions/" + id + "/delivery/merge-request")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();

            // Then
            assertThat(delivered.getLong("mergeRequest.number")).isEqualTo(1);
            assertThat(delivered.getBoolean("mergeRequest.draft")).isTrue();
            assertThat(delivered.getString("mergeRequest.url")).endsWith("/team/calc/-/merge_requests/1");
            assertThat(upstream("refs/heads/drydock/" + id)).isEqualTo(mirror(GitMirrorPublisher.ref(id)));
            Map<String, Object> mr = gitlab.mergeRequests.get(1L);
            assertThat(mr)
                    .containsEntry("title", "Draft: Fix add()")
                    .containsEntry("source_branch", "drydock/" + id)
                    .containsEntry("target_branch", "main");
            assertThat((String) mr.get("description"))
                    .contains(
                            "add() subtracted; it adds now.",
                            "were **not run**",
                            "- `calc.py`",
                            "/portal/sessions/" + id,
                            "Delegated by: mike",
                            "Audit root: `");
            assertThat(auditActions(id))
                    .containsEntry("delivery.pushed", 1L)
                    .containsEntry("delivery.merge-request-opened", 1L);
        }
    }

    @Test
    void shouldSendSignedMergeRequestOpenedWebhookWhenMergeRequestOpens() throws Exception {
        java.util.concurrent.BlockingQueue<String[]> received = new java.util.concurrent.LinkedBlockingQueue<>();
        com.sun.net.httpserver.HttpServer receiver =
                com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks", exchange -> {
            received.add(new String[] {
                exchange.getRequestHeaders().getFirst("X-Drydock-Event"),
                exchange.getRequestHeaders().getFirst("X-Drydock-Timestamp"),
                exchange.getRequestHeaders().getFirst("X-Drydock-Signature"),
                new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
            });
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try (GitLabApiFake gitlab = new GitLabApiFake(DeliveryTestServices.TOKEN, "team/calc")) {
            // Given
            String id = finishedSession(DIFF, "python3 -m unittest");
            settings("gitlab", gitlab.base("/api/v4"), "team/calc", java.util.List.of());
            String hook = given().auth()
                    .oauth2(Tokens.of("alice"))
                    .contentType(ContentType.JSON)
                    .body(Map.of(
                            "url",
                            "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks",
                            "events",
                            java.util.List.of("merge-request.opened"),
                            "secret",
                            DeliveryTestServices.SECRET_NAME))
                    .when()
                    .post("/api/workspaces/demo/webhooks")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");

            // When
            given().auth()
                    .oauth2(Tokens.of("mike"))
                    .when()
                    .post("/api/sessions/" + id + "/delivery/merge-request")
                    .then()
                    .statusCode(200);

            // Then
            String[] r = received.poll(60, TimeUnit.SECONDS);
            assertThat(r).as("the merge-request.opened delivery").isNotNull();
            assertThat(r[0]).isEqualTo("merge-request.opened");
            assertThat(dev.drydock.server.webhook.WebhookSignature.verify(
                            DeliveryTestServices.TOKEN, Long.parseLong(r[1]), r[3], r[2]))
                    .isTrue();
            JsonPath body = JsonPath.from(r[3]);
            assertThat(body.getString("session.id")).isEqualTo(id);
            assertThat(body.getLong("mergeRequest.number")).isEqualTo(1);
            assertThat(body.getString("mergeRequest.url")).endsWith("/team/calc/-/merge_requests/1");
            assertThat(body.getString("session.delegatedBy")).isEqualTo("mike");
            given().auth()
                    .oauth2(Tokens.of("alice"))
                    .when()
                    .delete("/api/workspaces/demo/webhooks/" + hook)
                    .then()
                    .statusCode(204);
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void shouldUpdateTheSameGiteaPullRequestWhenSessionContinues() throws Exception {
        try (GiteaApiFake gitea = new GiteaApiFake(DeliveryTestServices.TOKEN, "team/calc")) {
            // Given a pull request opened for the session, then a second finish of the droid
            String id = finishedSession(DIFF, "python3 -m unittest");
            settings("gitea", gitea.base("/api/v1"), "team/calc", java.util.List.of());
            given().auth()
                    .oauth2(Tokens.of("mike"))
                    .when()
                    .post("/api/sessions/" + id + "/delivery/merge-request")
                    .then()
                    .statusCode(200);
            ObjectId first = upstream("refs/heads/drydock/" + id);
            publish(id, DIFF.replace("+    return a + b\n", "+    return a + b  # reviewed\n"), "python3 -m unittest");

            // When
            JsonPath delivered = given().auth()
                    .oauth2(Tokens.of("mike"))
                    .when()
                    .post("/api/sessions/" + id + "/delivery/merge-request")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();

            // Then
            assertThat(gitea.pulls).hasSize(1);
            assertThat(gitea.received.getLast().method()).isEqualTo("PATCH");
            assertThat(delivered.getLong("mergeRequest.number")).isEqualTo(1);
            assertThat(delivered.getBoolean("mergeRequest.draft")).isFalse();
            ObjectId second = upstream("refs/heads/drydock/" + id);
            assertThat(second).isNotEqualTo(first).isEqualTo(mirror(GitMirrorPublisher.ref(id)));
            try (Git git = Git.open(upstreamRoot.resolve("calc.git").toFile())) {
                assertThat(git.getRepository().parseCommit(second).getParent(0).getId())
                        .as("fast-forward, no force push")
                        .isEqualTo(first);
            }
            assertThat((String) gitea.pulls.get(1L).get("body")).contains("`python3 -m unittest`: passed");
            assertThat(auditActions(id))
                    .containsEntry("delivery.pushed", 2L)
                    .containsEntry("delivery.merge-request-opened", 1L)
                    .containsEntry("delivery.merge-request-updated", 1L);
        }
    }

    @Test
    void shouldOpenMergeRequestWhenMemberClicksDeliverOnSessionPage() throws Exception {
        try (GitLabApiFake gitlab = new GitLabApiFake(DeliveryTestServices.TOKEN, "team/calc");
                dev.drydock.server.testing.PortalBrowser browser = dev.drydock.server.testing.PortalBrowser.launch()) {
            // Given
            String id = finishedSession(DIFF, "python3 -m unittest");
            settings("gitlab", gitlab.base("/api/v4"), "team/calc", java.util.List.of());
            com.microsoft.playwright.Page page = browser.signIn(
                    "mike", baseUri.resolve("/portal/sessions/" + id).toString());

            // When
            page.click("#deliver-button");

            // Then
            com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(page.locator("#delivery-mr"))
                    .hasText("!1");
            com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(page.locator("#delivery-branch"))
                    .hasText("drydock/" + id);
            com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(page.locator("#delivery-mr"))
                    .hasAttribute("href", gitlab.base("/team/calc/-/merge_requests/1"));
            com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(page.locator("#deliver-button"))
                    .hasText("Push and update merge request");
            dev.drydock.server.testing.PortalBrowser.screenshot(page, "portal-session-delivery");
            assertThat(upstream("refs/heads/drydock/" + id)).isEqualTo(mirror(GitMirrorPublisher.ref(id)));
            assertThat((String) gitlab.mergeRequests.get(1L).get("description")).contains("/portal/sessions/" + id);
        }
    }

    @Test
    void shouldRefuseDeliverySettingsWhenApiHostIsNotAllowed() {
        // When
        var response = given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "server", "gitea", "apiUrl", "https://gitea.elsewhere.example/api/v1", "project", "team/calc"))
                .when()
                .put("/api/workspaces/demo/repositories/" + REPO + "/delivery");

        // Then
        response.then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:drydock:problem:host-not-allowed"));
    }

    @Test
    void shouldRefuseDeliverySettingsWhenCallerIsNotWorkspaceAdmin() {
        // When
        var response = given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(Map.of("server", "gitea", "apiUrl", "http://localhost:1/api/v1", "project", "team/calc"))
                .when()
                .put("/api/workspaces/demo/repositories/" + REPO + "/delivery");

        // Then
        response.then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void shouldRejectUnknownServerKindWhenSettingDelivery() {
        // When
        var response = given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of("server", "perforce", "apiUrl", "http://localhost:1/api", "project", "team/calc"))
                .when()
                .put("/api/workspaces/demo/repositories/" + REPO + "/delivery");

        // Then
        response.then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("gitlab or gitea"));
    }

    void mintingSettings(GitLabApiFake gitlab) {
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "server",
                        "gitlab",
                        "apiUrl",
                        gitlab.base("/api/v4"),
                        "project",
                        "team/calc",
                        "mintTokens",
                        true,
                        "labels",
                        java.util.List.of("drydock")))
                .when()
                .put("/api/workspaces/demo/repositories/" + REPO + "/delivery")
                .then()
                .statusCode(200)
                .body("mintTokens", equalTo(true));
    }

    @Test
    void shouldPushWithMintedTokenAndRevokeItWhenMintingIsOn() throws Exception {
        try (GitLabApiFake gitlab = new GitLabApiFake(DeliveryTestServices.TOKEN, "team/calc")) {
            // Given a GitLab that mints project access tokens, which the git server then accepts
            String id = finishedSession(DIFF, "python3 -m unittest");
            mintingSettings(gitlab);
            server.alsoAccepted = gitlab.accessTokens::containsValue;

            // When
            JsonPath delivered = given().auth()
                    .oauth2(Tokens.of("mike"))
                    .when()
                    .post("/api/sessions/" + id + "/delivery/merge-request")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();

            // Then the push used a token minted for it, which expires tomorrow and was revoked after the push
            assertThat(server.pushes.getLast()).isEqualTo("minted:drydock");
            assertThat(upstream("refs/heads/drydock/" + id)).isEqualTo(mirror(GitMirrorPublisher.ref(id)));
            assertThat(gitlab.mintedExpiries.values())
                    .containsExactly(java.time.LocalDate.now(java.time.ZoneOffset.UTC)
                            .plusDays(1)
                            .toString());
            assertThat(gitlab.accessTokens).as("revoked after the push").isEmpty();
            assertThat(gitlab.mergeRequests.get(delivered.getLong("mergeRequest.number")))
                    .containsEntry("labels", java.util.List.of("drydock"));
            assertThat(auditActions(id))
                    .containsEntry("delivery.token-minted", 1L)
                    .containsEntry("delivery.token-revoked", 1L)
                    .containsEntry("delivery.pushed", 1L);
        } finally {
            server.alsoAccepted = password -> false;
            settings("gitlab", "http://localhost:1/api/v4", "team/calc", java.util.List.of());
        }
    }

    @Test
    void shouldPushWithStoredCredentialWhenServerCannotMintTokens() throws Exception {
        try (GitLabApiFake gitlab = new GitLabApiFake(DeliveryTestServices.TOKEN, "team/calc")) {
            // Given a GitLab without project access tokens
            String id = finishedSession(DIFF, "python3 -m unittest");
            mintingSettings(gitlab);
            gitlab.accessTokensEnabled = false;

            // When
            var response = given().auth()
                    .oauth2(Tokens.of("mike"))
                    .contentType(ContentType.JSON)
                    .body("{}")
                    .when()
                    .post("/api/sessions/" + id + "/delivery/push");

            // Then
            response.then().statusCode(200);
            assertThat(server.pushes.getLast()).isEqualTo(RepositoryDeliveryCredentials.USERNAME);
            assertThat(upstream("refs/heads/drydock/" + id)).isEqualTo(mirror(GitMirrorPublisher.ref(id)));
            assertThat(auditActions(id))
                    .containsEntry("delivery.token-mint-failed", 1L)
                    .containsEntry("delivery.pushed", 1L)
                    .doesNotContainKey("delivery.token-minted");
        } finally {
            settings("gitlab", "http://localhost:1/api/v4", "team/calc", java.util.List.of());
        }
    }
}
