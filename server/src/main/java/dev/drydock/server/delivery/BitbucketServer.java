package dev.drydock.server.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.server.egress.EgressGuard;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /**
     * A repository HTTP access token ({@code PUT
     * /rest/access-tokens/1.0/projects/{projectKey}/repos/{repositorySlug}}, Bitbucket Data Center's
     * "Access Tokens" REST API) with {@code REPO_WRITE} only, expiring after one day ({@code
     * expiryDays: 1}, the shortest Bitbucket offers); the integration credential must be a token with
     * repository admin rights. Git sends it as {@code Authorization: Bearer}, the only way Bitbucket
     * accepts project and repository tokens.
     */
    @Override
    public Optional<MintedToken> mintPushToken(String name, LocalDate expires) throws GitServerException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("permissions", List.of("REPO_WRITE"));
        body.put("expiryDays", 1);
        JsonNode t = callAt("PUT", accessTokens(), body, this::authenticate);
        String secret = text(t, "token");
        if (secret.isEmpty()) {
            throw new GitServerException(0, "Bitbucket answered the token request without a token");
        }
        String expiry = t.hasNonNull("expiryDate")
                ? java.time.Instant.ofEpochMilli(t.path("expiryDate").asLong()).toString()
                : expires.toString();
        return Optional.of(new MintedToken(text(t, "id"), "", secret, expiry, true));
    }

    /** {@code DELETE /rest/access-tokens/1.0/projects/{projectKey}/repos/{repositorySlug}/{tokenId}}. */
    @Override
    public void revoke(MintedToken minted) throws GitServerException {
        callAt(
                "DELETE",
                URI.create(accessTokens() + "/" + URLEncoder.encode(minted.id(), StandardCharsets.UTF_8)),
                null,
                this::authenticate);
    }

    /** The access-tokens REST API lives next to REST API 1.0: the part of {@code apiUrl} before {@code /rest/}. */
    private URI accessTokens() {
        String api = apiUrl();
        int rest = api.indexOf("/rest/");
        String root = rest >= 0 ? api.substring(0, rest) : api;
        return URI.create(root + "/rest/access-tokens/1.0/projects/" + projectKey + "/repos/" + slug);
    }

    /**
     * {@code GET …/pull-requests/{pullRequestId}}: {@code state} {@code OPEN}, {@code MERGED} or
     * {@code DECLINED}; {@code closedDate} (epoch milliseconds) when merged; the merge commit from
     * {@code properties.mergeCommit.id}; approvals from {@code reviewers[]} with {@code approved} (or
     * {@code status: APPROVED}), named by {@code user.name}. Bitbucket Data Center has no
     * per-pull-request approval rule (its required approvers are a repository merge check).
     */
    @Override
    public MergeRequestStatus status(long number) throws GitServerException {
        JsonNode pr = call("GET", pulls() + "/" + number, null);
        String state = switch (text(pr, "state")) {
            case "MERGED" -> "merged";
            case "DECLINED" -> "closed";
            default -> "opened";
        };
        List<String> by = new java.util.ArrayList<>();
        for (JsonNode r : pr.path("reviewers")) {
            if (r.path("approved").asBoolean(false) || text(r, "status").equals("APPROVED")) {
                String u = r.path("user").path("name").asText("");
                if (!u.isEmpty()) {
                    by.add(u);
                }
            }
        }
        String commit = pr.path("properties").path("mergeCommit").path("id").asText("");
        java.time.Instant merged = state.equals("merged") && pr.hasNonNull("closedDate")
                ? java.time.Instant.ofEpochMilli(pr.path("closedDate").asLong())
                : null;
        return new MergeRequestStatus(state, merged, commit.isEmpty() ? null : commit, by);
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
