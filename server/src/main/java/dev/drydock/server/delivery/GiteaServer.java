package dev.drydock.server.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.server.egress.EgressGuard;
import java.net.http.HttpRequest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
        int colon = token.indexOf(':');
        if (colon > 0) {
            // username:password: basic auth (the only way Gitea lets a client create tokens)
            return request.header(
                    "Authorization",
                    "Basic "
                            + java.util.Base64.getEncoder()
                                    .encodeToString(token.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return request.header("Authorization", "token " + token);
    }

    @Override
    public MergeRequest open(Draft draft) throws GitServerException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("head", draft.sourceBranch());
        body.put("base", draft.targetBranch());
        body.put("title", title(draft));
        body.put("body", draft.description());
        List<Long> labels = labelIds(draft.labels());
        if (!labels.isEmpty()) {
            body.put("labels", labels);
        }
        return pull(call("POST", "/repos/" + repo + "/pulls", body));
    }

    @Override
    public MergeRequest update(long number, Draft draft) throws GitServerException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", title(draft));
        body.put("body", draft.description());
        List<Long> labels = labelIds(draft.labels());
        if (!labels.isEmpty()) {
            body.put("labels", labels);
        }
        return pull(call("PATCH", "/repos/" + repo + "/pulls/" + number, body));
    }

    @Override
    public void comment(long number, boolean onMergeRequest, String body) throws GitServerException {
        // pull requests are issues on Gitea: one endpoint for both
        call("POST", "/repos/" + repo + "/issues/" + number + "/comments", Map.of("body", body));
    }

    /** Gitea takes label ids: the repository's labels whose names are asked for (unknown names are left out). */
    private List<Long> labelIds(List<String> names) throws GitServerException {
        if (names.isEmpty()) {
            return List.of();
        }
        List<Long> ids = new ArrayList<>();
        for (JsonNode label : call("GET", "/repos/" + repo + "/labels?limit=50", null)) {
            if (names.contains(text(label, "name"))) {
                ids.add(label.path("id").asLong());
            }
        }
        return ids;
    }

    /**
     * A token of the integration user ({@code POST /users/{username}/tokens}, scope {@code
     * write:repository}). Gitea creates tokens only under HTTP basic auth, so this works when the
     * integration credential is {@code username:password}; Gitea's tokens have no expiry, so the token
     * is revoked right after the push ({@code DELETE /users/{username}/tokens/{id}}).
     */
    @Override
    public Optional<MintedToken> mintPushToken(String name, LocalDate expires) throws GitServerException {
        int colon = token.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        String user = token.substring(0, colon);
        JsonNode t =
                call("POST", "/users/" + user + "/tokens", Map.of("name", name, "scopes", List.of("write:repository")));
        String secret = text(t, "sha1");
        if (secret.isEmpty()) {
            throw new GitServerException(0, "Gitea answered the token request without a token");
        }
        return Optional.of(new MintedToken(text(t, "id"), user, secret, "revoked after the push"));
    }

    @Override
    public void revoke(MintedToken minted) throws GitServerException {
        call("DELETE", "/users/" + minted.username() + "/tokens/" + minted.id(), null);
    }

    /**
     * {@code GET /repos/{owner}/{repo}/pulls/{index}} ({@code state} {@code open}/{@code closed},
     * {@code merged}, {@code merged_at}, {@code merge_commit_sha}) and {@code GET
     * …/pulls/{index}/reviews} (the newest review of each user; {@code APPROVED} and neither {@code
     * dismissed} nor {@code stale} counts). Gitea has no per-pull-request approval rule: its approvals
     * whitelist belongs to the branch protection of the target branch, for every pull request.
     */
    @Override
    public MergeRequestStatus status(long number) throws GitServerException {
        JsonNode pr = call("GET", "/repos/" + repo + "/pulls/" + number, null);
        String state = pr.path("merged").asBoolean(false)
                ? "merged"
                : text(pr, "state").equals("closed") ? "closed" : "opened";
        Map<String, Boolean> latest = new LinkedHashMap<>();
        for (JsonNode review : call("GET", "/repos/" + repo + "/pulls/" + number + "/reviews", null)) {
            String user = review.path("user").path("login").asText("");
            String s = text(review, "state");
            if (user.isEmpty() || s.equals("COMMENT") || s.equals("PENDING") || s.equals("REQUEST_REVIEW")) {
                continue;
            }
            latest.put(
                    user,
                    s.equals("APPROVED")
                            && !review.path("dismissed").asBoolean(false)
                            && !review.path("stale").asBoolean(false));
        }
        String commit = text(pr, "merge_commit_sha");
        return new MergeRequestStatus(
                state,
                GitLabServer.instant(text(pr, "merged_at")),
                commit.isEmpty() ? null : commit,
                latest.entrySet().stream()
                        .filter(Map.Entry::getValue)
                        .map(Map.Entry::getKey)
                        .toList());
    }

    private static String title(Draft draft) {
        return draft.draft() ? "WIP: " + draft.title() : draft.title();
    }

    private static MergeRequest pull(JsonNode pr) {
        boolean draft = pr.path("draft").asBoolean(false) || text(pr, "title").startsWith("WIP:");
        return new MergeRequest(pr.path("number").asLong(), text(pr, "html_url"), text(pr, "state"), draft);
    }
}
