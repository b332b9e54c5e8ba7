package dev.drydock.server.gateway.core;

import java.util.Locale;

/** How a gateway request ended, as recorded. */
public enum Outcome {
    OK(200),
    CANCELLED(499),
    UNKNOWN_MODEL(404),
    INVALID_REQUEST(400),
    CLASSIFICATION_REFUSED(403),
    DLP_REFUSED(422),
    BUDGET_EXCEEDED(429),
    ALL_ENDPOINTS_UNAVAILABLE(503),
    UPSTREAM_REJECTED(400);

    private final int status;

    Outcome(int status) {
        this.status = status;
    }

    /** The HTTP status a REST caller gets for this outcome. */
    public int httpStatus() {
        return status;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
