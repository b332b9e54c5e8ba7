package dev.drydock.server.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.server.egress.EgressGuard;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
        if (!draft.labels().isEmpty()) {
            body.put("labels", String.join(",", draft.labels()));
        }
        return mergeRequest(call("POST", "/projects/" + project + "/merge_requests", body));
    }

    @Override
    public MergeRequest update(long number, Draft draft) throws GitServerException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", title(draft));
        body.put("description", draft.description());
        if (!draft.labels().isEmpty()) {
            body.put("add_labels", String.join(",", draft.labels()));
        }
        return mergeRequest(call("PUT", "/projects/" + project + "/merge_requests/" + number, body));
    }

    @Override
    public void comment(long number, boolean onMergeRequest, String body) throws GitServerException {
        call(
                "POST",
                "/projects/" + project + (onMergeRequest ? "/merge_requests/" : "/issues/") + number + "/notes",
                Map.of("body", body));
    }

    /**
     * A project access token ({@code POST /projects/:id/access_tokens}) with the scope {@code
     * write_repository} only and role Developer, expiring at {@code expires}; pushed with as any
     * non-blank user name, as GitLab documents for project access tokens.
     */
    @Override
    public Optional<MintedToken> mintPushToken(String name, LocalDate expires) throws GitServerException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("scopes", List.of("write_repository"));
        body.put("access_level", 30);
        body.put("expires_at", expires.toString());
        JsonNode t = call("POST", "/projects/" + project + "/access_tokens", body);
        String secret = text(t, "token");
        if (secret.isEmpty()) {
            throw new GitServerException(0, "GitLab answered the token request without a token");
        }
        return Optional.of(new MintedToken(text(t, "id"), "drydock", secret, expires.toString()));
    }

    @Override
    public void revoke(MintedToken token) throws GitServerException {
        call("DELETE", "/projects/" + project + "/access_tokens/" + token.id(), null);
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
