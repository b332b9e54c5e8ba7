package dev.drydock.server.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.server.migration.Readiness.Node;
import dev.drydock.server.migration.Readiness.Phase;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReadinessTest {
    static Node node(String id, TaskState state, String... deps) {
        return new Node(id, List.of(deps), state, false);
    }

    @Test
    void shouldMakeTaskReadyWhenEveryDependencySucceeded() {
        // Given
        List<Node> nodes = List.of(
                node("a", TaskState.SUCCEEDED),
                node("b", TaskState.RUNNING),
                node("c", TaskState.PENDING, "a"),
                node("d", TaskState.PENDING, "a", "b"),
                node("e", TaskState.PENDING));

        // When
        List<String> ready = Readiness.ready(nodes);

        // Then
        assertThat(ready).containsExactly("c", "e");
    }

    @Test
    void shouldUnblockDependentsWhenTheSkipSaysSo() {
        // Given
        List<Node> nodes =
                List.of(new Node("a", List.of(), TaskState.SKIPPED, true), node("b", TaskState.PENDING, "a"));

        // When
        List<String> ready = Readiness.ready(nodes);

        // Then
        assertThat(ready).containsExactly("b");
    }

    @Test
    void shouldSkipTransitiveDependentsWhenASkipDoesNotUnblock() {
        // Given
        List<Node> nodes = List.of(
                node("a", TaskState.FAILED),
                node("b", TaskState.PENDING, "a"),
                node("c", TaskState.PENDING, "b"),
                node("d", TaskState.PENDING));

        // When
        Set<String> skipped = Readiness.skipped(nodes, "a", false);

        // Then
        assertThat(skipped).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void shouldNeedAttentionWhenOnlyAFailedTaskBlocksTheRest() {
        // Given
        List<Node> nodes =
                List.of(node("a", TaskState.FAILED), node("b", TaskState.PENDING, "a"), node("c", TaskState.SUCCEEDED));

        // When
        Phase phase = Readiness.phase(nodes);

        // Then
        assertThat(phase).isEqualTo(Phase.NEEDS_ATTENTION);
        assertThat(Readiness.waitingOn(nodes, "b")).containsExactly("a");
    }

    @Test
    void shouldCompleteWhenEveryTaskSucceededOrWasSkipped() {
        // Given
        List<Node> nodes = List.of(node("a", TaskState.SUCCEEDED), node("b", TaskState.SKIPPED, "a"));

        // When
        Phase phase = Readiness.phase(nodes);

        // Then
        assertThat(phase).isEqualTo(Phase.COMPLETED);
    }

    static Node succeeded(String id, Readiness.Merge merge) {
        return new Node(id, List.of(), TaskState.SUCCEEDED, false, merge);
    }

    @Test
    void shouldKeepDependentWaitingAndMigrationRunningWhenDependencyMergeRequestIsOpen() {
        // Given
        List<Node> nodes = List.of(succeeded("a", Readiness.Merge.OPEN), node("b", TaskState.PENDING, "a"));

        // When
        List<String> ready = Readiness.ready(nodes);

        // Then
        assertThat(ready).isEmpty();
        assertThat(Readiness.waitingOn(nodes, "b")).containsExactly("a");
        assertThat(Readiness.phase(nodes)).isEqualTo(Phase.RUNNING);
    }

    @Test
    void shouldMakeDependentReadyWhenDependencyMergeRequestMerged() {
        // Given
        List<Node> nodes = List.of(succeeded("a", Readiness.Merge.NONE), node("b", TaskState.PENDING, "a"));

        // When
        List<String> ready = Readiness.ready(nodes);

        // Then
        assertThat(ready).containsExactly("b");
    }

    @Test
    void shouldNeedAttentionWhenDependencyMergeRequestWasClosedWithoutMerging() {
        // Given
        List<Node> nodes = List.of(succeeded("a", Readiness.Merge.CLOSED), node("b", TaskState.PENDING, "a"));

        // When
        Phase phase = Readiness.phase(nodes);

        // Then
        assertThat(phase).isEqualTo(Phase.NEEDS_ATTENTION);
        assertThat(Readiness.ready(nodes)).isEmpty();
    }

    @Test
    void shouldNotCompleteWhileLastMergeRequestIsOpen() {
        // Given
        List<Node> nodes = List.of(succeeded("a", Readiness.Merge.NONE), succeeded("b", Readiness.Merge.OPEN));

        // When
        Phase phase = Readiness.phase(nodes);

        // Then
        assertThat(phase).isEqualTo(Phase.RUNNING);
    }
}
