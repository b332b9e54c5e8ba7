package dev.drydock.server.migration;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A migration as the API and the board show it: its state, and each task with its session, tokens and
 * cost; {@code readyWhen} says whether dependents wait for a dependency's session ({@code
 * session-succeeded}) or for its merge request to merge ({@code merged}).
 */
public record MigrationView(
        String id,
        String workspace,
        String goal,
        List<String> repositories,
        String state,
        int maxParallel,
        @Nullable String planningSession,
        @Nullable String planError,
        String createdBy,
        Instant createdAt,
        @Nullable String approvedBy,
        @Nullable Instant approvedAt,
        Instant updatedAt,
        List<Task> tasks,
        Totals totals,
        String readyWhen) {

    /** One task of the plan with where it is. {@code waitingOn}: dependencies not yet satisfied. */
    public record Task(
            String id,
            String repository,
            String scope,
            String instructions,
            String acceptance,
            List<String> dependsOn,
            String state,
            List<String> waitingOn,
            boolean unblocksDependents,
            @Nullable String session,
            @Nullable String sessionStatus,
            int attempts,
            @Nullable String error,
            @Nullable Instant startedAt,
            @Nullable Instant finishedAt,
            Totals totals) {}

    /** Tokens and cost (micro-units of the accounting currency), summed over the sessions shown. */
    public record Totals(long promptTokens, long completionTokens, long costMicros) {
        static final Totals ZERO = new Totals(0, 0, 0);

        Totals plus(Totals o) {
            return new Totals(
                    promptTokens + o.promptTokens, completionTokens + o.completionTokens, costMicros + o.costMicros);
        }
    }

    /** A line of the list: what it is and how far it got. */
    public record Summary(
            String id,
            String workspace,
            String goal,
            String state,
            String createdBy,
            Instant createdAt,
            int tasks,
            int succeeded,
            int failed,
            int running) {}
}
