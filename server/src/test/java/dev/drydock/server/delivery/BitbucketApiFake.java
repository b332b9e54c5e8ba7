package dev.drydock.server.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A contract fake of Bitbucket Data Center's REST API 1.0 (Bitbucket Data Center 8.19, under {@code
 * /rest/api/latest}), pull requests only, as its REST reference documents them: {@code POST
 * /projects/{projectKey}/repos/{repositorySlug}/pull-requests} ({@code title}, {@code description},
 * {@code draft}, {@code fromRef} and {@code toRef} with {@code id} {@code refs/heads/…} and the
 * repository) answering 201 with the pull request ({@code id}, {@code version: 0}, {@code state:
 * "OPEN"}, {@code links.self[0].href}); 409 {@code DuplicatePullRequestException} when one is open
 * for the same refs; {@code GET …/pull-requests/{pullRequestId}}; {@code PUT
 * …/pull-requests/{pullRequestId}} with the current {@code version} (a stale one is 409 {@code
 * PullRequestOutOfDateException}), answering 200 with the version increased; {@code POST
 * …/pull-requests/{pullRequestId}/comments} ({@code text}) answering 201; 401 without a valid
 * {@code Authorization: Bearer} HTTP access token. The pull request carries {@code reviewers} ({@code
 * user.name}, {@code approved}, {@code status}), {@code state} {@code MERGED} with {@code closedDate}
 * and {@code properties.mergeCommit} once merged. Besides: the Access Tokens REST API 1.0 ({@code
 * /rest/access-tokens/1.0}, Bitbucket Data Center 8.19): {@code PUT
 * /projects/{projectKey}/repos/{repositorySlug}} ({@code name}, {@code permissions} of {@code
 * REPO_READ}/{@code REPO_WRITE}/{@code REPO_ADMIN}, {@code expiryDays}) answering 200 with {@code id},
 * {@code name}, {@code createdDate}, {@code expiryDate} (epoch ms), {@code permissions} and {@code
 * token}; {@code DELETE /projects/{projectKey}/repos/{repositorySlug}/{tokenId}} answering 204.
 */
public final class BitbucketApiFake extends ApiFake {
    private static final Pattern CREATE =
            Pattern.compile("/rest/api/latest/projects/([^/]+)/repos/([^/]+)/pull-requests");
    private static final Pattern ONE =
            Pattern.compile("/rest/api/latest/projects/([^/]+)/repos/([^/]+)/pull-requests/([0-9]+)");
    private static final Pattern COMMENTS =
            Pattern.compile("/rest/api/latest/projects/([^/]+)/repos/([^/]+)/pull-requests/([0-9]+)/comments");
    private final String token;
    private final String key;
    private final String slug;
    public final Map<Long, Map<String, Object>> pulls = new ConcurrentHashMap<>();
    public final List<String> comments = new CopyOnWriteArrayList<>();

    /** Repository access tokens: id to token value, while active. */
    public final Map<String, String> accessTokens = new ConcurrentHashMap<>();
    /** Every access token request, as received. */
    public final List<JsonNode> tokenRequests = new CopyOnWriteArrayList<>();

    /** Merges pull request {@code id}: state MERGED, closedDate, the merge commit in its properties. */
    public void merge(long id, String mergeCommit) {
        Map<String, Object> pr = pulls.get(id);
        pr.put("state", "MERGED");
        pr.put("open", false);
        pr.put("closed", true);
        pr.put("closedDate", System.currentTimeMillis());
        pr.put(
                "properties",
                Map.of("mergeCommit", Map.of("id", mergeCommit, "displayId", mergeCommit.substring(0, 11))));
    }

    /** {@code user} approves pull request {@code id}. */
    @SuppressWarnings("unchecked")
    public void approve(long id, String user) {
        ((List<Object>) pulls.get(id).get("reviewers"))
                .add(Map.of(
                        "user",
                        Map.of("name", user, "slug", user),
                        "role",
                        "REVIEWER",
                        "approved",
                        true,
                        "status",
                        "APPROVED"));
    }

    private Answer accessToken(Received r) {
        String repoTokens = "/rest/access-tokens/1.0/projects/" + key + "/repos/" + slug;
        if (r.method().equals("PUT") && r.path().equals(repoTokens)) {
            JsonNode b = r.json();
            tokenRequests.add(b);
            if (!b.hasNonNull("name") || !b.path("permissions").isArray()) {
                return error(
                        400,
                        "com.atlassian.bitbucket.validation.ArgumentValidationException",
                        "name and permissions are required");
            }
            for (JsonNode p : b.path("permissions")) {
                if (!List.of("REPO_READ", "REPO_WRITE", "REPO_ADMIN").contains(p.asText())) {
                    return error(
                            400,
                            "com.atlassian.bitbucket.validation.ArgumentValidationException",
                            "A repository token can only have repository permissions");
                }
            }
            String id = String.valueOf(100_000_000_000L + accessTokens.size() + tokenRequests.size());
            String value = "BBDC-" + java.util.UUID.randomUUID().toString().replace("-", "");
            accessTokens.put(id, value);
            long now = System.currentTimeMillis();
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("id", id);
            t.put("createdDate", now);
            if (b.hasNonNull("expiryDays")) {
                t.put("expiryDate", now + b.get("expiryDays").asLong() * 86_400_000L);
                t.put("expiryDays", b.get("expiryDays").asInt());
            }
            t.put("name", b.get("name").asText());
            t.put("permissions", b.get("permissions"));
            t.put("token", value);
            return new Answer(200, t);
        }
        if (r.method().equals("DELETE") && r.path().startsWith(repoTokens + "/")) {
            return accessTokens.remove(r.path().substring(repoTokens.length() + 1)) == null
                    ? error(404, "com.atlassian.bitbucket.auth.NoSuchAccessTokenException", "No such token")
                    : new Answer(204, Map.of());
        }
        return error(404, "com.atlassian.bitbucket.NoSuchResourceException", "not found");
    }

    public BitbucketApiFake(String token, String key, String slug) throws java.io.IOException {
        this.token = token;
        this.key = key;
        this.slug = slug;
    }

    private static Answer error(int status, String exception, String message) {
        return new Answer(
                status,
                Map.of("errors", List.of(Map.of("context", "", "message", message, "exceptionName", exception))));
    }

    @Override
    Answer answer(Received r) {
        if (!("Bearer " + token).equals(r.header("Authorization"))) {
            return error(
                    401,
                    "com.atlassian.bitbucket.auth.IncorrectPasswordAuthenticationException",
                    "Authentication failed. Please check your credentials and try again.");
        }
        if (r.path().startsWith("/rest/access-tokens/1.0/")) {
            return accessToken(r);
        }
        Matcher create = CREATE.matcher(r.path());
        Matcher one = ONE.matcher(r.path());
        Matcher comment = COMMENTS.matcher(r.path());
        if (create.matches()
                && (!create.group(1).equals(key) || !create.group(2).equals(slug))) {
            return error(
                    404,
                    "com.atlassian.bitbucket.repository.NoSuchRepositoryException",
                    "Repository " + key + "/" + slug + " does not exist.");
        }
        if (r.method().equals("POST") && create.matches()) {
            JsonNode b = r.json();
            if (!b.hasNonNull("title")
                    || !b.path("fromRef").hasNonNull("id")
                    || !b.path("toRef").hasNonNull("id")) {
                return error(
                        400,
                        "com.atlassian.bitbucket.validation.ArgumentValidationException",
                        "title, fromRef and toRef are required");
            }
            for (String side : List.of("fromRef", "toRef")) {
                JsonNode repo = b.path(side).path("repository");
                if (!repo.path("slug").asText().equals(slug)
                        || !repo.path("project").path("key").asText().equals(key)) {
                    return error(
                            400,
                            "com.atlassian.bitbucket.validation.ArgumentValidationException",
                            side + ".repository must name the repository");
                }
            }
            String from = b.path("fromRef").path("id").asText();
            String to = b.path("toRef").path("id").asText();
            if (pulls.values().stream()
                    .anyMatch(p -> from.equals(ref(p, "fromRef"))
                            && to.equals(ref(p, "toRef"))
                            && p.get("state").equals("OPEN"))) {
                return error(
                        409,
                        "com.atlassian.bitbucket.pull.DuplicatePullRequestException",
                        "Only one pull request may be open for a given source and target branch");
            }
            long id = pulls.size() + 1;
            Map<String, Object> pr = new LinkedHashMap<>();
            pr.put("id", id);
            pr.put("version", 0);
            pr.put("title", b.get("title").asText());
            pr.put("description", b.path("description").asText(""));
            pr.put("state", "OPEN");
            pr.put("open", true);
            pr.put("closed", false);
            pr.put("draft", b.path("draft").asBoolean(false));
            pr.put("reviewers", new java.util.concurrent.CopyOnWriteArrayList<>());
            pr.put("fromRef", Map.of("id", from, "displayId", from.replace("refs/heads/", "")));
            pr.put("toRef", Map.of("id", to, "displayId", to.replace("refs/heads/", "")));
            pr.put(
                    "links",
                    Map.of(
                            "self",
                            List.of(Map.of(
                                    "href",
                                    base("") + "/projects/" + key + "/repos/" + slug + "/pull-requests/" + id))));
            pulls.put(id, pr);
            return new Answer(201, pr);
        }
        if (one.matches()) {
            Map<String, Object> pr = pulls.get(Long.parseLong(one.group(3)));
            if (pr == null) {
                return error(
                        404,
                        "com.atlassian.bitbucket.pull.NoSuchPullRequestException",
                        "Pull request " + one.group(3) + " does not exist in " + key + "/" + slug + ".");
            }
            if (r.method().equals("GET")) {
                return new Answer(200, pr);
            }
            if (r.method().equals("PUT")) {
                JsonNode b = r.json();
                if (!b.has("version") || b.get("version").asInt() != (Integer) pr.get("version")) {
                    return error(
                            409,
                            "com.atlassian.bitbucket.pull.PullRequestOutOfDateException",
                            "You are attempting to modify a pull request based on out-of-date information.");
                }
                if (b.hasNonNull("title")) {
                    pr.put("title", b.get("title").asText());
                }
                if (b.hasNonNull("description")) {
                    pr.put("description", b.get("description").asText());
                }
                pr.put("version", (Integer) pr.get("version") + 1);
                return new Answer(200, pr);
            }
        }
        if (r.method().equals("POST") && comment.matches()) {
            comments.add(comment.group(3) + ": " + r.json().path("text").asText());
            return new Answer(
                    201,
                    Map.of("id", 1, "version", 0, "text", r.json().path("text").asText()));
        }
        return error(404, "com.atlassian.bitbucket.NoSuchResourceException", "not found");
    }

    private static Object ref(Map<String, Object> pr, String side) {
        return ((Map<?, ?>) pr.get(side)).get("id");
    }
}
