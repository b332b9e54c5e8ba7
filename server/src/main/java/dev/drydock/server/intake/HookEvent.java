package dev.drydock.server.intake;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What a git server's webhook asks of Drydock, read from the vendor's documented payload: a review
 * comment on a merge request, a ticket (an issue carrying the repository's ticket label), or nothing.
 */
sealed interface HookEvent {
    /** Who the git server says sent it. */
    String actor();

    /** A comment (or a review) on merge request {@code number}. */
    record ReviewComment(long number, String actor, String text, boolean changesRequested) implements HookEvent {}

    /** Issue {@code number} labelled with the ticket label. */
    record Ticket(long number, String actor, String title, String description, String url) implements HookEvent {}

    /** Nothing to do; {@code reason} says why. */
    record Ignored(String actor, String reason) implements HookEvent {}

    /**
     * GitLab's webhook events (GitLab 17.x "Webhook events"): {@code Note Hook} with {@code
     * object_attributes.noteable_type = MergeRequest}, and {@code Issue Hook} whose labels gained the
     * ticket label ({@code changes.labels}) or that was opened with it.
     */
    static HookEvent gitlab(@Nullable String event, JsonNode b, @Nullable String ticketLabel) {
        String actor = b.path("user").path("username").asText("unknown");
        String kind = b.path("object_kind").asText("");
        JsonNode attrs = b.path("object_attributes");
        if (kind.equals("note")) {
            if (!attrs.path("noteable_type").asText().equals("MergeRequest")) {
                return new Ignored(
                        actor,
                        "a comment on a " + attrs.path("noteable_type").asText("thing") + ", not on a merge request");
            }
            long iid = b.path("merge_request").path("iid").asLong(0);
            if (iid <= 0) {
                return new Ignored(actor, "the note names no merge request");
            }
            return new ReviewComment(iid, actor, attrs.path("note").asText(""), false);
        }
        if (kind.equals("issue") || kind.equals("work_item")) {
            if (ticketLabel == null) {
                return new Ignored(actor, "no ticket label is configured for this repository");
            }
            String action = attrs.path("action").asText("");
            boolean labelled = titles(b.path("labels"), "title").contains(ticketLabel);
            boolean added;
            if (action.equals("open")) {
                added = labelled;
            } else if (b.path("changes").has("labels")) {
                JsonNode change = b.path("changes").path("labels");
                added = titles(change.path("current"), "title").contains(ticketLabel)
                        && !titles(change.path("previous"), "title").contains(ticketLabel);
            } else {
                added = false;
            }
            if (!added || !attrs.path("state").asText("opened").equals("opened")) {
                return new Ignored(actor, "the issue did not just get the label '" + ticketLabel + "'");
            }
            return new Ticket(
                    attrs.path("iid").asLong(),
                    actor,
                    attrs.path("title").asText(""),
                    attrs.path("description").asText(""),
                    attrs.path("url").asText(""));
        }
        return new Ignored(actor, "event " + (event == null ? kind : event) + " is not one Drydock acts on");
    }

    /**
     * Gitea's and Forgejo's webhook events (Gitea 1.22): {@code issue_comment} on a pull request,
     * the review events {@code pull_request_rejected} / {@code pull_request_comment} /
     * {@code pull_request_approved}, and {@code issues} / {@code issue_label} with the ticket label.
     */
    static HookEvent gitea(@Nullable String event, JsonNode b, @Nullable String ticketLabel) {
        String actor = b.path("sender").path("login").asText("unknown");
        String e = event == null ? "" : event.toLowerCase(Locale.ROOT);
        String action = b.path("action").asText("");
        switch (e) {
            case "issue_comment" -> {
                JsonNode issue = b.path("issue");
                boolean pull = b.path("is_pull").asBoolean(false)
                        || (issue.has("pull_request")
                                && !issue.path("pull_request").isNull());
                if (!pull) {
                    return new Ignored(actor, "a comment on an issue, not on a pull request");
                }
                if (!action.equals("created")) {
                    return new Ignored(actor, "comment " + action + ", only new comments are read");
                }
                return new ReviewComment(
                        issue.path("number").asLong(),
                        actor,
                        b.path("comment").path("body").asText(""),
                        false);
            }
            case "pull_request_rejected", "pull_request_comment", "pull_request_approved" -> {
                long number = b.path("pull_request")
                        .path("number")
                        .asLong(b.path("number").asLong());
                return new ReviewComment(
                        number, actor, b.path("review").path("content").asText(""), e.equals("pull_request_rejected"));
            }
            case "issues", "issue_label" -> {
                if (ticketLabel == null) {
                    return new Ignored(actor, "no ticket label is configured for this repository");
                }
                JsonNode issue = b.path("issue");
                boolean labelled = titles(issue.path("labels"), "name").contains(ticketLabel);
                boolean now = action.equals("opened") || action.equals("label_updated") || action.equals("reopened");
                if (!labelled || !now || !issue.path("state").asText("open").equals("open")) {
                    return new Ignored(actor, "the issue does not carry the label '" + ticketLabel + "'");
                }
                return new Ticket(
                        issue.path("number").asLong(),
                        actor,
                        issue.path("title").asText(""),
                        issue.path("body").asText(""),
                        issue.path("html_url").asText(""));
            }
            default -> {
                return new Ignored(
                        actor, "event " + (event == null ? "(none)" : event) + " is not one Drydock acts on");
            }
        }
    }

    private static List<String> titles(JsonNode labels, String field) {
        List<String> names = new ArrayList<>();
        if (labels.isArray()) {
            for (JsonNode l : labels) {
                names.add(l.isTextual() ? l.asText() : l.path(field).asText(""));
            }
        }
        return names;
    }
}
