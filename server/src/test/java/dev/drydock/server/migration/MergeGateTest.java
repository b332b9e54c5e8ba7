package dev.drydock.server.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.server.delivery.DeliveryTracker;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which tasks are ready when a migration waits for merges, from the merge requests' states the deliverables know. */
class MergeGateTest {
    /** The deliverables as the gate reads them: a session's merge request state. */
    static MergeGate gate(Map<String, String> states) {
        return gate(states, Set.of());
    }

    /** The same, with sessions whose change waits to become a merge request (their repository delivers). */
    static MergeGate gate(Map<String, String> states, Set<String> undelivered) {
        MergeGate gate = new MergeGate();
        gate.deliveries = new DeliveryTracker() {
            @Override
            public Optional<String> mergeRequestState(String sessionId) {
                return Optional.ofNullable(states.get(sessionId));
            }

            @Override
            public boolean awaitsMergeRequest(String workspace, String repo, String sessionId) {
                return undelivered.contains(sessionId);
            }
        };
        return gate;
    }

    static MigrationStore.Row migration(String readyWhen) {
        Instant t = Instant.parse("2026-12-07T12:00:00Z");
        return new MigrationStore.Row(
                "m1", "demo", "goal", List.of("calc"), "running", 2, null, null, "mike", t, "wanda", t, t, readyWhen);
    }

    static MigrationStore.TaskRow task(String id, TaskState state, String session, String... deps) {
        return new MigrationStore.TaskRow(
                id,
                "calc",
                "calc.py",
                "",
                "python3 -m unittest",
                List.of(deps),
                state,
                false,
                session,
                1,
                null,
                null,
                null,
                null,
                null,
                MigrationView.Totals.ZERO);
    }

    static final List<MigrationStore.TaskRow> TASKS = List.of(
            task("lib", TaskState.SUCCEEDED, "s-lib"),
            task("app", TaskState.PENDING, null, "lib"),
            task("docs", TaskState.SUCCEEDED, "s-docs"),
            task("site", TaskState.PENDING, null, "docs"));

    @Test
    void shouldWaitForOpenMergeRequestButNotForSessionWithoutOneWhenMigrationWaitsForMerges() {
        // Given lib's merge request is open, docs' session delivered none
        MergeGate gate = gate(Map.of("s-lib", "opened"));

        // When
        List<String> ready = Readiness.ready(gate.nodes(migration("merged"), TASKS));

        // Then
        assertThat(ready).containsExactly("site");
    }

    @Test
    void shouldMakeDependentReadyWhenItsDependencysMergeRequestMerged() {
        // Given
        MergeGate gate = gate(Map.of("s-lib", "merged"));

        // When
        List<String> ready = Readiness.ready(gate.nodes(migration("merged"), TASKS));

        // Then
        assertThat(ready).containsExactly("app", "site");
    }

    @Test
    void shouldIgnoreOpenMergeRequestsWhenMigrationWaitsForSessionsOnly() {
        // Given
        MergeGate gate = gate(Map.of("s-lib", "opened", "s-docs", "closed"));

        // When
        List<String> ready = Readiness.ready(gate.nodes(migration("session-succeeded"), TASKS));

        // Then
        assertThat(ready).containsExactly("app", "site");
    }

    @Test
    void shouldWaitForAChangeNotYetDeliveredWhenItsRepositoryOpensMergeRequests() {
        // Given lib's session succeeded with a change its repository's git server has no merge request for yet
        MergeGate gate = gate(Map.of(), Set.of("s-lib"));

        // When
        List<Readiness.Node> nodes = gate.nodes(migration("merged"), TASKS);

        // Then app waits, and the migration keeps running
        assertThat(Readiness.ready(nodes)).containsExactly("site");
        assertThat(Readiness.phase(nodes)).isEqualTo(Readiness.Phase.RUNNING);
    }
}
