package dev.drydock.server.ticket;

import java.util.List;

/**
 * A ticket as a session reads it: where it lives, its summary (the session's task) and the texts
 * that become the session's attachments (description, comments, text attachments). Everything but
 * {@code source} and {@code key} came from outside and is untrusted.
 *
 * @param source {@code jira} or {@code gitlab}
 * @param key the Jira key ({@code PROJ-12}) or the GitLab issue's iid
 * @param skipped attachments not read, each with the reason (binary, too large)
 */
public record Ticket(String source, String key, String url, String summary, List<Text> texts, List<String> skipped) {
    /** One text of the ticket, with a words-only description of where it came from. */
    public record Text(String name, String origin, String text) {}
}
