package dev.drydock.server.gateway.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A per-endpoint circuit breaker: {@code failureThreshold} consecutive failures open it; after
 * {@code openFor} one trial request is let through (half-open); its success closes the breaker, its
 * failure opens it again. Time comes from the injected {@link Clock}.
 */
public final class CircuitBreaker {
    /** The breaker's state. */
    public enum State {
        CLOSED,
        OPEN,
        HALF_OPEN
    }

    private final int failureThreshold;
    private final Duration openFor;
    private final Clock clock;
    private final Runnable onOpen;
    private State state = State.CLOSED;
    private int failures;
    private Instant openedAt = Instant.EPOCH;
    private boolean trialInFlight;

    public CircuitBreaker(int failureThreshold, Duration openFor, Clock clock) {
        this(failureThreshold, openFor, clock, () -> {});
    }

    /** A breaker that runs {@code onOpen} each time it opens (quickly: it runs under the breaker's lock). */
    public CircuitBreaker(int failureThreshold, Duration openFor, Clock clock, Runnable onOpen) {
        this.failureThreshold = failureThreshold;
        this.openFor = openFor;
        this.clock = clock;
        this.onOpen = onOpen;
    }

    /**
     * Keeps requests away until {@code until}, as an open breaker of another replica says (then one
     * trial, as after an opening here); an earlier time than this breaker's own changes nothing, and
     * nobody is told ({@code onOpen} is for openings seen here).
     */
    public synchronized void openUntil(Instant until) {
        Instant openedFrom = until.minus(openFor);
        if (!clock.instant().isBefore(until) || state == State.OPEN && !openedFrom.isAfter(openedAt)) {
            return;
        }
        state = State.OPEN;
        openedAt = openedFrom;
        failures = 0;
        trialInFlight = false;
    }

    /** True when a request may go to the endpoint now; a true answer in half-open state claims the one trial. */
    public synchronized boolean tryAcquire() {
        switch (state) {
            case CLOSED:
                return true;
            case OPEN:
                if (!clock.instant().isBefore(openedAt.plus(openFor))) {
                    state = State.HALF_OPEN;
                    trialInFlight = true;
                    return true;
                }
                return false;
            case HALF_OPEN:
            default:
                if (trialInFlight) {
                    return false;
                }
                trialInFlight = true;
                return true;
        }
    }

    public synchronized void onSuccess() {
        state = State.CLOSED;
        failures = 0;
        trialInFlight = false;
    }

    public synchronized void onFailure() {
        trialInFlight = false;
        if (state == State.HALF_OPEN) {
            open();
            return;
        }
        failures++;
        if (failures >= failureThreshold) {
            open();
        }
    }

    /** Gives back a claimed trial without a verdict (the caller cancelled). */
    public synchronized void release() {
        trialInFlight = false;
    }

    private void open() {
        state = State.OPEN;
        openedAt = clock.instant();
        failures = 0;
        onOpen.run();
    }

    /** The state as of now (an expired open state reads as half-open). */
    public synchronized State state() {
        if (state == State.OPEN && !clock.instant().isBefore(openedAt.plus(openFor))) {
            return State.HALF_OPEN;
        }
        return state;
    }
}
