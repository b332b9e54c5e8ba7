package dev.drydock.server.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.server.egress.EgressGuard;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GitLab's REST API v4 ({@code POST /projects/:id/merge_requests}, {@code PUT
 * /projects/:id/merge_requests/:merge_request_iid}), authenticated with {@code PRIVATE-TOKEN}. A
 * draft is a title starting with {@code Draft:}, as GitLab documents.
 */
final class GitLabServer extends HttpGitServer {
    private final String project;
    private final String token;

    /** @param project the numeric project id or its full path ({@code group/project}), URL-encoded here */
    GitLabServer(EgressGuard egress, String apiUrl, String project, String token) {
        super(egress, apiUrl);
        this.project = URLEncoder.encode(project, StandardCharsets.UTF_8);
        this.token = token;
    }

    @Override
    HttpRequest.Builder authenticate(HttpRequest.Builder request) {
        return request.header("PRIVATE-TOKEN", token);
    }

    @Override
    public MergeRequest open(Draft draft) throws GitServerException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("source_branch", draft.sourceBranch());
        body.put("target_branch", draft.targetBranch());
        body.put("title", title(draft));
        body.put("description", draft.description());
        body.put("remove_source_branch", true);
        return mergeRequest(call("POST", "/projects/" + project + "/merge_requests", body));
    }

    @Override
    public MergeRequest update(long number, Draft draft) throws GitServerException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", title(draft));
        body.put("description", draft.description());
        return mergeRequest(call("PUT", "/projects/" + project + "/merge_requests/" + number, body));
    }

    private static String title(Draft draft) {
        return draft.draft() ? "Draft: " + draft.title() : draft.title();
    }

    private static MergeRequest mergeRequest(JsonNode mr) {
        boolean draft =
                mr.path("draft").asBoolean(false) || mr.path("work_in_progress").asBoolean(false);
        return new MergeRequest(mr.path("iid").asLong(), text(mr, "web_url"), text(mr, "state"), draft);
    }
}
