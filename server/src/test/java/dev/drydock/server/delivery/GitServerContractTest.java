package dev.drydock.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.server.egress.EgressGuard;
import dev.drydock.server.egress.EgressRefusal;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The GitLab, Gitea, GitHub Enterprise Server and Bitbucket Data Center implementations against
 * contract fakes of the vendors' published APIs.
 */
class GitServerContractTest {
    private final List<EgressRefusal> refusals = new CopyOnWriteArrayList<>();
    private final EgressGuard egress = new EgressGuard(List.of("localhost"), refusals::add, Clock.systemUTC());
    private final GitServer.Draft draft =
            new GitServer.Draft("drydock/s1", "main", "Fix add()", "It subtracted.", false);

    @AfterEach
    void close() {
        egress.close();
    }

    @Test
    void shouldOpenGitLabMergeRequestWithPrivateTokenWhenAsked() throws Exception {
        try (GitLabApiFake gitlab = new GitLabApiFake("glpat-1", "team/calc")) {
            // Given
            GitServer server = new GitLabServer(egress, gitlab.base("/api/v4"), "team/calc", "glpat-1");

            // When
            GitServer.MergeRequest mr = server.open(draft);

            // Then
            assertThat(mr.number()).isEqualTo(1);
            assertThat(mr.url()).endsWith("/team/calc/-/merge_requests/1");
            assertThat(mr.draft()).isFalse();
            ApiFake.Received request = gitlab.received.getFirst();
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/api/v4/projects/team%2Fcalc/merge_requests");
            assertThat(request.json().get("source_branch").asText()).isEqualTo("drydock/s1");
            assertThat(request.json().get("target_branch").asText()).isEqualTo("main");
            assertThat(request.json().get("description").asText()).isEqualTo("It subtracted.");
        }
    }

    @Test
    void shouldOpenGitLabDraftWhenTestsWereNotRun() throws Exception {
        try (GitLabApiFake gitlab = new GitLabApiFake("glpat-1", "7")) {
            // Given
            GitServer server = new GitLabServer(egress, gitlab.base("/api/v4/"), "7", "glpat-1");

            // When
            GitServer.MergeRequest mr = server.open(new GitServer.Draft("drydock/s1", "main", "Fix add()", "", true));

            // Then
            assertThat(mr.draft()).isTrue();
            assertThat(gitlab.mergeRequests.get(1L).get("title")).isEqualTo("Draft: Fix add()");
        }
    }

    @Test
    void shouldUpdateTheSameGitLabMergeRequestWhenUpdated() throws Exception {
        try (GitLabApiFake gitlab = new GitLabApiFake("glpat-1", "team/calc")) {
            // Given
            GitServer server = new GitLabServer(egress, gitlab.base("/api/v4"), "team/calc", "glpat-1");
            GitServer.MergeRequest opened = server.open(draft);

            // When
            GitServer.MergeRequest updated = server.update(
                    opened.number(), new GitServer.Draft("drydock/s1", "main", "Fix add() and mul()", "Both.", false));

            // Then
            assertThat(updated.number()).isEqualTo(opened.number());
            assertThat(gitlab.mergeRequests).hasSize(1);
            assertThat(gitlab.received.getLast().method()).isEqualTo("PUT");
            assertThat(gitlab.mergeRequests.get(1L))
                    .containsEntry("title", "Fix add() and mul()")
                    .containsEntry("description", "Both.");
        }
    }

    @Test
    void shouldReportGitLabRefusalWhenTokenIsWrong() throws Exception {
        try (GitLabApiFake gitlab = new GitLabApiFake("glpat-1", "team/calc")) {
            // Given
            GitServer server = new GitLabServer(egress, gitlab.base("/api/v4"), "team/calc", "wrong");

            // When / Then
            assertThatThrownBy(() -> server.open(draft))
                    .isInstanceOf(GitServer.GitServerException.class)
                    .hasMessageContaining("401")
                    .hasMessageContaining("Unauthorized");
        }
    }

    @Test
    void shouldOpenGiteaPullRequestWithTokenHeaderWhenAsked() throws Exception {
        try (GiteaApiFake gitea = new GiteaApiFake("gt-1", "team/calc")) {
            // Given
            GitServer server = new GiteaServer(egress, gitea.base("/api/v1"), "team/calc", "gt-1");

            // When
            GitServer.MergeRequest pr =
                    server.open(new GitServer.Draft("drydock/s1", "main", "Fix add()", "It subtracted.", true));

            // Then
            assertThat(pr.number()).isEqualTo(1);
            assertThat(pr.url()).endsWith("/team/calc/pulls/1");
            assertThat(pr.draft()).isTrue();
            ApiFake.Received request = gitea.received.getFirst();
            assertThat(request.path()).isEqualTo("/api/v1/repos/team/calc/pulls");
            assertThat(request.header("Authorization")).isEqualTo("token gt-1");
            assertThat(request.json().get("head").asText()).isEqualTo("drydock/s1");
            assertThat(request.json().get("base").asText()).isEqualTo("main");
            assertThat(request.json().get("title").asText()).isEqualTo("WIP: Fix add()");
            assertThat(request.json().get("body").asText()).isEqualTo("It subtracted.");
        }
    }

    @Test
    void shouldUpdateTheSameGiteaPullRequestWhenUpdated() throws Exception {
        try (GiteaApiFake gitea = new GiteaApiFake("gt-1", "team/calc")) {
            // Given
            GitServer server = new GiteaServer(egress, gitea.base("/api/v1"), "team/calc", "gt-1");
            GitServer.MergeRequest opened = server.open(draft);

            // When
            GitServer.MergeRequest updated = server.update(
                    opened.number(), new GitServer.Draft("drydock/s1", "main", "Fix add()", "Now with a test.", false));

            // Then
            assertThat(updated.number()).isEqualTo(1);
            assertThat(gitea.pulls).hasSize(1);
            assertThat(gitea.received.getLast().method()).isEqualTo("PATCH");
            assertThat(gitea.received.getLast().path()).isEqualTo("/api/v1/repos/team/calc/pulls/1");
            assertThat(gitea.pulls.get(1L)).containsEntry("body", "Now with a test.");
        }
    }

    @Test
    void shouldRefuseGitServerCallWhenHostIsNotAllowed() throws Exception {
        // Given
        GitServer server = new GiteaServer(egress, "http://gitea.elsewhere.example/api/v1", "team/calc", "gt-1");

        // When / Then
        assertThatThrownBy(() -> server.open(draft))
                .isInstanceOf(GitServer.GitServerException.class)
                .hasMessageContaining("not on the egress allow-list");
        assertThat(refusals).singleElement().satisfies(r -> assertThat(r.host()).isEqualTo("gitea.elsewhere.example"));
    }

    private static final java.time.LocalDate TOMORROW =
            java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1);

    @Test
    void shouldPutLabelsOnGitLabMergeRequestWhenDraftHasLabels() throws Exception {
        try (GitLabApiFake gitlab = new GitLabApiFake("glpat-1", "team/calc")) {
            // Given
            GitServer server = new GitLabServer(egress, gitlab.base("/api/v4"), "team/calc", "glpat-1");

            // When
            server.open(new GitServer.Draft("drydock/s1", "main", "Fix add()", "", false, List.of("drydock", "bot")));

            // Then
            assertThat(gitlab.received.getFirst().json().get("labels").asText()).isEqualTo("drydock,bot");
            assertThat(gitlab.mergeRequests.get(1L)).containsEntry("labels", List.of("drydock", "bot"));
        }
    }

    @Test
    void shouldMintGitLabProjectTokenThatExpiresAndRevokeItWhenAsked() throws Exception {
        try (GitLabApiFake gitlab = new GitLabApiFake("glpat-1", "team/calc")) {
            // Given
            GitServer server = new GitLabServer(egress, gitlab.base("/api/v4"), "team/calc", "glpat-1");
            GitServer.MintedToken token =
                    server.mintPushToken("drydock-push-s1", TOMORROW).orElseThrow();

            // When
            server.revoke(token);

            // Then
            ApiFake.Received mint = gitlab.received.getFirst();
            assertThat(mint.path()).isEqualTo("/api/v4/projects/team%2Fcalc/access_tokens");
            assertThat(mint.json().get("scopes").toString()).isEqualTo("[\"write_repository\"]");
            assertThat(mint.json().get("expires_at").asText()).isEqualTo(TOMORROW.toString());
            assertThat(token.secret()).startsWith("glpat-minted-");
            assertThat(token.toString()).doesNotContain(token.secret());
            assertThat(gitlab.received.getLast().method()).isEqualTo("DELETE");
            assertThat(gitlab.received.getLast().path())
                    .isEqualTo("/api/v4/projects/team%2Fcalc/access_tokens/" + token.id());
            assertThat(gitlab.accessTokens).isEmpty();
        }
    }

    @Test
    void shouldMintGiteaTokenUnderBasicAuthAndRevokeItWhenCredentialIsUserAndPassword() throws Exception {
        try (GiteaApiFake gitea = new GiteaApiFake("gt-1", "team/calc")) {
            // Given
            gitea.basicUser = "drydock-bot";
            gitea.basicPassword = "pw-1";
            GitServer server = new GiteaServer(egress, gitea.base("/api/v1"), "team/calc", "drydock-bot:pw-1");
            GitServer.MintedToken token =
                    server.mintPushToken("drydock-push-s1", TOMORROW).orElseThrow();
            assertThat(gitea.accessTokens).containsValue(token.secret());

            // When
            server.revoke(token);

            // Then
            assertThat(gitea.received.getFirst().path()).isEqualTo("/api/v1/users/drydock-bot/tokens");
            assertThat(gitea.received.getFirst().json().get("scopes").toString())
                    .isEqualTo("[\"write:repository\"]");
            assertThat(token.username()).isEqualTo("drydock-bot");
            assertThat(gitea.accessTokens).isEmpty();
        }
    }

    @Test
    void shouldNotMintGiteaTokenWhenCredentialIsAToken() throws Exception {
        try (GiteaApiFake gitea = new GiteaApiFake("gt-1", "team/calc")) {
            // Given
            GitServer server = new GiteaServer(egress, gitea.base("/api/v1"), "team/calc", "gt-1");

            // When
            var token = server.mintPushToken("drydock-push-s1", TOMORROW);

            // Then
            assertThat(token).isEmpty();
            assertThat(gitea.received).isEmpty();
        }
    }

    @Test
    void shouldCommentOnGitLabIssueAndGiteaIssueWhenAsked() throws Exception {
        try (GitLabApiFake gitlab = new GitLabApiFake("glpat-1", "team/calc");
                GiteaApiFake gitea = new GiteaApiFake("gt-1", "team/calc")) {
            // Given
            GitServer lab = new GitLabServer(egress, gitlab.base("/api/v4"), "team/calc", "glpat-1");
            GitServer tea = new GiteaServer(egress, gitea.base("/api/v1"), "team/calc", "gt-1");

            // When
            lab.comment(3, false, "Session: http://drydock/portal/sessions/1");
            tea.comment(4, false, "Session: http://drydock/portal/sessions/2");

            // Then
            assertThat(gitlab.notes).containsExactly("issues/3: Session: http://drydock/portal/sessions/1");
            assertThat(gitea.comments).containsExactly("4: Session: http://drydock/portal/sessions/2");
        }
    }

    @Test
    void shouldSendGiteaLabelIdsWhenDraftHasLabels() throws Exception {
        try (GiteaApiFake gitea = new GiteaApiFake("gt-1", "team/calc")) {
            // Given
            GitServer server = new GiteaServer(egress, gitea.base("/api/v1"), "team/calc", "gt-1");

            // When
            server.open(new GitServer.Draft("drydock/s1", "main", "Fix add()", "", false, List.of("drydock", "nope")));

            // Then
            assertThat(gitea.received.getLast().json().get("labels").toString()).isEqualTo("[7]");
            assertThat(gitea.pulls.get(1L).get("labels").toString()).contains("name=drydock");
        }
    }

    @Test
    void shouldOpenGitHubEnterpriseDraftPullRequestWithLabelsWhenTestsWereNotRun() throws Exception {
        try (GitHubApiFake github = new GitHubApiFake("ghs-1", "team/calc")) {
            // Given
            GitServer server = new GitHubServer(egress, github.base("/api/v3"), "team/calc", "ghs-1");

            // When
            GitServer.MergeRequest pr = server.open(
                    new GitServer.Draft("drydock/s1", "main", "Fix add()", "It subtracted.", true, List.of("drydock")));

            // Then
            assertThat(pr.number()).isEqualTo(1);
            assertThat(pr.draft()).isTrue();
            assertThat(pr.url()).endsWith("/team/calc/pull/1");
            ApiFake.Received open = github.received.getFirst();
            assertThat(open.path()).isEqualTo("/api/v3/repos/team/calc/pulls");
            assertThat(open.header("Authorization")).isEqualTo("Bearer ghs-1");
            assertThat(open.header("X-GitHub-Api-Version")).isEqualTo("2022-11-28");
            assertThat(open.json().get("title").asText()).isEqualTo("Fix add()");
            assertThat(github.pulls.get(1L)).containsEntry("labels", List.of("drydock"));
        }
    }

    @Test
    void shouldUpdateTheSameGitHubEnterprisePullRequestWhenUpdated() throws Exception {
        try (GitHubApiFake github = new GitHubApiFake("ghs-1", "team/calc")) {
            // Given
            GitServer server = new GitHubServer(egress, github.base("/api/v3"), "team/calc", "ghs-1");
            GitServer.MergeRequest opened = server.open(draft);

            // When
            GitServer.MergeRequest updated = server.update(
                    opened.number(), new GitServer.Draft("drydock/s1", "main", "Fix add()", "Reviewed.", false));

            // Then
            assertThat(updated.number()).isEqualTo(1);
            assertThat(github.pulls).hasSize(1);
            assertThat(github.received.getLast().method()).isEqualTo("PATCH");
            assertThat(github.pulls.get(1L)).containsEntry("body", "Reviewed.");
        }
    }

    @Test
    void shouldOpenBitbucketDraftPullRequestFromAgentBranchWhenTestsWereNotRun() throws Exception {
        try (BitbucketApiFake bitbucket = new BitbucketApiFake("bbdc-1", "TEAM", "calc")) {
            // Given
            GitServer server = new BitbucketServer(egress, bitbucket.base("/rest/api/latest"), "TEAM/calc", "bbdc-1");

            // When
            GitServer.MergeRequest pr =
                    server.open(new GitServer.Draft("drydock/s1", "main", "Fix add()", "It subtracted.", true));

            // Then
            assertThat(pr.number()).isEqualTo(1);
            assertThat(pr.draft()).isTrue();
            assertThat(pr.state()).isEqualTo("OPEN");
            assertThat(pr.url()).endsWith("/projects/TEAM/repos/calc/pull-requests/1");
            ApiFake.Received open = bitbucket.received.getFirst();
            assertThat(open.path()).isEqualTo("/rest/api/latest/projects/TEAM/repos/calc/pull-requests");
            assertThat(open.json().at("/fromRef/id").asText()).isEqualTo("refs/heads/drydock/s1");
            assertThat(open.json().at("/toRef/id").asText()).isEqualTo("refs/heads/main");
        }
    }

    @Test
    void shouldUpdateBitbucketPullRequestWithItsCurrentVersionWhenUpdatedTwice() throws Exception {
        try (BitbucketApiFake bitbucket = new BitbucketApiFake("bbdc-1", "TEAM", "calc")) {
            // Given
            GitServer server = new BitbucketServer(egress, bitbucket.base("/rest/api/latest"), "TEAM/calc", "bbdc-1");
            GitServer.MergeRequest opened = server.open(draft);
            server.update(
                    opened.number(), new GitServer.Draft("drydock/s1", "main", "Fix add()", "First review.", false));

            // When
            GitServer.MergeRequest updated = server.update(
                    opened.number(), new GitServer.Draft("drydock/s1", "main", "Fix add()", "Second review.", false));

            // Then
            assertThat(updated.number()).isEqualTo(1);
            assertThat(bitbucket.pulls).hasSize(1);
            assertThat(bitbucket.pulls.get(1L))
                    .containsEntry("description", "Second review.")
                    .containsEntry("version", 2);
        }
    }

    @Test
    void shouldReportBitbucketRefusalWhenTokenIsWrong() throws Exception {
        try (BitbucketApiFake bitbucket = new BitbucketApiFake("bbdc-1", "TEAM", "calc")) {
            // Given
            GitServer server = new BitbucketServer(egress, bitbucket.base("/rest/api/latest"), "TEAM/calc", "wrong");

            // When / Then
            assertThatThrownBy(() -> server.open(draft))
                    .isInstanceOf(GitServer.GitServerException.class)
                    .hasMessageContaining("401")
                    .hasMessageContaining("Authentication failed");
        }
    }

    private static java.security.KeyPair rsa() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    /** The private key as GitHub hands it out: PKCS#1 PEM ({@code BEGIN RSA PRIVATE KEY}). */
    private static String pkcs1Pem(java.security.PrivateKey key) throws Exception {
        // PKCS#8 = SEQUENCE { INTEGER 0, AlgorithmIdentifier (15 bytes here), OCTET STRING { PKCS#1 } }
        byte[] pkcs8 = key.getEncoded();
        int at = 0;
        at += 1 + lengthBytes(pkcs8, at + 1); // outer sequence header
        at += 3; // version
        at += 15; // rsaEncryption with NULL parameters
        int octetLength = lengthBytes(pkcs8, at + 1);
        at += 1 + octetLength;
        byte[] pkcs1 = java.util.Arrays.copyOfRange(pkcs8, at, pkcs8.length);
        return "-----BEGIN RSA PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pkcs1)
                + "\n-----END RSA PRIVATE KEY-----\n";
    }

    /** How many bytes a DER length at {@code at} takes. */
    private static int lengthBytes(byte[] der, int at) {
        int first = der[at] & 0xff;
        return first < 0x80 ? 1 : 1 + (first & 0x7f);
    }

    private static String appCredential(java.security.PrivateKey key) throws Exception {
        return ApiFake.JSON.writeValueAsString(
                java.util.Map.of("appId", "812", "installationId", "4711", "privateKey", pkcs1Pem(key)));
    }

    @Test
    void shouldMintGitHubInstallationTokenForOneRepositoryAndRevokeItWhenCredentialIsAnApp() throws Exception {
        try (GitHubApiFake github = new GitHubApiFake("unused", "team/calc")) {
            // Given
            java.security.KeyPair keys = rsa();
            github.appId = "812";
            github.installationId = "4711";
            github.appKey = keys.getPublic();
            GitServer server =
                    new GitHubServer(egress, github.base("/api/v3"), "team/calc", appCredential(keys.getPrivate()));
            GitServer.MintedToken token =
                    server.mintPushToken("drydock-push-s1", TOMORROW).orElseThrow();
            assertThat(github.installationTokens).containsKey(token.secret());

            // When
            server.revoke(token);

            // Then
            ApiFake.Received mint = github.received.getFirst();
            assertThat(mint.path()).isEqualTo("/api/v3/app/installations/4711/access_tokens");
            assertThat(mint.json().get("repositories").toString()).isEqualTo("[\"calc\"]");
            assertThat(mint.json().get("permissions").toString()).isEqualTo("{\"contents\":\"write\"}");
            assertThat(token.username()).isEqualTo("x-access-token");
            assertThat(token.secret()).startsWith("ghs_");
            assertThat(token.toString()).doesNotContain(token.secret()).doesNotContain("PRIVATE");
            ApiFake.Received revoke = github.received.getLast();
            assertThat(revoke.method()).isEqualTo("DELETE");
            assertThat(revoke.path()).isEqualTo("/api/v3/installation/token");
            assertThat(revoke.header("Authorization")).isEqualTo("Bearer " + token.secret());
            assertThat(github.installationTokens).isEmpty();
        }
    }

    @Test
    void shouldRefuseGitHubInstallationTokenWhenAppKeyIsNotTheRegisteredOne() throws Exception {
        try (GitHubApiFake github = new GitHubApiFake("unused", "team/calc")) {
            // Given
            github.appId = "812";
            github.installationId = "4711";
            github.appKey = rsa().getPublic();
            GitServer server =
                    new GitHubServer(egress, github.base("/api/v3"), "team/calc", appCredential(rsa().getPrivate()));

            // When / Then
            assertThatThrownBy(() -> server.mintPushToken("drydock-push-s1", TOMORROW))
                    .isInstanceOf(GitServer.GitServerException.class)
                    .hasMessageContaining("401")
                    .hasMessageContaining("JSON web token");
        }
    }

    @Test
    void shouldOpenGitHubPullRequestWithInstallationTokenWhenCredentialIsAnApp() throws Exception {
        try (GitHubApiFake github = new GitHubApiFake("unused", "team/calc")) {
            // Given
            java.security.KeyPair keys = rsa();
            github.appId = "812";
            github.installationId = "4711";
            github.appKey = keys.getPublic();
            GitServer server =
                    new GitHubServer(egress, github.base("/api/v3"), "team/calc", appCredential(keys.getPrivate()));

            // When
            GitServer.MergeRequest pr = server.open(draft);

            // Then
            assertThat(pr.number()).isEqualTo(1);
            assertThat(github.tokenRequests).hasSize(1);
            assertThat(github.received.getLast().header("Authorization")).startsWith("Bearer ghs_");
        }
    }

    @Test
    void shouldNotMintGitHubTokenWhenCredentialIsAPersonalToken() throws Exception {
        try (GitHubApiFake github = new GitHubApiFake("ghp-1", "team/calc")) {
            // Given
            GitServer server = new GitHubServer(egress, github.base("/api/v3"), "team/calc", "ghp-1");

            // When
            var token = server.mintPushToken("drydock-push-s1", TOMORROW);

            // Then
            assertThat(token).isEmpty();
            assertThat(github.received).isEmpty();
        }
    }

    @Test
    void shouldMintBitbucketRepositoryTokenWithRepoWriteForOneDayAndRevokeItWhenAsked() throws Exception {
        try (BitbucketApiFake bitbucket = new BitbucketApiFake("bbdc-admin", "TEAM", "calc")) {
            // Given
            GitServer server =
                    new BitbucketServer(egress, bitbucket.base("/rest/api/latest"), "TEAM/calc", "bbdc-admin");
            GitServer.MintedToken token =
                    server.mintPushToken("drydock-push-s1", TOMORROW).orElseThrow();
            assertThat(bitbucket.accessTokens).containsValue(token.secret());

            // When
            server.revoke(token);

            // Then
            ApiFake.Received mint = bitbucket.received.getFirst();
            assertThat(mint.method()).isEqualTo("PUT");
            assertThat(mint.path()).isEqualTo("/rest/access-tokens/1.0/projects/TEAM/repos/calc");
            assertThat(mint.json().get("permissions").toString()).isEqualTo("[\"REPO_WRITE\"]");
            assertThat(mint.json().get("expiryDays").asInt()).isEqualTo(1);
            assertThat(token.bearer()).isTrue();
            assertThat(bitbucket.received.getLast().method()).isEqualTo("DELETE");
            assertThat(bitbucket.received.getLast().path())
                    .isEqualTo("/rest/access-tokens/1.0/projects/TEAM/repos/calc/" + token.id());
            assertThat(bitbucket.accessTokens).isEmpty();
        }
    }

    @Test
    void shouldReadMergedStateAndApprovalsWhenEachServerIsPolled() throws Exception {
        try (GitLabApiFake gitlab = new GitLabApiFake("glpat-1", "team/calc");
                GiteaApiFake gitea = new GiteaApiFake("gt-1", "team/calc");
                GitHubApiFake github = new GitHubApiFake("ghp-1", "team/calc");
                BitbucketApiFake bitbucket = new BitbucketApiFake("bbdc-1", "TEAM", "calc")) {
            // Given
            List<GitServer> servers = List.of(
                    new GitLabServer(egress, gitlab.base("/api/v4"), "team/calc", "glpat-1"),
                    new GiteaServer(egress, gitea.base("/api/v1"), "team/calc", "gt-1"),
                    new GitHubServer(egress, github.base("/api/v3"), "team/calc", "ghp-1"),
                    new BitbucketServer(egress, bitbucket.base("/rest/api/latest"), "TEAM/calc", "bbdc-1"));
            for (GitServer s : servers) {
                s.open(draft);
            }
            String sha = "c0ffee".repeat(6) + "abcd";
            gitlab.merge(1, sha);
            gitlab.approvals.put(1L, List.of("mike"));
            gitea.merge(1, sha);
            gitea.approve(1, "mike");
            github.merge(1, sha);
            github.reviews.put(
                    1L, List.of(java.util.Map.of("user", java.util.Map.of("login", "mike"), "state", "APPROVED")));
            bitbucket.merge(1, sha);
            bitbucket.approve(1, "mike");

            // When
            List<GitServer.MergeRequestStatus> statuses = new java.util.ArrayList<>();
            for (GitServer s : servers) {
                statuses.add(s.status(1));
            }

            // Then
            assertThat(statuses).allSatisfy(st -> {
                assertThat(st.state()).isEqualTo("merged");
                assertThat(st.mergedAt()).isNotNull();
                assertThat(st.mergeCommit()).isEqualTo(sha);
                assertThat(st.approvedBy()).containsExactly("mike");
            });
        }
    }

    @Test
    void shouldReadOpenStateWithoutApprovalsWhenNothingHappenedYet() throws Exception {
        try (BitbucketApiFake bitbucket = new BitbucketApiFake("bbdc-1", "TEAM", "calc")) {
            // Given
            GitServer server = new BitbucketServer(egress, bitbucket.base("/rest/api/latest"), "TEAM/calc", "bbdc-1");
            server.open(draft);

            // When
            GitServer.MergeRequestStatus st = server.status(1);

            // Then
            assertThat(st.open()).isTrue();
            assertThat(st.mergedAt()).isNull();
            assertThat(st.approvedBy()).isEmpty();
        }
    }

    @Test
    void shouldSetGitLabApprovalRuleWithoutTheDelegatorWhenAsked() throws Exception {
        try (GitLabApiFake gitlab = new GitLabApiFake("glpat-1", "team/calc")) {
            // Given
            GitServer server = new GitLabServer(egress, gitlab.base("/api/v4"), "team/calc", "glpat-1");
            server.open(draft);
            gitlab.members.put("mike", 13L);
            gitlab.members.put(gitlab.self, 99L);

            // When
            var rule = server.requireApprovalByOthers(1, "mike");

            // Then
            assertThat(rule).isPresent();
            var created = gitlab.approvalRules.get(1L).getFirst();
            assertThat(created.get("approvals_required").asInt()).isEqualTo(1);
            List<Long> ids = new java.util.ArrayList<>();
            created.get("user_ids").forEach(n -> ids.add(n.asLong()));
            assertThat(ids).containsExactlyInAnyOrder(11L, 12L);
        }
    }

    @Test
    void shouldReportGitLabApprovalRuleRefusalWhenInstanceHasNoPremium() throws Exception {
        try (GitLabApiFake gitlab = new GitLabApiFake("glpat-1", "team/calc")) {
            // Given
            GitServer server = new GitLabServer(egress, gitlab.base("/api/v4"), "team/calc", "glpat-1");
            server.open(draft);
            gitlab.premium = false;

            // When / Then
            assertThatThrownBy(() -> server.requireApprovalByOthers(1, "mike"))
                    .isInstanceOf(GitServer.GitServerException.class)
                    .hasMessageContaining("403");
        }
    }

    @Test
    void shouldHaveNoApprovalRuleApiWhenServerIsGiteaGitHubOrBitbucket() throws Exception {
        // Given
        List<GitServer> servers = List.of(
                new GiteaServer(egress, "http://localhost:1/api/v1", "team/calc", "gt-1"),
                new GitHubServer(egress, "http://localhost:1/api/v3", "team/calc", "ghp-1"),
                new BitbucketServer(egress, "http://localhost:1/rest/api/latest", "TEAM/calc", "bbdc-1"));

        // When
        List<java.util.Optional<String>> rules = new java.util.ArrayList<>();
        for (GitServer s : servers) {
            rules.add(s.requireApprovalByOthers(1, "mike"));
        }

        // Then
        assertThat(rules).allMatch(java.util.Optional::isEmpty);
    }
}
