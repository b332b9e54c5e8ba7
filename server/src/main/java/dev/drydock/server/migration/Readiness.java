package dev.drydock.server.migration;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The scheduling rules as pure functions over a plan's tasks and their states.
 *
 * <ul>
 *   <li>A pending task is <em>ready</em> when each dependency succeeded, or was skipped with "unblock
 *       dependents". In a migration that waits for merges ({@code readyWhen: merged}), a dependency
 *       whose session delivered a merge request counts as succeeded once that merge request merged;
 *       while it is open the migration is still running (a person reviews it), when it was closed
 *       without merging the migration needs attention.
 *   <li>Skipping without unblocking skips the task's transitive dependents with it, so no task ever
 *       waits on a dependency that will not run.
 *   <li>Since the plan is acyclic, a pending task that is not ready has a dependency path to a task that
 *       is running, ready or failed; the only stall is a failed task, which a person retries, edits or
 *       skips ({@link Phase#NEEDS_ATTENTION}). The graph cannot deadlock.
 * </ul>
 */
public final class Readiness {
    private Readiness() {}

    /**
     * A task as the rules see it; {@code merge} is where the merge request its session delivered stands
     * when the migration waits for merges ({@link Merge#NONE} otherwise).
     */
    public record Node(String id, List<String> dependsOn, TaskState state, boolean unblocks, Merge merge) {
        public Node(String id, List<String> dependsOn, TaskState state, boolean unblocks) {
            this(id, dependsOn, state, unblocks, Merge.NONE);
        }
    }

    /** A succeeded task's merge request, as far as readiness cares. */
    public enum Merge {
        /** No gate: the migration does not wait for merges, the session delivered no merge request, or it merged. */
        NONE,
        /** Its merge request is open: dependents wait for the merge. */
        OPEN,
        /** Its merge request was closed without merging: dependents wait for a person. */
        CLOSED
    }

    /** What a running migration is doing, from its tasks. */
    public enum Phase {
        /** Tasks are running or ready. */
        RUNNING,
        /** Nothing runs and nothing is ready: a failed task waits for a person. */
        NEEDS_ATTENTION,
        /** Every task succeeded or was skipped. */
        COMPLETED
    }

    /** The pending tasks whose dependencies are satisfied, in plan order. */
    public static List<String> ready(List<Node> nodes) {
        Map<String, Node> byId = byId(nodes);
        List<String> out = new ArrayList<>();
        for (Node n : nodes) {
            if (n.state() == TaskState.PENDING && n.dependsOn().stream().allMatch(d -> satisfied(byId.get(d)))) {
                out.add(n.id());
            }
        }
        return out;
    }

    /** The dependencies that keep a pending task waiting, e.g. to show why it is blocked. */
    public static List<String> waitingOn(List<Node> nodes, String id) {
        Map<String, Node> byId = byId(nodes);
        Node n = byId.get(id);
        return n == null
                ? List.of()
                : n.dependsOn().stream().filter(d -> !satisfied(byId.get(d))).toList();
    }

    /** The ids a skip marks skipped: the task, and without {@code unblock} its transitive dependents that have not run. */
    public static Set<String> skipped(List<Node> nodes, String id, boolean unblock) {
        Set<String> out = new LinkedHashSet<>();
        out.add(id);
        if (unblock) {
            return out;
        }
        Deque<String> todo = new ArrayDeque<>(List.of(id));
        while (!todo.isEmpty()) {
            String at = todo.pop();
            for (Node n : nodes) {
                if (n.dependsOn().contains(at)
                        && (n.state() == TaskState.PENDING || n.state() == TaskState.FAILED)
                        && out.add(n.id())) {
                    todo.push(n.id());
                }
            }
        }
        return out;
    }

    /** The phase of a running migration. */
    public static Phase phase(List<Node> nodes) {
        if (nodes.stream()
                .allMatch(n -> (n.state() == TaskState.SUCCEEDED && n.merge() == Merge.NONE)
                        || n.state() == TaskState.SKIPPED)) {
            return Phase.COMPLETED;
        }
        if (nodes.stream().anyMatch(n -> n.state().active() || awaitingMerge(n))
                || !ready(nodes).isEmpty()) {
            return Phase.RUNNING;
        }
        return Phase.NEEDS_ATTENTION;
    }

    private static boolean satisfied(@Nullable Node dep) {
        return dep != null
                && ((dep.state() == TaskState.SUCCEEDED && dep.merge() == Merge.NONE)
                        || (dep.state() == TaskState.SKIPPED && dep.unblocks()));
    }

    private static boolean awaitingMerge(Node n) {
        return n.state() == TaskState.SUCCEEDED && n.merge() == Merge.OPEN;
    }

    private static Map<String, Node> byId(List<Node> nodes) {
        return nodes.stream().collect(Collectors.toMap(Node::id, Function.identity(), (a, b) -> a));
    }
}
