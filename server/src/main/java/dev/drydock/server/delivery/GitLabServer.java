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

    /**
     * {@code GET /projects/:id/merge_requests/:iid} (state {@code opened}, {@code closed}, {@code
     * locked} or {@code merged}; {@code merged_at}; {@code squash_commit_sha} or {@code
     * merge_commit_sha}) and {@code GET /projects/:id/merge_requests/:iid/approvals} ({@code
     * approved_by[].user.username}, GitLab Free too).
     */
    @Override
    public MergeRequestStatus status(long number) throws GitServerException {
        JsonNode mr = call("GET", "/projects/" + project + "/merge_requests/" + number, null);
        String state = switch (text(mr, "state")) {
            case "merged" -> "merged";
            case "closed" -> "closed";
            default -> "opened";
        };
        String commit =
                text(mr, "squash_commit_sha").isEmpty() ? text(mr, "merge_commit_sha") : text(mr, "squash_commit_sha");
        JsonNode approvals = call("GET", "/projects/" + project + "/merge_requests/" + number + "/approvals", null);
        List<String> by = new java.util.ArrayList<>();
        for (JsonNode a : approvals.path("approved_by")) {
            String u = a.path("user").path("username").asText("");
            if (!u.isEmpty()) {
                by.add(u);
            }
        }
        return new MergeRequestStatus(state, instant(text(mr, "merged_at")), commit.isEmpty() ? null : commit, by);
    }

    /**
     * A merge-request approval rule ({@code POST /projects/:id/merge_requests/:iid/approval_rules},
     * GitLab Premium) named {@code drydock: not the delegator} that requires one approval from the
     * project's members with at least Developer access ({@code GET /projects/:id/members/all}) other
     * than the delegator and the integration's own user ({@code GET /user}): GitLab has no rule that
     * excludes a user, so the rule lists everyone else.
     */
    @Override
    public Optional<String> requireApprovalByOthers(long number, String delegator) throws GitServerException {
        String self = text(call("GET", "/user", null), "username");
        List<Long> ids = new java.util.ArrayList<>();
        for (JsonNode m : call("GET", "/projects/" + project + "/members/all?per_page=100", null)) {
            String u = text(m, "username");
            if (m.path("access_level").asInt() >= 30 && !u.equalsIgnoreCase(delegator) && !u.equalsIgnoreCase(self)) {
                ids.add(m.path("id").asLong());
            }
        }
        if (ids.isEmpty()) {
            throw new GitServerException(
                    0, "the project has no member besides the delegator and the integration user who could approve");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "drydock: not the delegator");
        body.put("approvals_required", 1);
        body.put("user_ids", ids);
        JsonNode rule = call("POST", "/projects/" + project + "/merge_requests/" + number + "/approval_rules", body);
        return Optional.of("approval rule " + text(rule, "id") + ": one approval from " + ids.size()
                + " members other than " + delegator);
    }

    static java.time.@org.jspecify.annotations.Nullable Instant instant(String iso) {
        if (iso.isEmpty()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(iso).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
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
