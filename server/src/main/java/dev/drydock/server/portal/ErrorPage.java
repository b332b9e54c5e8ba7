package dev.drydock.server.portal;

import dev.drydock.server.problem.InputFaults;
import dev.drydock.server.problem.Problem;
import dev.drydock.server.problem.ProblemException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The portal's errors as a readable HTML page: the same status and detail the API would put in its
 * problem+json, and for anything unexpected only an error id (never a stack trace or class name).
 * {@link PortalErrors} routes every exception under {@code /portal} here.
 */
final class ErrorPage {
    private static final Logger LOG = Logger.getLogger(ErrorPage.class);

    private ErrorPage() {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance error(int status, String title, String detail, String back);
    }

    static Response of(ProblemException e, String back) {
        Response page = of(e.problem(), back);
        return e.retryAfterSeconds().isPresent()
                ? Response.fromResponse(page)
                        .header(
                                "Retry-After",
                                Long.toString(e.retryAfterSeconds().getAsLong()))
                        .build()
                : page;
    }

    static Response of(Problem p, String back) {
        return Response.status(p.status())
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(Templates.error(p.status(), p.title(), p.detail(), back).render())
                .build();
    }

    static Response of(WebApplicationException e, String path, String back) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, path, back);
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String reason = known == null ? "Error" : known.getReasonPhrase();
        String detail = switch (status) {
            case 404 -> "There is no page at " + path + ".";
            case 405 -> "This page does not support that kind of request.";
            case 415 -> "Send this form from the portal page it belongs to.";
            default -> reason + ".";
        };
        return of(Problem.of(status, reason.toLowerCase(Locale.ROOT).replace(' ', '-'), reason, detail), back);
    }

    static Response unexpected(Throwable e, String path, String back) {
        String fault = InputFaults.describe(e);
        if (fault != null) {
            return of(Problem.of(400, "bad-request", "Bad request", fault), back);
        }
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected error %s on %s", errorId, path);
        return of(
                Problem.of(
                                500,
                                "internal",
                                "Internal error",
                                "Something went wrong on the server. Quote error id " + errorId
                                        + " to your administrator.")
                        .withErrorId(errorId),
                back);
    }
}
