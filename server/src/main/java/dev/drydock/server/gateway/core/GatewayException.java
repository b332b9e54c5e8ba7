package dev.drydock.server.gateway.core;

import org.jspecify.annotations.Nullable;

/** A gateway request that did not produce a completion; the request was recorded with this outcome. */
public final class GatewayException extends Exception {
    private final Outcome outcome;
    private final String requestId;

    public GatewayException(Outcome outcome, String requestId, @Nullable String message) {
        super(message, null, false, false);
        this.outcome = outcome;
        this.requestId = requestId;
    }

    public Outcome outcome() {
        return outcome;
    }

    public String requestId() {
        return requestId;
    }
}
