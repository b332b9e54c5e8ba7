package dev.drydock.server.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A contract fake of Gitea's REST API v1 (Gitea 1.22, the same on Forgejo), pull requests only, as
 * its Swagger reference documents them: {@code POST /repos/{owner}/{repo}/pulls} with a
 * {@code CreatePullRequestOption} ({@code head}, {@code base}, {@code title}, {@code body}) answering
 * 201 with a {@code PullRequest} ({@code id}, {@code number}, {@code html_url}, {@code state: "open"},
 * {@code draft} from the {@code WIP:} title prefix); 409 when a pull request for the same head and
 * base exists; {@code PATCH /repos/{owner}/{repo}/pulls/{index}} with an
 * {@code EditPullRequestOption}, answering 201; 401 without a valid {@code Authorization: token}.
 * Besides pulls: {@code POST /repos/{owner}/{repo}/issues/{index}/comments} ({@code CreateIssueCommentOption},
 * 201 with the {@code Comment}), {@code GET /repos/{owner}/{repo}/labels} (the repository's {@code Label}s),
 * and access tokens, which Gitea creates only under HTTP basic auth: {@code POST
 * /users/{username}/tokens} ({@code CreateAccessTokenOption}: {@code name}, {@code scopes}; 201 with
 * {@code id}, {@code name}, {@code sha1}, {@code token_last_eight}) and {@code DELETE
 * /users/{username}/tokens/{token}} (204). Reads: {@code GET /repos/{owner}/{repo}/pulls/{index}}
 * ({@code merged}, {@code merged_at}, {@code merge_commit_sha}) and {@code GET
 * …/pulls/{index}/reviews} ({@code PullReview}: {@code user.login}, {@code state}, {@code dismissed},
 * {@code stale}).
 */
public final class GiteaApiFake extends ApiFake {
    private static final Pattern CREATE = Pattern.compile("/api/v1/repos/([^/]+/[^/]+)/pulls");
    private static final Pattern EDIT = Pattern.compile("/api/v1/repos/([^/]+/[^/]+)/pulls/([0-9]+)");
    private final String token;
    private final String repo;
    public final Map<Long, Map<String, Object>> pulls = new ConcurrentHashMap<>();
    private static final Pattern COMMENTS = Pattern.compile("/api/v1/repos/([^/]+/[^/]+)/issues/([0-9]+)/comments");
    private static final Pattern LABELS = Pattern.compile("/api/v1/repos/([^/]+/[^/]+)/labels");
    private static final Pattern TOKENS = Pattern.compile("/api/v1/users/([^/]+)/tokens");
    private static final Pattern TOKEN = Pattern.compile("/api/v1/users/([^/]+)/tokens/([0-9]+)");
    /** Comments written, in order: "3: text". */
    public final List<String> comments = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The repository's labels: name to id. */
    public final Map<String, Long> labels = new ConcurrentHashMap<>(Map.of("drydock", 7L, "bug", 8L));
    /** The basic-auth user and password that may create tokens (null: none). */
    public volatile String basicUser;

    public volatile String basicPassword;
    /** Access tokens: id to value, while active. */
    public final Map<Long, String> accessTokens = new ConcurrentHashMap<>();

    /** Reviews per pull request number, as {@code PullReview}s. */
    public final Map<Long, List<Map<String, Object>>> reviews = new ConcurrentHashMap<>();

    private static final Pattern REVIEWS = Pattern.compile("/api/v1/repos/([^/]+/[^/]+)/pulls/([0-9]+)/reviews");

    /** Merges pull request {@code number} as Gitea would: closed, merged, with its merge commit. */
    public void merge(long number, String mergeCommit) {
        Map<String, Object> pr = pulls.get(number);
        pr.put("state", "closed");
        pr.put("merged", true);
        pr.put(
                "merged_at",
                java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).toString());
        pr.put("merge_commit_sha", mergeCommit);
    }

    /** {@code user} approves pull request {@code number}. */
    public void approve(long number, String user) {
        reviews.computeIfAbsent(number, n -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .add(Map.of(
                        "id",
                        90 + number,
                        "user",
                        Map.of("login", user),
                        "state",
                        "APPROVED",
                        "dismissed",
                        false,
                        "stale",
                        false));
    }

    public GiteaApiFake(String token, String repo) throws java.io.IOException {
        this.token = token;
        this.repo = repo;
    }

    @Override
    Answer answer(Received r) {
        boolean basic = basicUser != null
                && ("Basic "
                                + java.util.Base64.getEncoder()
                                        .encodeToString((basicUser + ":" + basicPassword)
                                                .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                        .equals(r.header("Authorization"));
        boolean minted = accessTokens.values().stream().anyMatch(t -> ("token " + t).equals(r.header("Authorization")));
        if (!basic && !minted && !("token " + token).equals(r.header("Authorization"))) {
            return new Answer(401, Map.of("message", "token is required", "url", base("/api/swagger")));
        }
        Matcher comment = COMMENTS.matcher(r.path());
        Matcher labelList = LABELS.matcher(r.path());
        Matcher tokens = TOKENS.matcher(r.path());
        Matcher oneToken = TOKEN.matcher(r.path());
        if (r.method().equals("POST") && comment.matches()) {
            String body = r.json().path("body").asText("");
            comments.add(comment.group(2) + ": " + body);
            return new Answer(
                    201, Map.of("id", 70 + comments.size(), "body", body, "user", Map.of("login", "drydock-bot")));
        }
        if (r.method().equals("GET") && labelList.matches()) {
            return new Answer(
                    200,
                    labels.entrySet().stream()
                            .map(e -> Map.of("id", e.getValue(), "name", e.getKey(), "color", "e11d21"))
                            .toList());
        }
        if (r.method().equals("POST") && tokens.matches()) {
            if (!basic || !tokens.group(1).equals(basicUser)) {
                return new Answer(401, Map.of("message", "auth required"));
            }
            long id = 40 + accessTokens.size() + 1;
            String sha1 = java.util.HexFormat.of()
                    .formatHex(java.util.UUID.randomUUID().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .substring(0, 40);
            accessTokens.put(id, sha1);
            return new Answer(
                    201,
                    Map.of(
                            "id", id,
                            "name", r.json().path("name").asText(),
                            "sha1", sha1,
                            "token_last_eight", sha1.substring(32),
                            "scopes", r.json().path("scopes")));
        }
        if (r.method().equals("DELETE") && oneToken.matches()) {
            if (!basic) {
                return new Answer(401, Map.of("message", "auth required"));
            }
            return accessTokens.remove(Long.parseLong(oneToken.group(2))) == null
                    ? new Answer(404, Map.of("message", "The target couldn't be found."))
                    : new Answer(204, Map.of());
        }
        Matcher create = CREATE.matcher(r.path());
        Matcher edit = EDIT.matcher(r.path());
        Matcher reviewsOf = REVIEWS.matcher(r.path());
        if (r.method().equals("GET") && reviewsOf.matches()) {
            return new Answer(200, reviews.getOrDefault(Long.parseLong(reviewsOf.group(2)), List.of()));
        }
        if (r.method().equals("GET") && edit.matches()) {
            Map<String, Object> pr = pulls.get(Long.parseLong(edit.group(2)));
            return pr == null
                    ? new Answer(404, Map.of("message", "The target couldn't be found.", "errors", List.of()))
                    : new Answer(200, pr);
        }
        if (r.method().equals("POST") && create.matches()) {
            if (!repo.equals(create.group(1))) {
                return new Answer(404, Map.of("message", "The target couldn't be found.", "errors", List.of()));
            }
            JsonNode b = r.json();
            if (!b.hasNonNull("head") || !b.hasNonNull("base") || !b.hasNonNull("title")) {
                return new Answer(422, Map.of("message", "Validation failed: head, base and title are required"));
            }
            String head = b.get("head").asText();
            String baseBranch = b.get("base").asText();
            if (pulls.values().stream()
                    .anyMatch(p -> ref(p, "head").equals(head)
                            && ref(p, "base").equals(baseBranch)
                            && p.get("state").equals("open"))) {
                return new Answer(409, Map.of("message", "pull request already exists for these targets"));
            }
            long number = pulls.size() + 1;
            Map<String, Object> pr = new LinkedHashMap<>();
            pr.put("id", 500 + number);
            pr.put("number", number);
            pr.put("state", "open");
            pr.put("merged", false);
            pr.put("html_url", base("") + "/" + repo + "/pulls/" + number);
            pr.put("url", base("") + "/" + repo + "/pulls/" + number);
            pr.put("head", Map.of("ref", head, "label", head));
            pr.put("base", Map.of("ref", baseBranch, "label", baseBranch));
            if (b.path("labels").isArray()) {
                List<Object> named = new java.util.ArrayList<>();
                b.get("labels")
                        .forEach(id -> labels.forEach((name, lid) -> {
                            if (lid == id.asLong()) {
                                named.add(Map.of("id", lid, "name", name));
                            }
                        }));
                pr.put("labels", named);
            }
            apply(pr, b);
            pulls.put(number, pr);
            return new Answer(201, pr);
        }
        if (r.method().equals("PATCH") && edit.matches()) {
            Map<String, Object> pr = pulls.get(Long.parseLong(edit.group(2)));
            if (pr == null) {
                return new Answer(404, Map.of("message", "The target couldn't be found.", "errors", List.of()));
            }
            apply(pr, r.json());
            return new Answer(201, pr);
        }
        return new Answer(404, Map.of("message", "not found"));
    }

    private static Object ref(Map<String, Object> pr, String side) {
        return ((Map<?, ?>) pr.get(side)).get("ref");
    }

    private static void apply(Map<String, Object> pr, JsonNode b) {
        if (b.hasNonNull("title")) {
            String title = b.get("title").asText();
            pr.put("title", title);
            pr.put("draft", title.startsWith("WIP:") || title.startsWith("[WIP]"));
        }
        if (b.hasNonNull("body")) {
            pr.put("body", b.get("body").asText());
        }
    }
}
