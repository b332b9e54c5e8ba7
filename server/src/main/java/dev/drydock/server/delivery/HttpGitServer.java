package dev.drydock.server.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.server.egress.EgressGuard;
import dev.drydock.server.egress.EgressRefusedException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** The JSON-over-HTTP plumbing the git server implementations share: every call through the egress guard. */
abstract class HttpGitServer implements GitServer {
    private static final Duration CONNECT = Duration.ofSeconds(10);
    private static final Duration REQUEST = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();

    private final EgressGuard egress;
    private final String apiUrl;

    HttpGitServer(EgressGuard egress, String apiUrl) {
        this.egress = egress;
        this.apiUrl = apiUrl.replaceAll("/+$", "");
    }

    /** Adds the server's authentication header. */
    abstract HttpRequest.Builder authenticate(HttpRequest.Builder request);

    /** Headers every request of this server carries besides authentication (e.g. an API version). */
    HttpRequest.Builder headers(HttpRequest.Builder request) {
        return request.header("Accept", "application/json");
    }

    /** Calls the API; {@code body} null sends none (GET, DELETE). Answers the parsed JSON, or null for an empty answer. */
    JsonNode call(String method, String path, @Nullable Object body) throws GitServerException {
        return callAt(method, URI.create(apiUrl + path), body, this::authenticate);
    }

    /** The API base URL this server was made with, without a trailing slash. */
    String apiUrl() {
        return apiUrl;
    }

    /**
     * Calls {@code uri} (on the same git server, e.g. another of its REST APIs) authenticated by {@code
     * auth} instead of the server's own header (e.g. a GitHub App's JWT).
     */
    JsonNode callAt(
            String method, URI uri, @Nullable Object body, java.util.function.UnaryOperator<HttpRequest.Builder> auth)
            throws GitServerException {
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(REQUEST);
            if (body == null) {
                builder.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                builder.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            }
            HttpRequest request = auth.apply(headers(builder)).build();
            HttpResponse<String> response = egress.send(
                    request,
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8),
                    CONNECT,
                    "merge request " + method + " " + uri.getHost());
            if (response.statusCode() / 100 != 2) {
                throw new GitServerException(
                        response.statusCode(),
                        "the git server answered " + response.statusCode() + " to " + method + " " + uri.getRawPath()
                                + ": " + abbreviate(response.body()));
            }
            return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (EgressRefusedException e) {
            throw new GitServerException(
                    0, "the git server's host " + uri.getHost() + " is not on the egress allow-list");
        } catch (IOException e) {
            throw new GitServerException(
                    0, "the git server at " + uri.getHost() + " cannot be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitServerException(0, "interrupted while calling the git server");
        }
    }

    private static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() > 300 ? one.substring(0, 300) + "…" : one;
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }
}
