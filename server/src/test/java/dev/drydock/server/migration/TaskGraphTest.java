package dev.drydock.server.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.drydock.server.problem.ProblemException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskGraphTest {
    static PlanTask task(String id, String... deps) {
        return new PlanTask(id, "calc", "calc.py", "", "python3 -m unittest", List.of(deps));
    }

    @Test
    void shouldAcceptDiamondWhenEveryDependencyExistsAndNothingLoops() {
        // Given
        List<PlanTask> plan = List.of(task("a"), task("b", "a"), task("c", "a"), task("d", "b", "c"));

        // When
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> TaskGraph.check(plan));

        // Then
        assertThat(thrown).isNull();
    }

    @Test
    void shouldNameTheCycleWhenTasksDependOnEachOtherInALoop() {
        // Given
        List<PlanTask> plan = List.of(task("a", "c"), task("b", "a"), task("c", "b"), task("d"));

        // When
        ProblemException e = catchThrowableOfType(ProblemException.class, () -> TaskGraph.check(plan));

        // Then
        assertThat(e.problem().status()).isEqualTo(400);
        assertThat(e.problem().type()).isEqualTo("urn:drydock:problem:invalid-plan");
        assertThat(e.problem().detail()).contains("dependency cycle: a → c → b → a");
    }

    @Test
    void shouldNameTheMissingIdWhenADependencyDangles() {
        // Given
        List<PlanTask> plan = List.of(task("a"), task("b", "a", "ghost"));

        // When
        ProblemException e = catchThrowableOfType(ProblemException.class, () -> TaskGraph.check(plan));

        // Then
        assertThat(e.problem().detail()).isEqualTo("task 'b' depends on 'ghost', which is not a task of the plan");
        assertThat(e.problem().errors())
                .singleElement()
                .satisfies(f -> assertThat(f.field()).isEqualTo("tasks[1].dependsOn"));
    }

    @Test
    void shouldRefuseSelfDependencyWhenATaskDependsOnItself() {
        // Given
        List<PlanTask> plan = List.of(task("a", "a"));

        // When
        ProblemException e = catchThrowableOfType(ProblemException.class, () -> TaskGraph.check(plan));

        // Then
        assertThat(e.problem().detail()).isEqualTo("task 'a' depends on itself");
    }

    @Test
    void shouldRefuseDuplicateIdWhenTwoTasksShareIt() {
        // Given
        List<PlanTask> plan = List.of(task("a"), task("b"), task("a"));

        // When
        ProblemException e = catchThrowableOfType(ProblemException.class, () -> TaskGraph.check(plan));

        // Then
        assertThat(e.problem().detail()).isEqualTo("task id 'a' is used twice; ids must be unique");
        assertThat(e.problem().errors())
                .singleElement()
                .satisfies(f -> assertThat(f.field()).isEqualTo("tasks[2].id"));
    }
}
