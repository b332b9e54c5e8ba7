package dev.drydock.server.ticket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.server.egress.EgressGuard;
import dev.drydock.server.egress.EgressRefusedException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** JSON over HTTP to a ticket server, every request through the egress guard; answers never followed on redirects. */
final class TicketHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT = Duration.ofSeconds(10);
    private static final Duration REQUEST = Duration.ofSeconds(30);

    private final EgressGuard egress;
    private final String vendor;
    private final String authHeader;
    private final String authValue;

    TicketHttp(EgressGuard egress, String vendor, String authHeader, String authValue) {
        this.egress = egress;
        this.vendor = vendor;
        this.authHeader = authHeader;
        this.authValue = authValue;
    }

    /** Calls the API; {@code body} null sends none. */
    JsonNode json(String method, URI uri, @Nullable Object body) throws TicketException {
        byte[] answer = send(method, uri, body, Long.MAX_VALUE);
        try {
            return answer.length == 0 ? JSON.createObjectNode() : JSON.readTree(answer);
        } catch (IOException e) {
            throw new TicketException(0, vendor + " answered " + method + " " + uri.getRawPath() + " with no JSON");
        }
    }

    /** The bytes of a download, at most {@code limit} (more is an error). */
    byte[] bytes(URI uri, long limit) throws TicketException {
        return send("GET", uri, null, limit);
    }

    private byte[] send(String method, URI uri, @Nullable Object body, long limit) throws TicketException {
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                    .timeout(REQUEST)
                    .header("Accept", "application/json")
                    .header(authHeader, authValue);
            if (body == null) {
                builder.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                builder.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            }
            HttpResponse<InputStream> response = egress.send(
                    builder.build(),
                    HttpResponse.BodyHandlers.ofInputStream(),
                    CONNECT,
                    vendor + " " + method + " " + uri.getHost());
            byte[] bytes;
            try (InputStream in = response.body()) {
                bytes = in.readNBytes(
                        (int) Math.min(Integer.MAX_VALUE - 8, limit == Long.MAX_VALUE ? 16L << 20 : limit + 1));
            }
            if (response.statusCode() / 100 != 2) {
                throw new TicketException(
                        response.statusCode(),
                        vendor + " answered " + response.statusCode() + " to " + method + " " + uri.getRawPath() + ": "
                                + abbreviate(new String(bytes, StandardCharsets.UTF_8)));
            }
            if (bytes.length > limit) {
                throw new TicketException(0, "larger than " + limit + " bytes");
            }
            return bytes;
        } catch (EgressRefusedException e) {
            throw new TicketException(
                    0,
                    vendor + " host '" + uri.getHost()
                            + "' is not on the egress allow-list (drydock.egress.allowed-hosts)",
                    true);
        } catch (IOException e) {
            throw new TicketException(0, vendor + " at " + uri.getHost() + " cannot be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TicketException(0, "interrupted while calling " + vendor);
        }
    }

    static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() > 300 ? one.substring(0, 300) + "…" : one;
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }
}
