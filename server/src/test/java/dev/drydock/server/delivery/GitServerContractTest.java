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
}
