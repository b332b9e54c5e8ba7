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

/** The GitLab and Gitea implementations against contract fakes of the vendors' published APIs. */
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
}
