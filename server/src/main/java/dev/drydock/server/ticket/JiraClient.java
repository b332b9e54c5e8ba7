package dev.drydock.server.ticket;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.server.egress.EgressGuard;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Jira Data Center's REST API v2 (as documented for Jira Software Data Center 9.12), authenticated
 * with a personal access token sent as {@code Authorization: Bearer} (Jira 8.14 and later): read an
 * issue with its comments and attachments, comment on an issue, open an issue.
 */
public final class JiraClient {
    /** Attachments read as text: at most this many bytes each. */
    public static final long MAX_ATTACHMENT_BYTES = 256 * 1024;

    private static final int MAX_ATTACHMENTS = 10;
    private static final Set<String> TEXT_TYPES = Set.of(
            "application/json",
            "application/xml",
            "application/x-yaml",
            "application/yaml",
            "application/x-sh",
            "application/javascript");

    private final TicketHttp http;
    private final String baseUrl;

    public JiraClient(EgressGuard egress, String baseUrl, String personalAccessToken) {
        this.http = new TicketHttp(egress, "Jira", "Authorization", "Bearer " + personalAccessToken);
        this.baseUrl = baseUrl.replaceAll("/+$", "");
    }

    /** {@code GET /rest/api/2/issue/{key}}: summary, description, comments, and text attachments read. */
    public Ticket issue(String key) throws TicketException {
        JsonNode issue = http.json(
                "GET",
                URI.create(baseUrl + "/rest/api/2/issue/" + encode(key)
                        + "?fields=summary,description,comment,attachment,project,issuetype,status"),
                null);
        JsonNode fields = issue.path("fields");
        String realKey = TicketHttp.text(issue, "key").isEmpty() ? key : TicketHttp.text(issue, "key");
        String origin = "jira " + realKey;
        List<Ticket.Text> texts = new ArrayList<>();
        String description = TicketHttp.text(fields, "description");
        if (!description.isBlank()) {
            texts.add(new Ticket.Text(realKey + " description", origin, description));
        }
        for (JsonNode c : fields.path("comment").path("comments")) {
            String author = TicketHttp.text(c.path("author"), "displayName");
            String body = TicketHttp.text(c, "body");
            if (!body.isBlank()) {
                texts.add(new Ticket.Text(
                        realKey + " comment " + TicketHttp.text(c, "id"),
                        origin + " comment",
                        (author.isEmpty() ? "" : author + " wrote on " + TicketHttp.text(c, "created") + ":\n\n")
                                + body));
            }
        }
        List<String> skipped = new ArrayList<>();
        int read = 0;
        for (JsonNode a : fields.path("attachment")) {
            String name = TicketHttp.text(a, "filename");
            String mime = TicketHttp.text(a, "mimeType").toLowerCase(Locale.ROOT);
            long size = a.path("size").asLong(-1);
            String content = TicketHttp.text(a, "content");
            if (!isText(mime)) {
                skipped.add(name + " (" + (mime.isEmpty() ? "unknown type" : mime) + ", not text)");
            } else if (size < 0 || size > MAX_ATTACHMENT_BYTES) {
                skipped.add(name + " (" + size + " bytes, over " + MAX_ATTACHMENT_BYTES + ")");
            } else if (read >= MAX_ATTACHMENTS) {
                skipped.add(name + " (more than " + MAX_ATTACHMENTS + " attachments)");
            } else if (!sameServer(content)) {
                skipped.add(name + " (stored on another host)");
            } else {
                try {
                    byte[] bytes = http.bytes(URI.create(content), MAX_ATTACHMENT_BYTES);
                    texts.add(new Ticket.Text(name, origin + " attachment", utf8(bytes)));
                    read++;
                } catch (TicketException e) {
                    skipped.add(name + " (" + e.getMessage() + ")");
                } catch (CharacterCodingException e) {
                    skipped.add(name + " (not UTF-8 text)");
                }
            }
        }
        return new Ticket(
                "jira", realKey, baseUrl + "/browse/" + realKey, TicketHttp.text(fields, "summary"), texts, skipped);
    }

    /** {@code POST /rest/api/2/issue/{key}/comment} with a plain-text (wiki markup) body. */
    public void comment(String key, String body) throws TicketException {
        http.json("POST", URI.create(baseUrl + "/rest/api/2/issue/" + encode(key) + "/comment"), Map.of("body", body));
    }

    /** {@code POST /rest/api/2/issue}: opens an issue in {@code project}; answers its key. */
    public String create(String project, String issueType, String summary, String description) throws TicketException {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("project", Map.of("key", project));
        fields.put("summary", summary);
        fields.put("description", description);
        fields.put("issuetype", Map.of("name", issueType));
        JsonNode created = http.json("POST", URI.create(baseUrl + "/rest/api/2/issue"), Map.of("fields", fields));
        String key = TicketHttp.text(created, "key");
        if (key.isEmpty()) {
            throw new TicketException(0, "Jira opened an issue but did not answer its key");
        }
        return key;
    }

    public String browseUrl(String key) {
        return baseUrl + "/browse/" + key;
    }

    private boolean sameServer(String content) {
        try {
            URI c = URI.create(content);
            URI b = URI.create(baseUrl);
            return c.getHost() != null
                    && c.getHost().equalsIgnoreCase(b.getHost())
                    && c.getPort() == b.getPort()
                    && String.valueOf(c.getScheme()).equalsIgnoreCase(b.getScheme());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static boolean isText(String mime) {
        String m = mime.contains(";") ? mime.substring(0, mime.indexOf(';')).strip() : mime;
        return m.startsWith("text/") || TEXT_TYPES.contains(m) || m.endsWith("+json") || m.endsWith("+xml");
    }

    /** Decodes strict UTF-8 (a binary file with a text type is refused) without NUL characters. */
    static String utf8(byte[] bytes) throws CharacterCodingException {
        String s = StandardCharsets.UTF_8
                .newDecoder()
                .decode(java.nio.ByteBuffer.wrap(bytes))
                .toString();
        if (s.indexOf('\0') >= 0) {
            throw new CharacterCodingException();
        }
        return s;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
