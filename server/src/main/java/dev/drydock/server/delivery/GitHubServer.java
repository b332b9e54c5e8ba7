package dev.drydock.server.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.server.egress.EgressGuard;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * GitHub Enterprise Server's REST API ({@code https://ghe.example/api/v3}, API version
 * {@code 2022-11-28}): {@code POST /repos/{owner}/{repo}/pulls} (with {@code draft}), {@code PATCH
 * /repos/{owner}/{repo}/pulls/{pull_number}}, labels through {@code POST
 * /repos/{owner}/{repo}/issues/{issue_number}/labels} (pull requests are issues), comments through
 * {@code POST /repos/{owner}/{repo}/issues/{issue_number}/comments}; authenticated with {@code
 * Authorization: Bearer}. A draft is GitHub's own draft pull request.
 */
final class GitHubServer extends HttpGitServer {
    private final String repo;
    private final String token;
    private final java.time.Clock clock;
    /** The installation token the API calls of a GitHub App credential use, minted on the first call. */
    private @Nullable String installationToken;

    /**
     * @param repo {@code owner/repo}
     * @param token a token, or a GitHub App credential ({@link GitHubApp}): then every API call uses
     *     an installation token minted for this repository (valid one hour, GitHub's fixed lifetime)
     */
    GitHubServer(EgressGuard egress, String apiUrl, String repo, String token) {
        this(egress, apiUrl, repo, token, java.time.Clock.systemUTC());
    }

    GitHubServer(EgressGuard egress, String apiUrl, String repo, String token, java.time.Clock clock) {
        super(egress, apiUrl);
        this.repo = repo;
        this.token = token;
        this.clock = clock;
    }

    @Override
    HttpRequest.Builder headers(HttpRequest.Builder request) {
        return request.header("Accept", "application/vnd.github+json").header("X-GitHub-Api-Version", "2022-11-28");
    }

    @Override
    HttpRequest.Builder authenticate(HttpRequest.Builder request) {
        return request.header("Authorization", "Bearer " + (installationToken != null ? installationToken : token));
    }

    @Override
    JsonNode call(String method, String path, @Nullable Object body) throws GitServerException {
        if (installationToken == null) {
            Optional<GitHubApp> app = GitHubApp.parse(token);
            if (app.isPresent()) {
                installationToken = installationToken(
                                app.get(), Map.of("contents", "read", "pull_requests", "write", "issues", "write"))
                        .secret();
            }
        }
        return super.call(method, path, body);
    }

    /**
     * An installation token of the GitHub App ({@code POST /app/installations/{installation_id}/access_tokens}
     * with the app's JWT), limited to this one repository and {@code permissions}.
     */
    private MintedToken installationToken(GitHubApp app, Map<String, String> permissions) throws GitServerException {
        String jwt = app.jwt(clock.instant());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("repositories", List.of(repo.substring(repo.indexOf('/') + 1)));
        body.put("permissions", permissions);
        JsonNode t = callAt(
                "POST",
                URI.create(apiUrl() + "/app/installations/" + app.installationId() + "/access_tokens"),
                body,
                r -> r.header("Authorization", "Bearer " + jwt));
        String secret = text(t, "token");
        if (secret.isEmpty()) {
            throw new GitServerException(0, "GitHub answered the installation token request without a token");
        }
        return new MintedToken("installation-" + app.installationId(), "x-access-token", secret, text(t, "expires_at"));
    }

    /**
     * With a GitHub App credential: an installation token limited to this repository with {@code
     * contents: write} only (GitHub fixes its lifetime at one hour), pushed with as {@code
     * x-access-token}; empty with a plain token (GitHub has no API that mints one from a personal
     * access token).
     */
    @Override
    public Optional<MintedToken> mintPushToken(String name, LocalDate expires) throws GitServerException {
        Optional<GitHubApp> app = GitHubApp.parse(token);
        if (app.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(installationToken(app.get(), Map.of("contents", "write")));
    }

    /** {@code DELETE /installation/token}, authenticated with the installation token itself. */
    @Override
    public void revoke(MintedToken minted) throws GitServerException {
        callAt(
                "DELETE",
                URI.create(apiUrl() + "/installation/token"),
                null,
                r -> r.header("Authorization", "Bearer " + minted.secret()));
    }

    /**
     * {@code GET /repos/{owner}/{repo}/pulls/{pull_number}} ({@code state}, {@code merged}, {@code
     * merged_at}, {@code merge_commit_sha}) and {@code GET …/pulls/{pull_number}/reviews} (the newest
     * {@code APPROVED}/{@code CHANGES_REQUESTED}/{@code DISMISSED} review of each user; approved
     * counts). GitHub has no per-pull-request approval rule.
     */
    @Override
    public MergeRequestStatus status(long number) throws GitServerException {
        JsonNode pr = call("GET", "/repos/" + repo + "/pulls/" + number, null);
        String state = pr.path("merged").asBoolean(false)
                ? "merged"
                : text(pr, "state").equals("closed") ? "closed" : "opened";
        Map<String, Boolean> latest = new LinkedHashMap<>();
        for (JsonNode review : call("GET", "/repos/" + repo + "/pulls/" + number + "/reviews?per_page=100", null)) {
            String user = review.path("user").path("login").asText("");
            String s = text(review, "state");
            if (!user.isEmpty() && (s.equals("APPROVED") || s.equals("CHANGES_REQUESTED") || s.equals("DISMISSED"))) {
                latest.put(user, s.equals("APPROVED"));
            }
        }
        String commit = text(pr, "merge_commit_sha");
        return new MergeRequestStatus(
                state,
                state.equals("merged") ? GitLabServer.instant(text(pr, "merged_at")) : null,
                state.equals("merged") && !commit.isEmpty() ? commit : null,
                latest.entrySet().stream()
                        .filter(Map.Entry::getValue)
                        .map(Map.Entry::getKey)
                        .toList());
    }

    @Override
    public MergeRequest open(Draft draft) throws GitServerException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", draft.title());
        body.put("head", draft.sourceBranch());
        body.put("base", draft.targetBranch());
        body.put("body", draft.description());
        body.put("draft", draft.draft());
        MergeRequest pr = pull(call("POST", "/repos/" + repo + "/pulls", body));
        label(pr.number(), draft);
        return pr;
    }

    @Override
    public MergeRequest update(long number, Draft draft) throws GitServerException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", draft.title());
        body.put("body", draft.description());
        MergeRequest pr = pull(call("PATCH", "/repos/" + repo + "/pulls/" + number, body));
        label(number, draft);
        return pr;
    }

    @Override
    public void comment(long number, boolean onMergeRequest, String body) throws GitServerException {
        call("POST", "/repos/" + repo + "/issues/" + number + "/comments", Map.of("body", body));
    }

    private void label(long number, Draft draft) throws GitServerException {
        if (!draft.labels().isEmpty()) {
            call("POST", "/repos/" + repo + "/issues/" + number + "/labels", Map.of("labels", draft.labels()));
        }
    }

    private static MergeRequest pull(JsonNode pr) {
        return new MergeRequest(
                pr.path("number").asLong(),
                text(pr, "html_url"),
                text(pr, "state"),
                pr.path("draft").asBoolean(false));
    }
}
