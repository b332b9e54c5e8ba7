package dev.drydock.server.gateway.core;

import java.time.Duration;

/**
 * How hard the gateway tries: attempts per endpoint (with exponential backoff, honouring
 * {@code Retry-After} up to {@code maxBackoff}), the circuit breaker, and how long a request waits for
 * a free slot at a busy endpoint before moving on.
 */
public record GatewaySettings(
        int attemptsPerEndpoint,
        Duration initialBackoff,
        Duration maxBackoff,
        int breakerFailureThreshold,
        Duration breakerOpenFor,
        Duration queueTimeout) {

    public static GatewaySettings defaults() {
        return new GatewaySettings(
                2, Duration.ofMillis(200), Duration.ofSeconds(2), 5, Duration.ofSeconds(30), Duration.ofSeconds(2));
    }
}
