package dev.drydock.server.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.server.egress.EgressGuard;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bitbucket Data Center's REST API 1.0 ({@code https://bitbucket.example/rest/api/latest}, as
 * Bitbucket Data Center 8.x/9.x documents it): {@code POST
 * /projects/{projectKey}/repos/{repositorySlug}/pull-requests} with {@code fromRef}/{@code toRef} and
 * {@code draft}, {@code PUT …/pull-requests/{pullRequestId}} with the pull request's current {@code
 * version} (read first: Bitbucket refuses a stale version with 409), comments through {@code POST
 * …/pull-requests/{pullRequestId}/comments}; authenticated with an HTTP access token ({@code
 * Authorization: Bearer}). Bitbucket Data Center has no pull-request labels, so labels are left out;
 * it has no issues either, so comments go on pull requests only.
 */
final class BitbucketServer extends HttpGitServer {
    private final String projectKey;
    private final String slug;
    private final String token;

    /** @param project {@code PROJECTKEY/repo-slug} */
    BitbucketServer(EgressGuard egress, String apiUrl, String project, String token) {
        super(egress, apiUrl);
        int slash = project.indexOf('/');
        this.projectKey = project.substring(0, slash);
        this.slug = project.substring(slash + 1);
        this.token = token;
    }

    @Override
    HttpRequest.Builder authenticate(HttpRequest.Builder request) {
        return request.header("Authorization", "Bearer " + token);
    }

    private String pulls() {
        return "/projects/" + projectKey + "/repos/" + slug + "/pull-requests";
    }

    @Override
    public MergeRequest open(Draft draft) throws GitServerException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", draft.title());
        body.put("description", draft.description());
        body.put("draft", draft.draft());
        body.put("fromRef", ref(draft.sourceBranch()));
        body.put("toRef", ref(draft.targetBranch()));
        return pull(call("POST", pulls(), body));
    }

    @Override
    public MergeRequest update(long number, Draft draft) throws GitServerException {
        JsonNode current = call("GET", pulls() + "/" + number, null);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", current.path("version").asInt());
        body.put("title", draft.title());
        body.put("description", draft.description());
        body.put("toRef", ref(draft.targetBranch()));
        return pull(call("PUT", pulls() + "/" + number, body));
    }

    @Override
    public void comment(long number, boolean onMergeRequest, String body) throws GitServerException {
        if (!onMergeRequest) {
            throw new GitServerException(0, "Bitbucket Data Center has no issues to comment on");
        }
        call("POST", pulls() + "/" + number + "/comments", Map.of("text", body));
    }

    private Map<String, Object> ref(String branch) {
        return Map.of(
                "id", "refs/heads/" + branch, "repository", Map.of("slug", slug, "project", Map.of("key", projectKey)));
    }

    private static MergeRequest pull(JsonNode pr) {
        JsonNode self = pr.path("links").path("self");
        String url = self.isArray() && !self.isEmpty() ? text(self.get(0), "href") : "";
        return new MergeRequest(
                pr.path("id").asLong(), url, text(pr, "state"), pr.path("draft").asBoolean(false));
    }
}
