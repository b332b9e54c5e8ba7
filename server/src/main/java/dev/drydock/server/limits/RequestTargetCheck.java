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
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Refuses, with 400 problem+json, a request whose path or query is not percent-encoded UTF-8 (a
 * malformed escape, bytes that are no UTF-8, an encoded surrogate) or holds NUL ({@code %00}), before any
 * resource, authorization check or audit record sees it: such text is never a name, an id or a search,
 * and PostgreSQL refuses NUL in every text column. The {@code /v1} front door answers in OpenAI's error
 * format and has no path parameters, so it is left to its own routes.
 */
@ApplicationScoped
public class RequestTargetCheck {
    /** Right after {@link BodySizeLimit}, before authentication and the resources. */
    static final int ORDER = BodySizeLimit.ORDER + 1;

    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
    /** RFC 9110's media type: a token, a slash, a token, then parameters (their syntax left to the reader). */
    private static final Pattern MEDIA_TYPE =
            Pattern.compile(TOKEN + "/" + TOKEN + "\\s*(;[^\\x00-\\x08\\x0a-\\x1f\\x7f]*)?");

    private static final Pattern BARE_STAR = Pattern.compile("\\*\\s*(;[^\\x00-\\x08\\x0a-\\x1f\\x7f]*)?");

    @Inject
    ObjectMapper json;

    @Inject
    RequestLimitsConfig limits;

    void init(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        String uri = ctx.request().uri();
        if (uri.startsWith("/v1/") || uri.equals("/v1")) {
            ctx.next();
            return;
        }
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        String query = q < 0 ? "" : uri.substring(q + 1);
        String fault = fault("path", path);
        if (fault == null) {
            fault = fault("query", query);
        }
        if (fault == null) {
            fault = mediaTypeFault(
                    ctx.request().getHeader(HttpHeaders.CONTENT_TYPE),
                    ctx.request().getHeader(HttpHeaders.ACCEPT));
        }
        if (fault == null) {
            ctx.next();
            return;
        }
        String body;
        try {
            body = json.writeValueAsString(
                    Problem.of(400, "bad-request", "Bad request", fault).withInstance(printable(path)));
        } catch (JsonProcessingException e) {
            body = "{\"status\":400}";
        }
        String answer = body;
        UnreadBodies.answerAfterBody(
                ctx,
                limits.maxBodySize().asLongValue(),
                () -> ctx.response()
                        .setStatusCode(400)
                        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .end(answer));
    }

    /** Why {@code part} of the request target cannot be used; null when it can. */
    static @Nullable String fault(String name, String part) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(part.length());
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c == '%') {
                if (i + 2 >= part.length() || hex(part.charAt(i + 1)) < 0 || hex(part.charAt(i + 2)) < 0) {
                    return "The " + name + " has a malformed percent escape at character " + (i + 1)
                            + " (send a literal '%' as %25).";
                }
                bytes.write(hex(part.charAt(i + 1)) << 4 | hex(part.charAt(i + 2)));
                i += 2;
            } else if (c == 0) {
                bytes.write(0);
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] raw = bytes.toByteArray();
        for (byte b : raw) {
            if (b == 0) {
                return "The " + name + " holds a NUL character (%00), which no name, id or search may contain.";
            }
        }
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw));
        } catch (CharacterCodingException e) {
            return "The " + name + " is not valid UTF-8 once its percent escapes are decoded.";
        }
        return null;
    }

    /**
     * Why the {@code Content-Type} or {@code Accept} header cannot be read as media types; null when
     * they can (or are absent). {@code Accept} may also hold the bare {@code *} old Java clients send.
     */
    static @Nullable String mediaTypeFault(@Nullable String contentType, @Nullable String accept) {
        if (contentType != null && !MEDIA_TYPE.matcher(contentType).matches()) {
            return "The Content-Type header '" + printable(contentType)
                    + "' is not a media type (type/subtype with optional parameters, e.g. application/json).";
        }
        if (accept != null && !accept.isBlank()) {
            for (String range : accept.split(",", -1)) {
                String r = range.strip();
                if (!r.isEmpty()
                        && !MEDIA_TYPE.matcher(r).matches()
                        && !BARE_STAR.matcher(r).matches()) {
                    return "The Accept header '" + printable(accept) + "' holds '" + printable(r)
                            + "', which is not a media range (type/subtype, type/* or */*, with optional parameters).";
                }
            }
        }
        return null;
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    /** The path for the problem's instance, its escapes kept, at most 200 characters. */
    private static String printable(String path) {
        return path.length() <= 200 ? path : path.substring(0, 200) + "…";
    }
}
