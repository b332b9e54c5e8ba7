package dev.drydock.server.ticket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A contract fake of Jira Software Data Center 9.12's REST API v2, the calls Drydock makes, with the
 * request and response bodies of Atlassian's reference for that version: {@code GET
 * /rest/api/2/issue/{issueIdOrKey}} (fields summary, description, comment, attachment; descriptions and
 * comment bodies are plain wiki-markup text on Data Center, never the Cloud's ADF), the attachment
 * download {@code GET /secure/attachment/{id}/{filename}}, {@code POST /rest/api/2/issue/{key}/comment}
 * (201 with the comment) and {@code POST /rest/api/2/issue} (201 with id, key, self). Personal access
 * tokens are sent as {@code Authorization: Bearer} (Jira 8.14+); anything else is 401 with Jira's
 * {@code errorMessages} body; an unknown key is 404 with Jira's body.
 */
public final class JiraDataCenterFake implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ISSUE = Pattern.compile("/rest/api/2/issue/([A-Z][A-Z0-9_]*-[0-9]+)");
    private static final Pattern COMMENT = Pattern.compile("/rest/api/2/issue/([A-Z][A-Z0-9_]*-[0-9]+)/comment");
    private static final Pattern ATTACHMENT = Pattern.compile("/secure/attachment/([0-9]+)/(.+)");

    /** One request as received. */
    public record Received(String method, String path, String authorization, String body) {
        public JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    /** An attachment: its metadata as Jira lists it and its bytes. */
    record Attachment(String id, String filename, String mimeType, byte[] content) {}

    private final HttpServer server;
    private final String token;
    public final List<Received> received = new CopyOnWriteArrayList<>();
    /** Issues by key: fields summary, description (plain text), comments (author, body), attachments. */
    private final Map<String, Map<String, Object>> issues = new ConcurrentHashMap<>();

    private final Map<String, Attachment> attachments = new ConcurrentHashMap<>();
    /** Comments written through the API: "KEY: body". */
    public final List<String> comments = new CopyOnWriteArrayList<>();
    /** Issues opened through the API: key → fields as sent. */
    public final Map<String, JsonNode> created = new ConcurrentHashMap<>();

    private final AtomicInteger ids = new AtomicInteger(10_000);

    public JiraDataCenterFake(String token) throws IOException {
        this.token = token;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** The base URL, through {@code localhost}. */
    public String base() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    /** Adds an issue with plain-text description, comments ({author display name, body} pairs) and attachments. */
    public void issue(String key, String summary, String description, List<String[]> comments, List<Object[]> files) {
        List<Map<String, Object>> commentList = new ArrayList<>();
        for (String[] c : comments) {
            String id = String.valueOf(ids.incrementAndGet());
            commentList.add(Map.of(
                    "self",
                    base() + "/rest/api/2/issue/" + key + "/comment/" + id,
                    "id",
                    id,
                    "author",
                    user(c[0]),
                    "body",
                    c[1],
                    "updateAuthor",
                    user(c[0]),
                    "created",
                    "2026-12-01T09:1" + commentList.size() + ":00.000+0000",
                    "updated",
                    "2026-12-01T09:1" + commentList.size() + ":00.000+0000"));
        }
        List<Map<String, Object>> attachmentList = new ArrayList<>();
        for (Object[] f : files) {
            String id = String.valueOf(ids.incrementAndGet());
            byte[] bytes = (byte[]) f[2];
            attachments.put(id, new Attachment(id, (String) f[0], (String) f[1], bytes));
            attachmentList.add(Map.of(
                    "self",
                    base() + "/rest/api/2/attachment/" + id,
                    "id",
                    id,
                    "filename",
                    f[0],
                    "author",
                    user("Tom Tester"),
                    "created",
                    "2026-12-01T09:00:00.000+0000",
                    "size",
                    bytes.length,
                    "mimeType",
                    f[1],
                    "content",
                    base() + "/secure/attachment/" + id + "/" + f[0]));
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("summary", summary);
        fields.put("description", description);
        fields.put(
                "project",
                Map.of(
                        "self",
                        base() + "/rest/api/2/project/10000",
                        "id",
                        "10000",
                        "key",
                        key.substring(0, key.indexOf('-')),
                        "name",
                        "Project"));
        fields.put("issuetype", Map.of("id", "10004", "name", "Bug", "subtask", false));
        fields.put("status", Map.of("id", "1", "name", "Open"));
        fields.put(
                "comment",
                Map.of(
                        "comments",
                        commentList,
                        "maxResults",
                        commentList.size(),
                        "total",
                        commentList.size(),
                        "startAt",
                        0));
        fields.put("attachment", attachmentList);
        Map<String, Object> issue = new LinkedHashMap<>();
        issue.put("expand", "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations");
        issue.put("id", String.valueOf(ids.incrementAndGet()));
        issue.put("self", base() + "/rest/api/2/issue/" + issue.get("id"));
        issue.put("key", key);
        issue.put("fields", fields);
        issues.put(key, issue);
    }

    private Map<String, Object> user(String displayName) {
        String name = displayName.toLowerCase(java.util.Locale.ROOT).replace(' ', '.');
        return Map.of(
                "self",
                base() + "/rest/api/2/user?username=" + name,
                "name",
                name,
                "key",
                "JIRAUSER" + Math.abs(name.hashCode() % 100000),
                "emailAddress",
                name + "@example.test",
                "displayName",
                displayName,
                "active",
                true,
                "timeZone",
                "Europe/Berlin");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            Received r = new Received(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(),
                    auth == null ? "" : auth,
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            received.add(r);
            if (!("Bearer " + token).equals(auth)) {
                // Jira DC answers an unauthenticated REST call to a non-anonymous resource with 401
                send(
                        exchange,
                        401,
                        Map.of(
                                "errorMessages",
                                        List.of(
                                                "You are not authenticated. Authentication required to perform this operation."),
                                "errors", Map.of()));
                return;
            }
            Matcher m;
            if (r.method().equals("GET") && (m = ATTACHMENT.matcher(r.path())).matches()) {
                Attachment a = attachments.get(m.group(1));
                if (a == null) {
                    send(exchange, 404, Map.of("errorMessages", List.of("Attachment not found"), "errors", Map.of()));
                    return;
                }
                exchange.getResponseHeaders().add("Content-Type", a.mimeType());
                exchange.sendResponseHeaders(200, a.content().length);
                exchange.getResponseBody().write(a.content());
                return;
            }
            if (r.method().equals("GET") && (m = ISSUE.matcher(r.path())).matches()) {
                Map<String, Object> issue = issues.get(m.group(1));
                if (issue == null) {
                    send(exchange, 404, missing());
                    return;
                }
                send(exchange, 200, issue);
                return;
            }
            if (r.method().equals("POST") && (m = COMMENT.matcher(r.path())).matches()) {
                if (!issues.containsKey(m.group(1))) {
                    send(exchange, 404, missing());
                    return;
                }
                String body = r.json().path("body").asText();
                comments.add(m.group(1) + ": " + body);
                String id = String.valueOf(ids.incrementAndGet());
                send(
                        exchange,
                        201,
                        Map.of(
                                "self",
                                base() + "/rest/api/2/issue/" + m.group(1) + "/comment/" + id,
                                "id",
                                id,
                                "author",
                                user("Drydock Bot"),
                                "body",
                                body,
                                "created",
                                "2026-12-07T10:00:00.000+0000",
                                "updated",
                                "2026-12-07T10:00:00.000+0000"));
                return;
            }
            if (r.method().equals("POST") && r.path().equals("/rest/api/2/issue")) {
                JsonNode fields = r.json().path("fields");
                String project = fields.path("project").path("key").asText();
                if (project.isEmpty()
                        || fields.path("summary").asText().isEmpty()
                        || fields.path("issuetype").path("name").asText().isEmpty()) {
                    send(
                            exchange,
                            400,
                            Map.of(
                                    "errorMessages",
                                    List.of(),
                                    "errors",
                                    Map.of("summary", "You must specify a summary of the issue.")));
                    return;
                }
                String key = project + "-" + (created.size() + 1);
                created.put(key, fields);
                String id = String.valueOf(ids.incrementAndGet());
                send(exchange, 201, Map.of("id", id, "key", key, "self", base() + "/rest/api/2/issue/" + id));
                return;
            }
            send(exchange, 404, Map.of("errorMessages", List.of("null for uri: " + r.path()), "errors", Map.of()));
        }
    }

    private static Map<String, Object> missing() {
        return Map.of("errorMessages", List.of("Issue Does Not Exist"), "errors", Map.of());
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json;charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
