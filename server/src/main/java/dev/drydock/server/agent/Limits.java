package dev.drydock.server.agent;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** When a session must stop: model calls, tokens, wall clock (since start or last resume). */
public record Limits(int maxSteps, long maxTokens, Duration wallClock) {
    /** The reason the session must stop now, if it must. */
    public Optional<String> exceededBy(SessionState state, Clock clock) {
        if (state.modelCallsSinceStart() >= maxSteps) {
            return Optional.of("step limit reached: " + maxSteps + " model calls");
        }
        long tokens = state.totals().promptTokens() + state.totals().completionTokens();
        if (tokens >= maxTokens) {
            return Optional.of("token limit reached: " + tokens + " of " + maxTokens);
        }
        if (Duration.between(state.runningSince(), clock.instant()).compareTo(wallClock) > 0) {
            return Optional.of("wall-clock limit reached: " + wallClock);
        }
        return Optional.empty();
    }
}
