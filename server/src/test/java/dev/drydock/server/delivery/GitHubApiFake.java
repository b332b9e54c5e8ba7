package dev.drydock.server.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A contract fake of GitHub Enterprise Server's REST API (GHES 3.14, API version {@code 2022-11-28},
 * served under {@code /api/v3}), as "REST API endpoints for pull requests", "… for labels" and "… for
 * issue comments" document it: {@code POST /repos/{owner}/{repo}/pulls} ({@code title}, {@code head},
 * {@code base} required; {@code body}, {@code draft}) answering 201 with the pull request ({@code
 * number}, {@code html_url}, {@code state: "open"}, {@code draft}), 422 "Validation Failed" when a pull
 * request for that head exists; {@code PATCH /repos/{owner}/{repo}/pulls/{pull_number}} answering 200;
 * {@code POST /repos/{owner}/{repo}/issues/{issue_number}/labels} ({@code labels}) answering 200 with
 * the labels; {@code POST …/issues/{issue_number}/comments} answering 201; 401 "Bad
 * credentials" without a valid {@code Authorization: Bearer} (or {@code token}). Besides: {@code GET
 * /repos/{owner}/{repo}/pulls/{pull_number}} (with {@code merged}, {@code merged_at}, {@code
 * merge_commit_sha}) and {@code GET …/pulls/{pull_number}/reviews} ("REST API endpoints for pull
 * request reviews": {@code user.login}, {@code state}); and GitHub Apps ("REST API endpoints for GitHub
 * Apps", "Authenticating as a GitHub App"): {@code POST /app/installations/{installation_id}/access_tokens}
 * authenticated by the app's JWT (RS256 under the app's key, {@code iss} the app id, {@code exp} at
 * most 10 minutes after {@code iat}, not expired; else 401 "A JSON web token could not be decoded"),
 * with {@code repositories} and {@code permissions}, answering 201 with {@code token} ({@code ghs_…}),
 * {@code expires_at} one hour ahead, {@code permissions}, {@code repository_selection: "selected"};
 * the token then authenticates API calls and git pushes until {@code DELETE /installation/token}
 * (authenticated by itself) answers 204.
 */
public final class GitHubApiFake extends ApiFake {
    private static final Pattern CREATE = Pattern.compile("/api/v3/repos/([^/]+/[^/]+)/pulls");
    private static final Pattern EDIT = Pattern.compile("/api/v3/repos/([^/]+/[^/]+)/pulls/([0-9]+)");
    private static final Pattern LABELS = Pattern.compile("/api/v3/repos/([^/]+/[^/]+)/issues/([0-9]+)/labels");
    private static final Pattern COMMENTS = Pattern.compile("/api/v3/repos/([^/]+/[^/]+)/issues/([0-9]+)/comments");
    private static final Pattern REVIEWS = Pattern.compile("/api/v3/repos/([^/]+/[^/]+)/pulls/([0-9]+)/reviews");
    private final String token;
    private final String repo;
    public final Map<Long, Map<String, Object>> pulls = new ConcurrentHashMap<>();
    public final List<String> comments = new CopyOnWriteArrayList<>();

    /** Installation tokens: value to the permissions they were minted with, while not revoked. */
    public final Map<String, JsonNode> installationTokens = new ConcurrentHashMap<>();
    /** Every installation token request, as received. */
    public final List<JsonNode> tokenRequests = new CopyOnWriteArrayList<>();
    /** Reviews per pull request number: {@code {"user": {"login": …}, "state": "APPROVED"}}. */
    public final Map<Long, List<Map<String, Object>>> reviews = new ConcurrentHashMap<>();
    /** The GitHub App: its id, its installation, and its public key (null: no app). */
    public volatile String appId;

    public volatile String installationId;
    public volatile java.security.PublicKey appKey;

    public GitHubApiFake(String token, String repo) throws java.io.IOException {
        this.token = token;
        this.repo = repo;
    }

    /** Merges pull request {@code number} as GitHub would: closed, merged, with its merge commit. */
    public void merge(long number, String mergeCommit) {
        Map<String, Object> pr = pulls.get(number);
        pr.put("state", "closed");
        pr.put("merged", true);
        pr.put("merged_at", java.time.Instant.now().toString());
        pr.put("merge_commit_sha", mergeCommit);
    }

    private Answer app(Received r) {
        String auth = r.header("Authorization");
        if (appKey == null || auth == null || !auth.startsWith("Bearer ") || !validJwt(auth.substring(7))) {
            return new Answer(
                    401,
                    Map.of(
                            "message",
                            "A JSON web token could not be decoded",
                            "documentation_url",
                            "https://docs.github.com/enterprise-server@3.14/rest"));
        }
        if (!r.path().equals("/api/v3/app/installations/" + installationId + "/access_tokens")) {
            return new Answer(404, Map.of("message", "Not Found"));
        }
        JsonNode b = r.json();
        tokenRequests.add(b);
        String value = "ghs_" + java.util.UUID.randomUUID().toString().replace("-", "");
        installationTokens.put(value, b.path("permissions"));
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("token", value);
        t.put("expires_at", java.time.Instant.now().plusSeconds(3600).toString());
        t.put("permissions", b.path("permissions"));
        t.put("repository_selection", "selected");
        return new Answer(201, t);
    }

    private boolean validJwt(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return false;
        }
        try {
            java.security.Signature rs256 = java.security.Signature.getInstance("SHA256withRSA");
            rs256.initVerify(appKey);
            rs256.update((parts[0] + "." + parts[1]).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            if (!rs256.verify(java.util.Base64.getUrlDecoder().decode(parts[2]))) {
                return false;
            }
            JsonNode header = JSON.readTree(java.util.Base64.getUrlDecoder().decode(parts[0]));
            JsonNode claims = JSON.readTree(java.util.Base64.getUrlDecoder().decode(parts[1]));
            long now = java.time.Instant.now().getEpochSecond();
            return header.path("alg").asText().equals("RS256")
                    && claims.path("iss").asText().equals(appId)
                    && claims.path("exp").asLong() > now
                    && claims.path("iat").asLong() <= now
                    && claims.path("exp").asLong() - claims.path("iat").asLong() <= 600;
        } catch (java.io.IOException | java.security.GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    Answer answer(Received r) {
        String auth = r.header("Authorization");
        if (r.path().startsWith("/api/v3/app/")) {
            return app(r);
        }
        String installation =
                auth != null && auth.startsWith("Bearer ") && installationTokens.containsKey(auth.substring(7))
                        ? auth.substring(7)
                        : null;
        if (r.method().equals("DELETE") && r.path().equals("/api/v3/installation/token")) {
            if (installation == null) {
                return new Answer(401, Map.of("message", "Bad credentials"));
            }
            installationTokens.remove(installation);
            return new Answer(204, Map.of());
        }
        if (installation == null && !("Bearer " + token).equals(auth) && !("token " + token).equals(auth)) {
            return new Answer(
                    401,
                    Map.of(
                            "message",
                            "Bad credentials",
                            "documentation_url",
                            "https://docs.github.com/enterprise-server@3.14/rest"));
        }
        Matcher create = CREATE.matcher(r.path());
        Matcher edit = EDIT.matcher(r.path());
        Matcher labels = LABELS.matcher(r.path());
        Matcher comment = COMMENTS.matcher(r.path());
        if (r.method().equals("POST") && create.matches() && create.group(1).equals(repo)) {
            JsonNode b = r.json();
            for (String required : List.of("title", "head", "base")) {
                if (!b.hasNonNull(required)) {
                    return new Answer(
                            422,
                            Map.of(
                                    "message",
                                    "Validation Failed",
                                    "errors",
                                    List.of(Map.of(
                                            "resource", "PullRequest", "field", required, "code", "missing_field"))));
                }
            }
            String head = b.get("head").asText();
            if (pulls.values().stream()
                    .anyMatch(p -> head.equals(((Map<?, ?>) p.get("head")).get("ref"))
                            && p.get("state").equals("open"))) {
                return new Answer(
                        422,
                        Map.of(
                                "message",
                                "Validation Failed",
                                "errors",
                                List.of(Map.of(
                                        "resource",
                                        "PullRequest",
                                        "code",
                                        "custom",
                                        "message",
                                        "A pull request already exists for " + head + "."))));
            }
            long number = pulls.size() + 1;
            Map<String, Object> pr = new LinkedHashMap<>();
            pr.put("id", 7000 + number);
            pr.put("number", number);
            pr.put("state", "open");
            pr.put("merged", false);
            pr.put("merged_at", null);
            pr.put("merge_commit_sha", null);
            pr.put("html_url", base("") + "/" + repo + "/pull/" + number);
            pr.put("title", b.get("title").asText());
            pr.put("body", b.path("body").asText(""));
            pr.put("draft", b.path("draft").asBoolean(false));
            pr.put("head", Map.of("ref", head));
            pr.put("base", Map.of("ref", b.get("base").asText()));
            pr.put("labels", new ArrayList<>());
            pulls.put(number, pr);
            return new Answer(201, pr);
        }
        Matcher reviewsOf = REVIEWS.matcher(r.path());
        if (r.method().equals("GET") && reviewsOf.matches()) {
            return new Answer(200, reviews.getOrDefault(Long.parseLong(reviewsOf.group(2)), List.of()));
        }
        if (r.method().equals("GET") && edit.matches()) {
            Map<String, Object> pr = pulls.get(Long.parseLong(edit.group(2)));
            return pr == null ? new Answer(404, Map.of("message", "Not Found")) : new Answer(200, pr);
        }
        if (r.method().equals("PATCH") && edit.matches()) {
            Map<String, Object> pr = pulls.get(Long.parseLong(edit.group(2)));
            if (pr == null) {
                return new Answer(404, Map.of("message", "Not Found"));
            }
            JsonNode b = r.json();
            if (b.hasNonNull("title")) {
                pr.put("title", b.get("title").asText());
            }
            if (b.hasNonNull("body")) {
                pr.put("body", b.get("body").asText());
            }
            return new Answer(200, pr);
        }
        if (r.method().equals("POST") && labels.matches()) {
            Map<String, Object> pr = pulls.get(Long.parseLong(labels.group(2)));
            if (pr == null) {
                return new Answer(404, Map.of("message", "Not Found"));
            }
            @SuppressWarnings("unchecked")
            List<Object> current = (List<Object>) pr.get("labels");
            r.json().path("labels").forEach(l -> {
                if (!current.contains(l.asText())) {
                    current.add(l.asText());
                }
            });
            return new Answer(200, current.stream().map(n -> Map.of("name", n)).toList());
        }
        if (r.method().equals("POST") && comment.matches()) {
            comments.add(comment.group(2) + ": " + r.json().path("body").asText());
            return new Answer(201, Map.of("id", 1, "body", r.json().path("body").asText()));
        }
        return new Answer(404, Map.of("message", "Not Found"));
    }
}
