package dev.drydock.server.problem;

import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Thrown by services for an expected, client-caused problem; mapped to its {@link Problem} as is.
 * Services throw it instead of building JAX-RS responses.
 */
public class ProblemException extends RuntimeException {
    private final transient Problem problem;
    private final long retryAfterSeconds;

    public ProblemException(Problem problem) {
        this(problem, -1);
    }

    private ProblemException(Problem problem, long retryAfterSeconds) {
        super(problem.detail());
        this.problem = problem;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Problem problem() {
        return problem;
    }

    /** Seconds after which a retry may succeed ({@code Retry-After}), or empty. */
    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds < 0 ? OptionalLong.empty() : OptionalLong.of(retryAfterSeconds);
    }

    /** The caller uses more than a limit allows (429); {@code detail} names the limit and what to do. */
    public static ProblemException tooManyRequests(String detail) {
        return new ProblemException(Problem.of(429, "too-many-requests", "Too many requests", detail));
    }

    /** Like {@link #tooManyRequests(String)}, with the wait after which a retry can succeed (sent as {@code Retry-After}). */
    public static ProblemException tooManyRequests(String detail, Duration retryAfter) {
        return new ProblemException(
                Problem.of(429, "too-many-requests", "Too many requests", detail),
                Math.max(1, (retryAfter.toMillis() + 999) / 1000));
    }

    /** The request body is larger than the server accepts (413). */
    public static ProblemException tooLarge(String detail) {
        return new ProblemException(Problem.of(413, "payload-too-large", "Request body too large", detail));
    }

    /** The problem as a response, with {@code Retry-After} when the exception carries one. */
    public Response toResponse(String instance) {
        Response r = problem.withInstance(instance).toResponse();
        return retryAfterSeconds < 0
                ? r
                : Response.fromResponse(r)
                        .header("Retry-After", Long.toString(retryAfterSeconds))
                        .build();
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(
                Problem.of(404, "not-found", "Not found", what + " does not exist or you may not see it."));
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(Problem.of(400, "bad-request", "Bad request", detail));
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(Problem.of(403, "forbidden", "Forbidden", detail));
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(Problem.of(409, "conflict", "Conflict", detail));
    }
}
