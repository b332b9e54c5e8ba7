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
 */
final class GiteaApiFake extends ApiFake {
    private static final Pattern CREATE = Pattern.compile("/api/v1/repos/([^/]+/[^/]+)/pulls");
    private static final Pattern EDIT = Pattern.compile("/api/v1/repos/([^/]+/[^/]+)/pulls/([0-9]+)");
    private final String token;
    private final String repo;
    final Map<Long, Map<String, Object>> pulls = new ConcurrentHashMap<>();

    GiteaApiFake(String token, String repo) throws java.io.IOException {
        this.token = token;
        this.repo = repo;
    }

    @Override
    Answer answer(Received r) {
        if (!("token " + token).equals(r.header("Authorization"))) {
            return new Answer(401, Map.of("message", "token is required", "url", base("/api/swagger")));
        }
        Matcher create = CREATE.matcher(r.path());
        Matcher edit = EDIT.matcher(r.path());
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
            pr.put("html_url", base("") + "/" + repo + "/pulls/" + number);
            pr.put("url", base("") + "/" + repo + "/pulls/" + number);
            pr.put("head", Map.of("ref", head, "label", head));
            pr.put("base", Map.of("ref", baseBranch, "label", baseBranch));
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
