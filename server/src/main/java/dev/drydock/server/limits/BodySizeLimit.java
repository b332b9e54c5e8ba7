package dev.drydock.server.limits;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.server.problem.Problem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Refuses a request whose declared body ({@code Content-Length}) is larger than {@code
 * drydock.http.max-body-size} with 413 problem+json, and a body of unknown length (chunked, no
 * {@code Content-Length}) with 411, before anything reads it; on every path but the {@code /v1} front
 * door, which answers in OpenAI's error format under its own limit. Runs ahead of Quarkus's own limit
 * check (route order -2), which would answer with an empty body.
 */
@ApplicationScoped
public class BodySizeLimit {
    /** Before Quarkus's upload limit (-2) and the front door's routes (-11 and later). */
    static final int ORDER = -1000;

    @Inject
    RequestLimitsConfig config;

    @Inject
    ObjectMapper json;

    void init(@Observes Router router) {
        long limit = config.maxBodySize().asLongValue();
        router.route().order(ORDER).handler(ctx -> check(ctx, limit));
    }

    private void check(RoutingContext ctx, long limit) {
        String path = ctx.normalizedPath();
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (path.equals("/v1") || path.startsWith("/v1/")) {
            ctx.next();
            return;
        }
        if (length == null) {
            if (ctx.request().getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
                // a body of unknown length could only be measured by reading it: refuse it before it is read
                refuse(
                        ctx,
                        411,
                        "length-required",
                        "Length required",
                        "Send the request body with a Content-Length header (bodies of unknown length are not accepted; at most "
                                + limit + " bytes, drydock.http.max-body-size).");
                return;
            }
            ctx.next();
            return;
        }
        long declared;
        try {
            declared = Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            refuse(ctx, 400, "bad-request", "Bad request", "Content-Length must be a number of bytes");
            return;
        }
        if (declared <= limit) {
            ctx.next();
            return;
        }
        refuse(
                ctx,
                413,
                "payload-too-large",
                "Request body too large",
                "The request body has " + declared + " bytes; this server accepts at most " + limit
                        + " (drydock.http.max-body-size). Send less, or split it.");
    }

    private void refuse(RoutingContext ctx, int status, String slug, String title, String detail) {
        String body;
        try {
            body = json.writeValueAsString(
                    Problem.of(status, slug, title, detail).withInstance(ctx.normalizedPath()));
        } catch (JsonProcessingException e) {
            body = "{\"status\":" + status + "}";
        }
        // the unread body is not drained: close the connection once the answer is out
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(body);
    }
}
