package dev.drydock.server.promotion;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A gate run as the API, the portal and the CLI show it: progress while it runs, then the report
 * (pass rate, per-fixture results, tokens, wall time) and its difference from the latest report of
 * the model the routes sent the code droid's traffic to when the run finished.
 *
 * @param current whether the run was made against the endpoint's current URL and model id
 */
public record GateReport(
        String run,
        String endpoint,
        String baseUrl,
        String modelId,
        String state,
        String reason,
        double threshold,
        @Nullable Double passRate,
        int done,
        int total,
        long promptTokens,
        long completionTokens,
        long wallMs,
        String startedBy,
        Instant createdAt,
        @Nullable Instant finishedAt,
        boolean current,
        List<FixtureResult> fixtures,
        @Nullable Diff diff) {

    /** One fixture: {@code pending}, {@code running}, {@code passed} or {@code failed}, with its session. */
    public record FixtureResult(
            String name,
            String state,
            @Nullable String session,
            String detail,
            long promptTokens,
            long completionTokens,
            long wallMs) {}

    /**
     * The difference from the baseline (the routed model's latest report), fixture by fixture:
     * fixtures the candidate fails that the baseline passed, and the reverse; token and wall-time
     * ratios (candidate / baseline, over the fixtures both ran; null when the baseline spent none).
     */
    public record Diff(
            String baselineEndpoint,
            String baselineRun,
            @Nullable Double baselinePassRate,
            List<String> newlyFailing,
            List<String> newlyPassing,
            @Nullable Double tokenRatio,
            @Nullable Double timeRatio) {}

    /** Whether the run finished and passed. */
    public boolean passed() {
        return state.equals("passed");
    }
}
