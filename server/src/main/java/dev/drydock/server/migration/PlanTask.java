package dev.drydock.server.migration;

import java.util.List;

/**
 * One task of a migration plan: the repository it changes, its scope (files or modules), what the
 * droid should do there, the command whose success accepts it, and the ids of the tasks it waits for.
 */
public record PlanTask(
        String id, String repository, String scope, String instructions, String acceptance, List<String> dependsOn) {
    public PlanTask {
        dependsOn = List.copyOf(dependsOn);
    }
}
