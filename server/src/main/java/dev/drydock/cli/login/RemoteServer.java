package dev.drydock.cli.login;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.cli.CliException;
import dev.drydock.cli.CliExit;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Requests to a Drydock server as the person signed in with {@code ./drydock login}: refreshes the
 * access token shortly before it expires and turns HTTP failures into one clear line.
 */
public final class RemoteServer {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private Credentials credentials;

    private RemoteServer(HttpClient http, Credentials credentials) {
        this.http = http;
        this.credentials = credentials;
    }

    /** The signed-in session for {@code server}; fails with what to run when there is none. */
    public static RemoteServer signedIn(String server) {
        String wanted = normalize(server);
        Credentials c = Credentials.load()
                .orElseThrow(() -> new CliException(
                        "not signed in: run './drydock login --server " + wanted + "' first", CliExit.USAGE));
        if (!c.server().equals(wanted)) {
            throw new CliException(
                    "signed in to " + c.server() + ", not " + wanted + ": run './drydock login --server " + wanted
                            + "'",
                    CliExit.USAGE);
        }
        return new RemoteServer(client(), c);
    }

    /** The signed-in session for {@code server}, or for whichever server {@code ./drydock login} signed in to when {@code server} is null. */
    public static RemoteServer signedInOrCurrent(@org.jspecify.annotations.Nullable String server) {
        if (server != null) {
            return signedIn(server);
        }
        Credentials c = Credentials.load()
                .orElseThrow(() ->
                        new CliException("not signed in: run './drydock login --server URL' first", CliExit.USAGE));
        return new RemoteServer(client(), c);
    }

    /** The server's URL, such as {@code https://drydock.internal}. */
    public String server() {
        return credentials.server();
    }

    /** GET {@code path} as JSON. */
    public JsonNode getJson(String path) {
        return call("GET", path, null);
    }

    /** POST {@code body} (a JSON value, or null for none) to {@code path}; the answer as JSON (empty object when none). */
    public JsonNode post(String path, @org.jspecify.annotations.Nullable Object body) {
        return call("POST", path, body);
    }

    /** PUT {@code body} (a JSON value) to {@code path}; the answer as JSON. */
    public JsonNode put(String path, Object body) {
        return call("PUT", path, body);
    }

    /** DELETE {@code path}; the answer as JSON (empty object when none). */
    public JsonNode delete(String path) {
        return call("DELETE", path, null);
    }

    private JsonNode call(String method, String path, @org.jspecify.annotations.Nullable Object body) {
        String json;
        try {
            json = body == null ? "" : JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(credentials.server() + path))
                .header("Authorization", "Bearer " + accessToken())
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .timeout(TIMEOUT)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build();
        HttpResponse<String> response = send(http, request, HttpResponse.BodyHandlers.ofString(), credentials.server());
        if (response.statusCode() / 100 == 2) {
            return parse(response.body(), path);
        }
        throw failure(method, path, response.statusCode(), problemDetail(response.body()));
    }

    /**
     * Follows the server-sent events at {@code path} and hands each event's type and data to
     * {@code event} until it returns false or the stream ends.
     */
    public void events(String path, java.util.function.BiPredicate<String, String> event) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(credentials.server() + path))
                .header("Authorization", "Bearer " + accessToken())
                .header("Accept", "text/event-stream")
                .GET()
                .build();
        HttpResponse<java.util.stream.Stream<String>> response =
                send(http, request, HttpResponse.BodyHandlers.ofLines(), credentials.server());
        try (java.util.stream.Stream<String> lines = response.body()) {
            if (response.statusCode() / 100 != 2) {
                throw failure(
                        "GET",
                        path,
                        response.statusCode(),
                        problemDetail(String.join("\n", lines.limit(50).toList())));
            }
            String type = "message";
            StringBuilder data = new StringBuilder();
            for (java.util.Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                String line = it.next();
                if (line.isEmpty()) {
                    if (!data.isEmpty() && !event.test(type, data.toString())) {
                        return;
                    }
                    type = "message";
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    type = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    if (!data.isEmpty()) {
                        data.append('\n');
                    }
                    data.append(line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5));
                }
            }
        }
    }

    private CliException failure(String method, String path, int status, String detail) {
        return switch (status) {
            case 401 ->
                new CliException(
                        "the server refused your sign-in (" + detail + "); run './drydock login --server "
                                + credentials.server() + "'",
                        CliExit.UNAVAILABLE);
            case 403 -> new CliException("not allowed for " + credentials.username() + ": " + detail, CliExit.FAILED);
            case 400, 404, 409, 422 -> new CliException(detail, status == 400 ? CliExit.USAGE : CliExit.FAILED);
            default -> new CliException(method + " " + path + " answered " + status + ": " + detail, CliExit.FAILED);
        };
    }

    /** GET {@code path} (e.g. {@code /api/admin/audit/export}); the body streams; non-2xx answers fail clearly. */
    public InputStream get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(credentials.server() + path))
                .header("Authorization", "Bearer " + accessToken())
                .header("Accept", "application/json, application/x-ndjson")
                .timeout(TIMEOUT)
                .GET()
                .build();
        HttpResponse<InputStream> response =
                send(http, request, HttpResponse.BodyHandlers.ofInputStream(), credentials.server());
        if (response.statusCode() / 100 == 2) {
            return response.body();
        }
        String detail;
        try (InputStream body = response.body()) {
            detail = problemDetail(new String(body.readNBytes(4096), StandardCharsets.UTF_8));
        } catch (IOException e) {
            detail = "";
        }
        throw switch (response.statusCode()) {
            case 401 ->
                new CliException(
                        "the server refused your sign-in (" + detail + "); run './drydock login --server "
                                + credentials.server() + "'",
                        CliExit.UNAVAILABLE);
            case 403 -> new CliException("not allowed for " + credentials.username() + ": " + detail, CliExit.FAILED);
            default ->
                new CliException("GET " + path + " answered " + response.statusCode() + ": " + detail, CliExit.FAILED);
        };
    }

    public String username() {
        return credentials.username();
    }

    private String accessToken() {
        if (Instant.now().plusSeconds(30).isBefore(credentials.accessExpiresAt())) {
            return credentials.accessToken();
        }
        JsonNode token = postForm(
                http,
                credentials.tokenEndpoint(),
                Map.of(
                        "grant_type",
                        "refresh_token",
                        "client_id",
                        credentials.clientId(),
                        "refresh_token",
                        credentials.refreshToken()));
        if (!token.hasNonNull("access_token")) {
            throw new CliException(
                    "your sign-in has ended ("
                            + token.path("error_description")
                                    .asText(token.path("error").asText("refused")) + "); run './drydock login --server "
                            + credentials.server() + "'",
                    CliExit.UNAVAILABLE);
        }
        credentials = credentials.withTokens(
                token.get("access_token").asText(),
                Instant.now().plusSeconds(token.path("expires_in").asLong(60)),
                token.path("refresh_token").asText(credentials.refreshToken()));
        credentials.save();
        return credentials.accessToken();
    }

    static HttpClient client() {
        return HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    static String normalize(String server) {
        String s = server.strip();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(s);
        } catch (IllegalArgumentException e) {
            throw new CliException(
                    "--server must be a URL such as https://drydock.internal, not '" + server + "'", CliExit.USAGE);
        }
        if (uri.getScheme() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new CliException(
                    "--server must be an http(s) URL such as https://drydock.internal, not '" + server + "'",
                    CliExit.USAGE);
        }
        return s;
    }

    static JsonNode getJson(HttpClient http, String url) {
        HttpResponse<String> r = send(
                http,
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(TIMEOUT)
                        .header("Accept", "application/json")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString(),
                url);
        if (r.statusCode() != 200) {
            throw new CliException(
                    "GET " + url + " answered " + r.statusCode() + ": " + problemDetail(r.body()), CliExit.UNAVAILABLE);
        }
        return parse(r.body(), url);
    }

    /** POSTs a form; answers 200 and 400 (OAuth error bodies) are returned as JSON, anything else fails. */
    static JsonNode postForm(HttpClient http, String url, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> r = send(
                http,
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(TIMEOUT)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Accept", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString(),
                url);
        if (r.statusCode() != 200 && r.statusCode() != 400 && r.statusCode() != 401) {
            throw new CliException("POST " + url + " answered " + r.statusCode(), CliExit.UNAVAILABLE);
        }
        return parse(r.body(), url);
    }

    private static <T> HttpResponse<T> send(
            HttpClient http, HttpRequest request, HttpResponse.BodyHandler<T> handler, String what) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new CliException(
                    "cannot reach " + what + ": "
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                    CliExit.UNAVAILABLE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", CliExit.FAILED);
        }
    }

    private static JsonNode parse(String body, String url) {
        if (body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new CliException(url + " did not answer JSON", CliExit.UNAVAILABLE);
        }
    }

    private static String problemDetail(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            return n.path("detail").asText(n.path("error_description").asText(body));
        } catch (IOException e) {
            return body.length() > 200 ? body.substring(0, 200) : body;
        }
    }
}
