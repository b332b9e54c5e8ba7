package dev.drydock.server.migration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The rules that make a plan a DAG: unique ids, no self-dependency, no dangling dependency, no cycle. */
public final class TaskGraph {
    private TaskGraph() {}

    /** Refuses the plan (400 {@code invalid-plan}) naming the duplicate, the missing id or the cycle. */
    public static void check(List<PlanTask> tasks) {
        Map<String, PlanTask> byId = new LinkedHashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            PlanTask t = tasks.get(i);
            if (byId.putIfAbsent(t.id(), t) != null) {
                throw PlanProblem.of(
                        "tasks[" + i + "].id", "task id '" + t.id() + "' is used twice; ids must be unique");
            }
        }
        for (int i = 0; i < tasks.size(); i++) {
            PlanTask t = tasks.get(i);
            Set<String> seen = new HashSet<>();
            for (String dep : t.dependsOn()) {
                String field = "tasks[" + i + "].dependsOn";
                if (dep.equals(t.id())) {
                    throw PlanProblem.of(field, "task '" + t.id() + "' depends on itself");
                }
                if (!byId.containsKey(dep)) {
                    throw PlanProblem.of(
                            field, "task '" + t.id() + "' depends on '" + dep + "', which is not a task of the plan");
                }
                if (!seen.add(dep)) {
                    throw PlanProblem.of(field, "task '" + t.id() + "' lists '" + dep + "' twice in dependsOn");
                }
            }
        }
        List<String> cycle = cycle(byId);
        if (!cycle.isEmpty()) {
            throw PlanProblem.of(
                    "tasks",
                    "the plan has a dependency cycle: " + String.join(" → ", cycle) + " (each depends on the next)");
        }
    }

    /** One cycle as ids, first id repeated at the end (a → b → a), or empty; by depth-first search. */
    static List<String> cycle(Map<String, PlanTask> byId) {
        Map<String, Integer> mark = new HashMap<>(); // 1 = on the stack, 2 = done
        for (String start : byId.keySet()) {
            if (mark.containsKey(start)) {
                continue;
            }
            List<String> stack = new ArrayList<>();
            List<Integer> next = new ArrayList<>();
            stack.add(start);
            next.add(0);
            mark.put(start, 1);
            while (!stack.isEmpty()) {
                int top = stack.size() - 1;
                String id = stack.get(top);
                List<String> deps = java.util.Objects.requireNonNull(byId.get(id), "checked: every id is a task")
                        .dependsOn();
                int i = next.get(top);
                if (i < deps.size()) {
                    next.set(top, i + 1);
                    String dep = deps.get(i);
                    Integer m = mark.get(dep);
                    if (m == null) {
                        mark.put(dep, 1);
                        stack.add(dep);
                        next.add(0);
                    } else if (m == 1) {
                        List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(dep), stack.size()));
                        cycle.add(dep);
                        return cycle;
                    }
                } else {
                    mark.put(id, 2);
                    stack.remove(top);
                    next.remove(top);
                }
            }
        }
        return List.of();
    }
}
