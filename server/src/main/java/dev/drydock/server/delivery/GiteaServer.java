package dev.drydock.server.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.server.egress.EgressGuard;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gitea's (and Forgejo's) REST API v1 ({@code POST /repos/{owner}/{repo}/pulls}, {@code PATCH
 * /repos/{owner}/{repo}/pulls/{index}}), authenticated with {@code Authorization: token}. A draft is a
 * title starting with {@code WIP:}, Gitea's default work-in-progress prefix.
 */
final class GiteaServer extends HttpGitServer {
    private final String repo;
    private final String token;

    /** @param repo {@code owner/repo} */
    GiteaServer(EgressGuard egress, String apiUrl, String repo, String token) {
        super(egress, apiUrl);
        this.repo = repo;
        this.token = token;
    }

    @Override
    HttpRequest.Builder authenticate(HttpRequest.Builder request) {
        return request.header("Authorization", "token " + token);
    }

    @Override
    public MergeRequest open(Draft draft) throws GitServerException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("head", draft.sourceBranch());
        body.put("base", draft.targetBranch());
        body.put("title", title(draft));
        body.put("body", draft.description());
        return pull(call("POST", "/repos/" + repo + "/pulls", body));
    }

    @Override
    public MergeRequest update(long number, Draft draft) throws GitServerException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", title(draft));
        body.put("body", draft.description());
        return pull(call("PATCH", "/repos/" + repo + "/pulls/" + number, body));
    }

    private static String title(Draft draft) {
        return draft.draft() ? "WIP: " + draft.title() : draft.title();
    }

    private static MergeRequest pull(JsonNode pr) {
        boolean draft = pr.path("draft").asBoolean(false) || text(pr, "title").startsWith("WIP:");
        return new MergeRequest(pr.path("number").asLong(), text(pr, "html_url"), text(pr, "state"), draft);
    }
}
