package dev.drydock.server.ticket;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.server.egress.EgressGuard;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * GitLab issues as tickets, through GitLab's REST API v4 (17.x) with the repository's integration
 * credential ({@code PRIVATE-TOKEN}): {@code GET /projects/:id/issues/:iid} and its notes (system
 * notes left out). Comments go back through delivery's git server client.
 */
final class GitLabIssues {
    private static final int MAX_NOTES = 100;

    private final TicketHttp http;
    private final String apiUrl;
    private final String project;

    GitLabIssues(EgressGuard egress, String apiUrl, String project, String token) {
        this.http = new TicketHttp(egress, "GitLab", "PRIVATE-TOKEN", token);
        this.apiUrl = apiUrl.replaceAll("/+$", "");
        this.project = URLEncoder.encode(project, StandardCharsets.UTF_8);
    }

    Ticket issue(long iid) throws TicketException {
        String base = apiUrl + "/projects/" + project + "/issues/" + iid;
        JsonNode issue = http.json("GET", URI.create(base), null);
        JsonNode notes =
                http.json("GET", URI.create(base + "/notes?sort=asc&order_by=created_at&per_page=" + MAX_NOTES), null);
        String origin = "gitlab issue #" + iid;
        List<Ticket.Text> texts = new ArrayList<>();
        String description = TicketHttp.text(issue, "description");
        if (!description.isBlank()) {
            texts.add(new Ticket.Text("issue #" + iid + " description", origin, description));
        }
        for (JsonNode n : notes) {
            if (n.path("system").asBoolean(false)) {
                continue;
            }
            String body = TicketHttp.text(n, "body");
            if (!body.isBlank()) {
                texts.add(new Ticket.Text(
                        "issue #" + iid + " comment " + TicketHttp.text(n, "id"),
                        origin + " comment",
                        TicketHttp.text(n.path("author"), "username") + " wrote on " + TicketHttp.text(n, "created_at")
                                + ":\n\n" + body));
            }
        }
        return new Ticket(
                "gitlab",
                String.valueOf(iid),
                TicketHttp.text(issue, "web_url"),
                TicketHttp.text(issue, "title"),
                texts,
                List.of());
    }
}
