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
 * credentials" without a valid {@code Authorization: Bearer} (or {@code token}).
 */
public final class GitHubApiFake extends ApiFake {
    private static final Pattern CREATE = Pattern.compile("/api/v3/repos/([^/]+/[^/]+)/pulls");
    private static final Pattern EDIT = Pattern.compile("/api/v3/repos/([^/]+/[^/]+)/pulls/([0-9]+)");
    private static final Pattern LABELS = Pattern.compile("/api/v3/repos/([^/]+/[^/]+)/issues/([0-9]+)/labels");
    private static final Pattern COMMENTS = Pattern.compile("/api/v3/repos/([^/]+/[^/]+)/issues/([0-9]+)/comments");
    private final String token;
    private final String repo;
    public final Map<Long, Map<String, Object>> pulls = new ConcurrentHashMap<>();
    public final List<String> comments = new CopyOnWriteArrayList<>();

    public GitHubApiFake(String token, String repo) throws java.io.IOException {
        this.token = token;
        this.repo = repo;
    }

    @Override
    Answer answer(Received r) {
        String auth = r.header("Authorization");
        if (!("Bearer " + token).equals(auth) && !("token " + token).equals(auth)) {
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
