package dev.drydock.server.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.server.egress.EgressGuard;
import dev.drydock.server.egress.EgressRefusedException;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The Streamable HTTP transport (MCP 2025-06-18) from the server: every message is a POST through the
 * {@link EgressGuard} (allow-listed hosts only, no redirects); an answer comes as JSON or as a
 * server-sent event stream; the session id the server hands out is sent back and the session ended
 * with a DELETE. An optional credential goes in one header and nowhere else.
 */
final class HttpMcpTransport implements McpTransport {
    private static final String PURPOSE = "mcp";

    private final EgressGuard egress;
    private final URI url;
    private final @Nullable String credentialHeader;
    private final @Nullable String credential;
    private final Duration timeout;
    private final long maxResponseBytes;

    HttpMcpTransport(
            EgressGuard egress,
            URI url,
            @Nullable String credentialHeader,
            @Nullable String credential,
            Duration timeout,
            long maxResponseBytes) {
        this.egress = egress;
        this.url = url;
        this.credentialHeader = credentialHeader;
        this.credential = credential;
        this.timeout = timeout;
        this.maxResponseBytes = maxResponseBytes;
    }

    @Override
    public JsonNode request(String method, ObjectNode params) throws McpException {
        List<ObjectNode> messages = McpTransport.conversation(method, params);
        String session = null;
        String version = null;
        try {
            Answer init = post(messages.get(0), null, null);
            JsonNode initResult = McpTransport.result(init.message(), "initialize");
            version = initResult.path("protocolVersion").asText(PROTOCOL_VERSION);
            session = init.session();
            post(messages.get(1), session, version);
            return McpTransport.result(post(messages.get(2), session, version).message(), method);
        } finally {
            if (session != null) {
                end(session, version);
            }
        }
    }

    /** What one POST brought back: the JSON-RPC response (for a request) and the session id header. */
    private record Answer(JsonNode message, @Nullable String session) {}

    private Answer post(ObjectNode message, @Nullable String session, @Nullable String version) throws McpException {
        HttpRequest.Builder b = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(message.toString()));
        headers(b, session, version);
        HttpResponse<InputStream> response = send(b.build());
        String newSession = response.headers().firstValue("Mcp-Session-Id").orElse(session);
        try (InputStream body = new Bounded(response.body(), maxResponseBytes)) {
            int status = response.statusCode();
            if (!message.has("id")) {
                if (status / 100 != 2) {
                    throw new McpException(
                            "the MCP server refused " + message.path("method").asText() + " with HTTP " + status);
                }
                return new Answer(JSON.nullNode(), newSession);
            }
            if (status / 100 != 2) {
                String text = new String(body.readNBytes(300), StandardCharsets.UTF_8);
                throw new McpException(
                        "the MCP server answered " + message.path("method").asText() + " with HTTP " + status
                                + (text.isBlank() ? "" : ": " + text.strip()));
            }
            String type =
                    response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
            long id = message.path("id").asLong();
            JsonNode answer =
                    type.startsWith("text/event-stream") ? fromEvents(body, id) : JSON.readTree(body.readAllBytes());
            if (answer == null || answer.isMissingNode() || answer.isNull()) {
                throw new McpException(
                        "the MCP server's answer to " + message.path("method").asText() + " was empty");
            }
            return new Answer(answer, newSession);
        } catch (JsonProcessingException e) {
            throw new McpException("the MCP server's answer is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new McpException("reading the MCP server's answer failed: " + e.getMessage(), e);
        }
    }

    /** The response with {@code id} among the events of a stream (notifications and requests before it are skipped). */
    private static @Nullable JsonNode fromEvents(InputStream body, long id) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        StringBuilder data = new StringBuilder();
        for (String line = reader.readLine(); ; line = reader.readLine()) {
            if (line == null || line.isEmpty()) {
                if (!data.isEmpty()) {
                    Optional<JsonNode> event = parse(data.toString());
                    data.setLength(0);
                    if (event.isPresent()
                            && event.get().path("id").asLong(-1) == id
                            && (event.get().has("result") || event.get().has("error"))) {
                        return event.get();
                    }
                }
                if (line == null) {
                    return null;
                }
            } else if (line.startsWith("data:")) {
                if (!data.isEmpty()) {
                    data.append('\n');
                }
                data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
            }
        }
    }

    private static Optional<JsonNode> parse(String text) {
        try {
            return Optional.of(JSON.readTree(text));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private void end(String session, @Nullable String version) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(timeout).DELETE();
        headers(b, session, version);
        try {
            send(b.build()).body().close();
        } catch (McpException | IOException e) {
            // ending the session is a courtesy; the server forgets idle sessions anyway
        }
    }

    private void headers(HttpRequest.Builder b, @Nullable String session, @Nullable String version) {
        if (session != null) {
            b.header("Mcp-Session-Id", session);
        }
        if (version != null) {
            b.header("MCP-Protocol-Version", version);
        }
        if (credentialHeader != null && credential != null) {
            b.header(credentialHeader, credential);
        }
    }

    private HttpResponse<InputStream> send(HttpRequest request) throws McpException {
        try {
            return egress.send(request, HttpResponse.BodyHandlers.ofInputStream(), timeout, PURPOSE);
        } catch (EgressRefusedException e) {
            throw new McpException("host " + url.getHost() + " is not on the egress allow-list", e);
        } catch (HttpTimeoutException e) {
            throw new McpException("the MCP server did not answer within " + timeout, e);
        } catch (IOException e) {
            throw new McpException("cannot reach the MCP server at " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new McpException("interrupted while calling the MCP server", e);
        }
    }

    /** A body that fails once it passes the size limit. */
    private static final class Bounded extends FilterInputStream {
        private long left;

        Bounded(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                take(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                take(n);
            }
            return n;
        }

        private void take(long n) throws IOException {
            left -= n;
            if (left < 0) {
                throw new IOException("the answer is larger than the limit");
            }
        }
    }
}
