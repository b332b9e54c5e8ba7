package dev.drydock.server.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.server.egress.EgressGuard;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;

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

    /** @param repo {@code owner/repo} */
    GitHubServer(EgressGuard egress, String apiUrl, String repo, String token) {
        super(egress, apiUrl);
        this.repo = repo;
        this.token = token;
    }

    @Override
    HttpRequest.Builder headers(HttpRequest.Builder request) {
        return request.header("Accept", "application/vnd.github+json").header("X-GitHub-Api-Version", "2022-11-28");
    }

    @Override
    HttpRequest.Builder authenticate(HttpRequest.Builder request) {
        return request.header("Authorization", "Bearer " + token);
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
