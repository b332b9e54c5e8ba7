package dev.drydock.server.intake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.server.delivery.DeliveryTracker;
import dev.drydock.server.delivery.DeliveryTracker.Observation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Webhooks about a droid's merge request itself, for deliverables: GitLab's {@code merge_request}
 * events (Merge Request Hook: {@code object_attributes.action} {@code merge}, {@code close}, {@code
 * reopen}, {@code approved}, {@code unapproved}, with {@code state}, {@code merge_commit_sha}) and
 * Gitea's {@code pull_request} ({@code action} {@code closed}/{@code reopened}, {@code
 * pull_request.merged}, {@code merged_at}, {@code merge_commit_sha}) and {@code
 * pull_request_approved}/{@code pull_request_rejected} (an approval by, or one withdrawn from, the
 * sender). Handed to {@link DeliveryTracker}, which ignores merge requests no session opened.
 */
@ApplicationScoped
class HookDeliverables {
    @Inject
    DeliveryTracker tracker;

    /** What a webhook said about a tracked merge request: the session, and what was recorded. */
    record Tracked(String session, String detail) {}

    Optional<Tracked> track(
            HookIntake.Vendor vendor, String workspace, String repo, @Nullable String event, JsonNode b) {
        Optional<Change> change = vendor == HookIntake.Vendor.GITLAB ? gitlab(b) : gitea(event, b);
        return change.flatMap(
                c -> tracker.observe(workspace, repo, c.number(), c.observation(), vendor.label() + " webhook")
                        .map(session -> new Tracked(session, c.detail())));
    }

    record Change(long number, Observation observation, String detail) {}

    static Optional<Change> gitlab(JsonNode b) {
        if (!b.path("object_kind").asText("").equals("merge_request")) {
            return Optional.empty();
        }
        JsonNode a = b.path("object_attributes");
        long iid = a.path("iid").asLong(0);
        String user = b.path("user").path("username").asText("");
        String action = a.path("action").asText("");
        if (iid <= 0) {
            return Optional.empty();
        }
        return switch (action) {
            case "approved", "approval" ->
                user.isEmpty()
                        ? Optional.empty()
                        : Optional.of(new Change(iid, Observation.approval(user, true), "approved by " + user));
            case "unapproved", "unapproval" ->
                user.isEmpty()
                        ? Optional.empty()
                        : Optional.of(
                                new Change(iid, Observation.approval(user, false), "approval withdrawn by " + user));
            default -> {
                String state = switch (a.path("state").asText("")) {
                    case "merged" -> "merged";
                    case "closed" -> "closed";
                    default -> "opened";
                };
                String commit = a.path("merge_commit_sha").asText("");
                yield Optional.of(new Change(
                        iid,
                        Observation.state(
                                state,
                                state.equals("merged")
                                        ? instant(a.path("updated_at").asText(""))
                                        : null,
                                commit.isEmpty() ? null : commit),
                        "merge request " + state));
            }
        };
    }

    static Optional<Change> gitea(@Nullable String event, JsonNode b) {
        String e = event == null ? "" : event.toLowerCase(Locale.ROOT);
        String sender = b.path("sender").path("login").asText("");
        JsonNode pr = b.path("pull_request");
        long number = pr.path("number").asLong(b.path("number").asLong(0));
        if (number <= 0) {
            return Optional.empty();
        }
        switch (e) {
            case "pull_request_approved" -> {
                return sender.isEmpty()
                        ? Optional.empty()
                        : Optional.of(new Change(number, Observation.approval(sender, true), "approved by " + sender));
            }
            case "pull_request_rejected" -> {
                return sender.isEmpty()
                        ? Optional.empty()
                        : Optional.of(new Change(
                                number, Observation.approval(sender, false), "changes requested by " + sender));
            }
            case "pull_request" -> {
                String state = pr.path("merged").asBoolean(false)
                        ? "merged"
                        : pr.path("state").asText("open").equals("closed") ? "closed" : "opened";
                String commit = pr.path("merge_commit_sha").asText("");
                return Optional.of(new Change(
                        number,
                        Observation.state(
                                state, instant(pr.path("merged_at").asText("")), commit.isEmpty() ? null : commit),
                        "pull request " + state));
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    private static @Nullable Instant instant(String s) {
        if (s.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            try {
                // GitLab's webhooks write "2025-01-02 10:11:12 UTC"
                return OffsetDateTime.parse(s.replace(" UTC", "Z").replaceFirst(" ", "T"))
                        .toInstant();
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }
}
