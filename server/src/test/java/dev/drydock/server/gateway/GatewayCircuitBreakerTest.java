package dev.drydock.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.server.gateway.core.CircuitBreaker;
import dev.drydock.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GatewayCircuitBreakerTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final CircuitBreaker breaker = new CircuitBreaker(2, Duration.ofSeconds(10), clock);

    @Test
    void shouldOpenAfterThresholdAndAllowOneTrialAfterPause() {
        // Given
        breaker.onFailure();
        breaker.onFailure();
        boolean whileOpen = breaker.tryAcquire();
        clock.advance(Duration.ofSeconds(10));

        // When
        boolean trial = breaker.tryAcquire();
        boolean second = breaker.tryAcquire();

        // Then
        assertThat(whileOpen).isFalse();
        assertThat(trial).isTrue();
        assertThat(second).isFalse();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    }

    @Test
    void shouldReopenWhenTrialFailsAndCloseWhenItSucceeds() {
        // Given
        breaker.onFailure();
        breaker.onFailure();
        clock.advance(Duration.ofSeconds(11));
        breaker.tryAcquire();
        breaker.onFailure();
        boolean rightAfter = breaker.tryAcquire();
        clock.advance(Duration.ofSeconds(11));
        breaker.tryAcquire();

        // When
        breaker.onSuccess();

        // Then
        assertThat(rightAfter).isFalse();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.tryAcquire()).isTrue();
    }

    @Test
    void shouldKeepRequestsAwayUntilTheTimeAnotherReplicaSaysThenAllowOneTrial() {
        // Given a closed breaker here, and another replica's breaker of the endpoint open for 30 s more
        Instant until = clock.instant().plusSeconds(30);

        // When
        breaker.openUntil(until);

        // Then
        assertThat(breaker.tryAcquire()).isFalse();
        clock.advance(Duration.ofSeconds(29));
        assertThat(breaker.tryAcquire()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.tryAcquire()).isFalse();
    }

    @Test
    void shouldTellWhenItOpensButNotWhenItAdoptsAnotherReplicasOpening() {
        // Given
        int[] told = {0};
        CircuitBreaker shared = new CircuitBreaker(2, Duration.ofSeconds(10), clock, () -> told[0]++);
        shared.openUntil(clock.instant().plusSeconds(5));
        clock.advance(Duration.ofSeconds(5));
        shared.tryAcquire();

        // When the trial fails and the breaker opens here
        shared.onFailure();

        // Then
        assertThat(told[0]).isEqualTo(1);
        assertThat(shared.state()).isEqualTo(CircuitBreaker.State.OPEN);
    }
}
