package dev.drydock.server.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jspecify.annotations.Nullable;

/**
 * Turns every exception that reaches the REST layer into problem+json: user mistakes become 4xx with
 * a message that says what to fix, anything else a 500 carrying only an error id. Class names and
 * stack traces never reach the client. Every answered {@link ProblemException} and every refused token or
 * role is announced as a CDI event ({@link ProblemAnswered}, {@link Refusal}); the audit side observes
 * them and records the refusals.
 */
public final class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @Inject
    Event<ProblemAnswered> answered;

    @Inject
    Event<Refusal> refusals;

    @Inject
    SecurityIdentity identity;

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri, HttpServerRequest request) {
        answered.fire(new ProblemAnswered(e, uri.getPath(), client(request)));
        return e.toResponse(uri.getPath());
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri, HttpServerRequest request) {
        String token = bearer(request);
        if (token != null) {
            refusals.fire(new Refusal.TokenRefused(token, uri.getPath(), client(request)));
        }
        return unauthorized(
                uri, "Sign in first: send 'Authorization: Bearer <access token>' issued by Drydock's Keycloak realm.");
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri, HttpServerRequest request) {
        if (e.getCause() instanceof ProblemException p) {
            // a credential refused by Drydock's own mechanism (an API key), which recorded the refusal and says why
            Response answer = p.problem().withInstance(uri.getPath()).toResponse();
            return p.problem().status() == 401
                    ? Response.fromResponse(answer)
                            .header("WWW-Authenticate", "Bearer realm=\"drydock\"")
                            .build()
                    : answer;
        }
        refusals.fire(new Refusal.TokenRefused(bearer(request), uri.getPath(), client(request)));
        return unauthorized(
                uri,
                "The access token was refused (expired, not issued by Drydock's realm, or not meant for the drydock-api audience). Get a new token and retry.");
    }

    private static @Nullable String bearer(HttpServerRequest request) {
        String header = request.getHeader("Authorization");
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).strip()
                : null;
    }

    private static String client(HttpServerRequest request) {
        return request.remoteAddress() == null
                ? "unknown"
                : request.remoteAddress().hostAddress();
    }

    private static Response unauthorized(UriInfo uri, String detail) {
        Problem problem =
                Problem.of(401, "unauthorized", "Unauthorized", detail).withInstance(uri.getPath());
        return Response.fromResponse(problem.toResponse())
                .header("WWW-Authenticate", "Bearer realm=\"drydock\"")
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri, HttpServerRequest request) {
        if (!identity.isAnonymous()) {
            String name = identity.getPrincipal().getName();
            String subject = identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getSubject() != null
                    ? jwt.getSubject()
                    : name;
            refusals.fire(new Refusal.RolesRefused(subject, name, uri.getPath(), client(request)));
        }
        return Problem.of(403, "forbidden", "Forbidden", "Your roles do not allow this operation.")
                .withInstance(uri.getPath())
                .toResponse();
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(leaf(v.getPropertyPath().toString()), v.getMessage()))
                .sorted(java.util.Comparator.comparing(Problem.FieldError::field))
                .toList();
        String detail = errors.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
        return Problem.of(400, "invalid-request", "Invalid request", detail)
                .withInstance(uri.getPath())
                .withErrors(errors)
                .toResponse();
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        String detail;
        StreamConstraintsException limit = JsonLimitMessages.find(e);
        if (limit != null) {
            detail = JsonLimitMessages.describe(limit);
        } else if (e instanceof UnrecognizedPropertyException u) {
            detail = "unknown field '" + u.getPropertyName() + "'";
        } else if (e instanceof InvalidFormatException f) {
            detail = "field '" + path(f) + "' has an invalid value " + quote(f.getValue());
        } else if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            detail = "field '" + path(m) + "' has the wrong type";
        } else if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            detail = "the request body must be a JSON "
                    + (java.util.Collection.class.isAssignableFrom(m.getTargetType())
                                    || m.getTargetType().isArray()
                            ? "list"
                            : "object");
        } else {
            detail = "the request body is not valid JSON"
                    + (e.getLocation() == null
                            ? ""
                            : " (line " + e.getLocation().getLineNr() + ", column "
                                    + e.getLocation().getColumnNr() + ")");
        }
        return Problem.of(400, "malformed-body", "Malformed request body", detail)
                .withInstance(uri.getPath())
                .toResponse();
    }

    /** Quarkus maps this subtype itself (an empty 400) unless a mapper names it. */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, uri);
        }
        if (status == 400 && cause(e, JsonProcessingException.class) instanceof JsonProcessingException json) {
            // the JSON reader wraps what it could not read (a body beyond the JSON limits, among others)
            return unreadableJson(json, uri);
        }
        String reason = Response.Status.fromStatusCode(status) == null
                ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        String detail = switch (status) {
            case 404 -> "No resource at " + uri.getPath() + ".";
            case 405 -> "This resource does not support that HTTP method.";
            case 406 -> "The requested media type is not available; ask for application/json.";
            case 415 -> "Unsupported request media type; send application/json.";
            default -> e.getMessage() == null ? reason : e.getMessage();
        };
        return Problem.of(status, reason.toLowerCase(java.util.Locale.ROOT).replace(' ', '-'), reason, detail)
                .withInstance(uri.getPath())
                .toResponse();
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e, UriInfo uri) {
        String fault = InputFaults.describe(e);
        if (fault != null) {
            return Problem.of(400, "bad-request", "Bad request", fault)
                    .withInstance(uri.getPath())
                    .toResponse();
        }
        if (DatabaseUnavailable.is(e)) {
            // one line, no stack trace: every request meets it while the database is away. Before clientGone: a
            // connection to PostgreSQL that broke ("Broken pipe", "Connection reset") is not the client leaving
            LOG.warnf("database not reachable during %s: %s", uri.getPath(), rootMessage(e));
            return Response.fromResponse(
                            databaseUnavailable().withInstance(uri.getPath()).toResponse())
                    .header("Retry-After", DatabaseUnavailable.RETRY_AFTER_SECONDS)
                    .build();
        }
        if (clientGone(e)) {
            // the caller closed the connection while its answer was written (a long export, a timeout):
            // no answer reaches anyone, and nothing on the server failed
            LOG.debugf("the client of %s closed the connection during the answer: %s", uri.getPath(), e);
            return Problem.of(
                            400,
                            "client-closed",
                            "Client closed the connection",
                            "The connection closed during the answer.")
                    .withInstance(uri.getPath())
                    .toResponse();
        }
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected error %s on %s", errorId, uri.getPath());
        return Problem.of(
                        500,
                        "internal",
                        "Internal error",
                        "Something went wrong on the server. Quote error id " + errorId + " to your administrator.")
                .withInstance(uri.getPath())
                .withErrorId(errorId)
                .toResponse();
    }

    /** The problem a request meets while the database cannot be reached (see {@link DatabaseUnavailable}). */
    public static Problem databaseUnavailable() {
        return Problem.of(503, "database-unavailable", "Database unavailable", DatabaseUnavailable.DETAIL);
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** True when {@code e} says the response could not be written because the connection closed. */
    public static boolean clientGone(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.nio.channels.ClosedChannelException) {
                return true;
            }
            String m = t.getMessage();
            if (t instanceof java.io.IOException
                    && m != null
                    && (m.contains("Failed to write")
                            || m.contains("Connection was closed")
                            || m.contains("Broken pipe")
                            || m.contains("Connection reset"))) {
                return true;
            }
        }
        return false;
    }

    private static @Nullable Throwable cause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        return null;
    }

    private static String path(MismatchedInputException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String leaf(String propertyPath) {
        int dot = propertyPath.lastIndexOf('.');
        return dot < 0 ? propertyPath : propertyPath.substring(dot + 1);
    }

    private static String quote(Object value) {
        String s = String.valueOf(value);
        return "'" + (s.length() > 80 ? s.substring(0, 80) + "…" : s) + "'";
    }
}
