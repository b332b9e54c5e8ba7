package dev.drydock.server.limits;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a request whose body nobody needs only after the body has arrived. A server that answers
 * early and then closes (or leaves unread bytes behind) can make the client's TCP stack drop the
 * answer: the client then sees the connection end with no answer at all (the API fuzzing found it on
 * a {@code /v1} route that does not exist, sent 30 KB). The body is read and thrown away, up to a
 * limit; past it the answer goes out at once and closes the connection.
 */
public final class UnreadBodies {
    private UnreadBodies() {}

    /** Runs {@code answer} once the request's body is read (at once when it has none or is read). */
    public static void answerAfterBody(RoutingContext ctx, long maxBytes, Runnable answer) {
        HttpServerRequest request = ctx.request();
        if (request.isEnded()) {
            answer.run();
            return;
        }
        long[] read = {0};
        request.handler(chunk -> {
            read[0] += chunk.length();
            if (read[0] > maxBytes && !ctx.response().ended()) {
                ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                answer.run();
            }
        });
        request.exceptionHandler(e -> {
            // the client went away while sending: there is nobody to answer
        });
        request.endHandler(v -> {
            if (!ctx.response().ended()) {
                answer.run();
            }
        });
        request.resume();
    }
}
