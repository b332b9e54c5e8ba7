package dev.drydock.server.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A contract fake of GitLab's REST API v4, merge requests only, as GitLab 17.x documents it
 * ("Merge requests API"): {@code POST /projects/:id/merge_requests} with {@code source_branch},
 * {@code target_branch} and {@code title} required, answering 201 with the merge request
 * ({@code id}, {@code iid}, {@code web_url}, {@code state: "opened"}, {@code draft} from the
 * {@code Draft:} title prefix); 409 when an open merge request exists for the source branch;
 * {@code PUT /projects/:id/merge_requests/:merge_request_iid} answering 200; 401
 * {@code {"message":"401 Unauthorized"}} without a valid {@code PRIVATE-TOKEN}. Besides merge
 * requests: notes ({@code POST /projects/:id/issues/:issue_iid/notes} and {@code
 * …/merge_requests/:merge_request_iid/notes}, "Notes API", answering 201 with the note) and project
 * access tokens ("Project access tokens API": {@code POST /projects/:id/access_tokens} with {@code
 * name}, {@code scopes}, {@code access_level} and a required {@code expires_at} at most 365 days
 * ahead, answering 201 with the token's {@code id} and {@code token}; {@code DELETE
 * /projects/:id/access_tokens/:token_id} answering 204). Reads: {@code GET
 * /projects/:id/merge_requests/:merge_request_iid} ({@code state} {@code opened}/{@code merged}/{@code
 * closed}, {@code merged_at}, {@code merge_commit_sha}, {@code squash_commit_sha}), {@code GET
 * …/approvals} ("Merge request approvals API": {@code approved_by[].user.username}), {@code GET /user},
 * {@code GET /projects/:id/members/all} (members with {@code id}, {@code username}, {@code
 * access_level}); and {@code POST …/merge_requests/:merge_request_iid/approval_rules} ({@code name},
 * {@code approvals_required}, {@code user_ids}; 201 with the rule; 403 when the instance has no
 * Premium licence).
 */
public final class GitLabApiFake extends ApiFake {
    private static final Pattern CREATE = Pattern.compile("/api/v4/projects/([^/]+)/merge_requests");
    private static final Pattern UPDATE = Pattern.compile("/api/v4/projects/([^/]+)/merge_requests/([0-9]+)");
    private static final Pattern NOTES =
            Pattern.compile("/api/v4/projects/([^/]+)/(issues|merge_requests)/([0-9]+)/notes");
    private static final Pattern TOKENS = Pattern.compile("/api/v4/projects/([^/]+)/access_tokens");
    private static final Pattern TOKEN = Pattern.compile("/api/v4/projects/([^/]+)/access_tokens/([0-9]+)");
    private static final Pattern ISSUE = Pattern.compile("/api/v4/projects/([^/]+)/issues/([0-9]+)");
    /** Issues by iid ("Issues API": {@code iid}, {@code title}, {@code description}, {@code web_url}). */
    public final Map<Long, Map<String, Object>> issues = new ConcurrentHashMap<>();
    /** Notes of issues by iid, as {@code GET …/issues/:iid/notes} lists them ({@code system} notes among them). */
    public final Map<Long, List<Map<String, Object>>> issueNotes = new ConcurrentHashMap<>();
    /** Notes written, in order: "issues/3: text" or "merge_requests/1: text". */
    public final List<String> notes = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Project access tokens: id to token, while active. */
    public final Map<Long, String> accessTokens = new ConcurrentHashMap<>();
    /** Every token ever minted (revoked ones too), with its expiry. */
    public final Map<Long, String> mintedExpiries = new ConcurrentHashMap<>();
    /** Whether this instance offers project access tokens (GitLab Free on gitlab.com does not; self-managed does). */
    public volatile boolean accessTokensEnabled = true;

    private final String token;
    private final String project;
    public final Map<Long, Map<String, Object>> mergeRequests = new ConcurrentHashMap<>();

    /** Approvals per merge request iid: the usernames. */
    public final Map<Long, List<String>> approvals = new ConcurrentHashMap<>();
    /** Approval rules per merge request iid, as created. */
    public final Map<Long, List<JsonNode>> approvalRules = new ConcurrentHashMap<>();
    /** Project members: username to id (all Developers or more). */
    public final Map<String, Long> members = new ConcurrentHashMap<>(Map.of("rita", 11L, "sam", 12L));
    /** The token's own user. */
    public volatile String self = "project_42_bot";
    /** Whether the instance has merge-request approval rules (GitLab Premium). */
    public volatile boolean premium = true;

    private static final Pattern APPROVALS =
            Pattern.compile("/api/v4/projects/([^/]+)/merge_requests/([0-9]+)/approvals");
    private static final Pattern RULES =
            Pattern.compile("/api/v4/projects/([^/]+)/merge_requests/([0-9]+)/approval_rules");

    /** Merges merge request {@code iid} as GitLab would: state merged, merged_at, merge_commit_sha. */
    public void merge(long iid, String mergeCommit) {
        Map<String, Object> mr = mergeRequests.get(iid);
        mr.put("state", "merged");
        mr.put(
                "merged_at",
                java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).toString());
        mr.put("merge_commit_sha", mergeCommit);
    }

    public GitLabApiFake(String token, String project) throws java.io.IOException {
        this.token = token;
        this.project = project;
    }

    @Override
    Answer answer(Received r) {
        if (!token.equals(r.header("PRIVATE-TOKEN"))) {
            return new Answer(401, Map.of("message", "401 Unauthorized"));
        }
        Matcher approvalsOf = APPROVALS.matcher(r.path());
        Matcher rules = RULES.matcher(r.path());
        if (r.method().equals("GET") && r.path().equals("/api/v4/user")) {
            return new Answer(200, Map.of("id", 99, "username", self, "bot", true));
        }
        if (r.method().equals("GET") && r.path().matches("/api/v4/projects/[^/]+/members/all")) {
            return new Answer(
                    200,
                    members.entrySet().stream()
                            .map(e -> Map.of("id", e.getValue(), "username", e.getKey(), "access_level", 30))
                            .toList());
        }
        if (r.method().equals("GET") && approvalsOf.matches()) {
            List<String> by = approvals.getOrDefault(Long.parseLong(approvalsOf.group(2)), List.of());
            return new Answer(
                    200,
                    Map.of(
                            "iid",
                            Long.parseLong(approvalsOf.group(2)),
                            "approved",
                            !by.isEmpty(),
                            "approved_by",
                            by.stream()
                                    .map(u -> Map.of("user", Map.of("username", u)))
                                    .toList()));
        }
        if (r.method().equals("POST") && rules.matches()) {
            if (!premium) {
                return new Answer(403, Map.of("message", "403 Forbidden"));
            }
            JsonNode b = r.json();
            if (!b.hasNonNull("name") || !b.hasNonNull("approvals_required")) {
                return new Answer(400, Map.of("error", "name, approvals_required are missing"));
            }
            approvalRules
                    .computeIfAbsent(
                            Long.parseLong(rules.group(2)), k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                    .add(b);
            return new Answer(
                    201,
                    Map.of(
                            "id",
                            60 + approvalRules.size(),
                            "name",
                            b.get("name").asText(),
                            "approvals_required",
                            b.get("approvals_required").asInt()));
        }
        if (r.method().equals("GET") && UPDATE.matcher(r.path()).matches()) {
            Map<String, Object> mr =
                    mergeRequests.get(Long.parseLong(r.path().substring(r.path().lastIndexOf('/') + 1)));
            return mr == null ? new Answer(404, Map.of("message", "404 Not found")) : new Answer(200, mr);
        }
        Matcher issue = ISSUE.matcher(r.path());
        if (r.method().equals("GET") && issue.matches()) {
            Map<String, Object> found = issues.get(Long.parseLong(issue.group(2)));
            return found == null ? new Answer(404, Map.of("message", "404 Issue Not Found")) : new Answer(200, found);
        }
        Matcher issueNotesOf = NOTES.matcher(r.path());
        if (r.method().equals("GET")
                && issueNotesOf.matches()
                && issueNotesOf.group(2).equals("issues")) {
            return new Answer(200, issueNotes.getOrDefault(Long.parseLong(issueNotesOf.group(3)), List.of()));
        }
        Matcher create = CREATE.matcher(r.path());
        Matcher update = UPDATE.matcher(r.path());
        Matcher notesOf = NOTES.matcher(r.path());
        Matcher tokens = TOKENS.matcher(r.path());
        Matcher oneToken = TOKEN.matcher(r.path());
        if (r.method().equals("POST") && notesOf.matches()) {
            String body = r.json().path("body").asText("");
            if (body.isEmpty()) {
                return new Answer(400, Map.of("message", Map.of("note", List.of("can't be blank"))));
            }
            notes.add(notesOf.group(2) + "/" + notesOf.group(3) + ": " + body);
            return new Answer(
                    201,
                    Map.of(
                            "id",
                            300 + notes.size(),
                            "body",
                            body,
                            "noteable_type",
                            notesOf.group(2).equals("issues") ? "Issue" : "MergeRequest"));
        }
        if (r.method().equals("POST") && tokens.matches()) {
            if (!accessTokensEnabled) {
                return new Answer(404, Map.of("message", "404 Not Found"));
            }
            JsonNode b = r.json();
            if (!b.hasNonNull("name") || !b.path("scopes").isArray() || !b.hasNonNull("expires_at")) {
                return new Answer(400, Map.of("error", "name, scopes, expires_at are missing"));
            }
            java.time.LocalDate expires =
                    java.time.LocalDate.parse(b.get("expires_at").asText());
            java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
            if (expires.isBefore(today) || expires.isAfter(today.plusDays(365))) {
                return new Answer(400, Map.of("message", Map.of("expires_at", List.of("is invalid"))));
            }
            long id = 900 + mintedExpiries.size() + 1;
            String value = "glpat-minted-" + id + "-" + java.util.UUID.randomUUID();
            accessTokens.put(id, value);
            mintedExpiries.put(id, expires.toString());
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("id", id);
            t.put("name", b.get("name").asText());
            t.put("scopes", b.get("scopes"));
            t.put("access_level", b.path("access_level").asInt(40));
            t.put("expires_at", expires.toString());
            t.put("active", true);
            t.put("revoked", false);
            t.put("token", value);
            return new Answer(201, t);
        }
        if (r.method().equals("DELETE") && oneToken.matches()) {
            return accessTokens.remove(Long.parseLong(oneToken.group(2))) == null
                    ? new Answer(404, Map.of("message", "404 Not Found"))
                    : new Answer(204, Map.of());
        }
        if (r.method().equals("POST") && create.matches()) {
            if (!project.equals(URLDecoder.decode(create.group(1), StandardCharsets.UTF_8))) {
                return new Answer(404, Map.of("message", "404 Project Not Found"));
            }
            JsonNode b = r.json();
            for (String required : List.of("source_branch", "target_branch", "title")) {
                if (!b.hasNonNull(required)) {
                    return new Answer(400, Map.of("message", required + " is missing"));
                }
            }
            String source = b.get("source_branch").asText();
            if (mergeRequests.values().stream()
                    .anyMatch(m -> m.get("source_branch").equals(source)
                            && m.get("state").equals("opened"))) {
                return new Answer(
                        409,
                        Map.of(
                                "message",
                                List.of("Another open merge request already exists for this source branch: !1")));
            }
            long iid = mergeRequests.size() + 1;
            Map<String, Object> mr = new LinkedHashMap<>();
            mr.put("id", 1000 + iid);
            mr.put("iid", iid);
            mr.put("project_id", 42);
            mr.put("source_branch", source);
            mr.put("target_branch", b.get("target_branch").asText());
            mr.put("state", "opened");
            mr.put("web_url", base("") + "/" + project + "/-/merge_requests/" + iid);
            edit(mr, b);
            if (b.hasNonNull("labels")) {
                mr.put("labels", List.of(b.get("labels").asText().split(",")));
            }
            mergeRequests.put(iid, mr);
            return new Answer(201, mr);
        }
        if (r.method().equals("PUT") && update.matches()) {
            Map<String, Object> mr = mergeRequests.get(Long.parseLong(update.group(2)));
            if (mr == null) {
                return new Answer(404, Map.of("message", "404 Not found"));
            }
            edit(mr, r.json());
            return new Answer(200, mr);
        }
        return new Answer(404, Map.of("error", "404 Not Found"));
    }

    private static void edit(Map<String, Object> mr, JsonNode b) {
        if (b.hasNonNull("title")) {
            String title = b.get("title").asText();
            mr.put("title", title);
            boolean draft = title.matches("(?i)^(\\[draft\\]|\\(draft\\)|draft:|draft\\s-|draft\\s).*");
            mr.put("draft", draft);
            mr.put("work_in_progress", draft);
        }
        if (b.hasNonNull("description")) {
            mr.put("description", b.get("description").asText());
        }
    }
}
