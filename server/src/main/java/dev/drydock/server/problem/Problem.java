package dev.drydock.server.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An RFC 9457 problem detail, the body of every error the API returns. {@code type} is a stable
 * URN per kind of problem; {@code detail} says what to do about it; {@code errorId} ties a 5xx to
 * the server log line without exposing anything internal.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        @Nullable String instance,
        @Nullable String errorId,
        @Nullable List<FieldError> errors) {

    /** The media type of problem bodies. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /** One invalid input field. */
    public record FieldError(String field, String message) {}

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem("urn:drydock:problem:" + slug, title, status, detail, null, null, null);
    }

    public Problem withInstance(String path) {
        return new Problem(type, title, status, detail, path, errorId, errors);
    }

    public Problem withErrorId(String id) {
        return new Problem(type, title, status, detail, instance, id, errors);
    }

    public Problem withErrors(List<FieldError> fieldErrors) {
        return new Problem(type, title, status, detail, instance, errorId, fieldErrors);
    }

    public Response toResponse() {
        return Response.status(status)
                .type(MediaType.valueOf(MEDIA_TYPE))
                .entity(this)
                .build();
    }
}
