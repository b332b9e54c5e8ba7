package dev.drydock.server.intake;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What a git server's webhook asks of Drydock, read from the vendor's documented payload: a review
 * comment on a merge request, a comment on an issue, a ticket (an issue carrying the repository's
 * ticket label), a push, a ping, or nothing.
 */
sealed interface HookEvent {
    /** Who the git server says sent it. */
    String actor();

    /**
     * The issue or merge request a comment is on, as the git server describes it: its title, body and
     * web address. Text from outside, never trusted: it reaches a droid only as an attachment.
     */
    record Topic(String title, String body, String url) {
        static final Topic NONE = new Topic("", "", "");
    }

    /** A comment (or a review) on merge request {@code number}. */
    record ReviewComment(long number, String actor, String text, boolean changesRequested, Topic topic)
            implements HookEvent {
        ReviewComment(long number, String actor, String text, boolean changesRequested) {
            this(number, actor, text, changesRequested, Topic.NONE);
        }
    }

    /** A new comment on issue {@code number}. */
    record IssueComment(long number, String actor, String text, Topic topic) implements HookEvent {}

    /** A push that moved (or created, or deleted) {@code branches} (names without {@code refs/heads/}). */
    record Push(String actor, List<String> branches) implements HookEvent {}

    /** The git server checks that the webhook is reachable and signed ({@code ping}, {@code diagnostics:ping}). */
    record Ping(String actor) implements HookEvent {}

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
            String noteable = attrs.path("noteable_type").asText();
            String url = attrs.path("url").asText("");
            if (noteable.equals("Issue")) {
                JsonNode issue = b.path("issue");
                long iid = issue.path("iid").asLong(0);
                if (iid <= 0) {
                    return new Ignored(actor, "the note names no issue");
                }
                return new IssueComment(
                        iid,
                        actor,
                        attrs.path("note").asText(""),
                        new Topic(
                                issue.path("title").asText(""),
                                issue.path("description").asText(""),
                                url));
            }
            if (!noteable.equals("MergeRequest")) {
                return new Ignored(
                        actor,
                        "a comment on a " + (noteable.isEmpty() ? "thing" : noteable) + ", not on a merge request");
            }
            JsonNode mr = b.path("merge_request");
            long iid = mr.path("iid").asLong(0);
            if (iid <= 0) {
                return new Ignored(actor, "the note names no merge request");
            }
            return new ReviewComment(
                    iid,
                    actor,
                    attrs.path("note").asText(""),
                    false,
                    new Topic(
                            mr.path("title").asText(""), mr.path("description").asText(""), url));
        }
        if (kind.equals("push")) {
            return push(
                    b.path("user_username").asText(actor), List.of(b.path("ref").asText("")));
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
                if (!action.equals("created")) {
                    return new Ignored(actor, "comment " + action + ", only new comments are read");
                }
                Topic topic = new Topic(
                        issue.path("title").asText(""),
                        issue.path("body").asText(""),
                        b.path("comment")
                                .path("html_url")
                                .asText(issue.path("html_url").asText("")));
                String text = b.path("comment").path("body").asText("");
                long number = issue.path("number").asLong();
                return pull
                        ? new ReviewComment(number, actor, text, false, topic)
                        : new IssueComment(number, actor, text, topic);
            }
            case "push" -> {
                return push(actor, List.of(b.path("ref").asText("")));
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

    /**
     * GitHub Enterprise Server's webhook events (GHES 3.14 "Webhook events and payloads", header
     * {@code X-GitHub-Event}): {@code issue_comment} (on an issue or, when the issue has {@code
     * pull_request}, on a pull request), {@code pull_request_review} submitted with state {@code
     * changes_requested}, {@code issues} opened with or {@code labeled} with the ticket label, {@code
     * push} and {@code ping}.
     */
    static HookEvent github(@Nullable String event, JsonNode b, @Nullable String ticketLabel) {
        String actor = b.path("sender").path("login").asText("unknown");
        String e = event == null ? "" : event.toLowerCase(Locale.ROOT);
        String action = b.path("action").asText("");
        switch (e) {
            case "ping" -> {
                return new Ping(actor);
            }
            case "push" -> {
                return push(actor, List.of(b.path("ref").asText("")));
            }
            case "issue_comment" -> {
                if (!action.equals("created")) {
                    return new Ignored(actor, "comment " + action + ", only new comments are read");
                }
                JsonNode issue = b.path("issue");
                boolean pull =
                        issue.has("pull_request") && !issue.path("pull_request").isNull();
                Topic topic = new Topic(
                        issue.path("title").asText(""),
                        issue.path("body").asText(""),
                        b.path("comment")
                                .path("html_url")
                                .asText(issue.path("html_url").asText("")));
                String text = b.path("comment").path("body").asText("");
                long number = issue.path("number").asLong();
                return pull
                        ? new ReviewComment(number, actor, text, false, topic)
                        : new IssueComment(number, actor, text, topic);
            }
            case "pull_request_review" -> {
                JsonNode review = b.path("review");
                if (!action.equals("submitted")) {
                    return new Ignored(actor, "review " + action + ", only submitted reviews are read");
                }
                JsonNode pr = b.path("pull_request");
                boolean changes = review.path("state").asText("").equalsIgnoreCase("changes_requested");
                return new ReviewComment(
                        pr.path("number").asLong(),
                        actor,
                        review.path("body").asText(""),
                        changes,
                        new Topic(
                                pr.path("title").asText(""),
                                pr.path("body").asText(""),
                                review.path("html_url")
                                        .asText(pr.path("html_url").asText(""))));
            }
            case "issues" -> {
                if (ticketLabel == null) {
                    return new Ignored(actor, "no ticket label is configured for this repository");
                }
                JsonNode issue = b.path("issue");
                boolean added = action.equals("labeled")
                        ? b.path("label").path("name").asText("").equals(ticketLabel)
                        : action.equals("opened")
                                && titles(issue.path("labels"), "name").contains(ticketLabel);
                if (!added || !issue.path("state").asText("open").equals("open")) {
                    return new Ignored(actor, "the issue did not just get the label '" + ticketLabel + "'");
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

    /**
     * Bitbucket Data Center's webhook events (Bitbucket Data Center 8.19 "Event payload", header
     * {@code X-Event-Key}): {@code pr:comment:added}, {@code pr:reviewer:needs_work} (sent as {@code
     * pr:reviewer:changes_requested} by releases that renamed "Needs work"), {@code repo:refs_changed}
     * and {@code diagnostics:ping} (the "Test connection" button). Bitbucket has no issues, and no
     * labels to make a ticket of.
     */
    static HookEvent bitbucket(@Nullable String event, JsonNode b) {
        String actor = b.path("actor").path("name").asText("unknown");
        String e = event == null ? b.path("eventKey").asText("") : event;
        switch (e) {
            case "diagnostics:ping" -> {
                return new Ping(actor);
            }
            case "repo:refs_changed" -> {
                List<String> refs = new ArrayList<>();
                for (JsonNode change : b.path("changes")) {
                    refs.add(change.path("refId")
                            .asText(change.path("ref").path("id").asText("")));
                }
                return push(actor, refs);
            }
            case "pr:comment:added", "pr:reviewer:needs_work", "pr:reviewer:changes_requested" -> {
                JsonNode pr = b.path("pullRequest");
                JsonNode self = pr.path("links").path("self");
                String url = self.isArray() && !self.isEmpty()
                        ? self.get(0).path("href").asText("")
                        : "";
                Topic topic = new Topic(
                        pr.path("title").asText(""), pr.path("description").asText(""), url);
                boolean changes = !e.equals("pr:comment:added");
                String text = changes ? "" : b.path("comment").path("text").asText("");
                return new ReviewComment(pr.path("id").asLong(), actor, text, changes, topic);
            }
            default -> {
                return new Ignored(actor, "event " + (e.isEmpty() ? "(none)" : e) + " is not one Drydock acts on");
            }
        }
    }

    /** A push of {@code refs}; tags and other refs are left out, so a tag push moves no branch. */
    private static HookEvent push(String actor, List<String> refs) {
        List<String> branches = refs.stream()
                .filter(r -> r.startsWith("refs/heads/"))
                .map(r -> r.substring("refs/heads/".length()))
                .filter(r -> !r.isEmpty())
                .toList();
        return branches.isEmpty() ? new Ignored(actor, "the push moved no branch") : new Push(actor, branches);
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
