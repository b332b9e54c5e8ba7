package dev.drydock.server.migration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How migrations are scheduled. */
@ConfigMapping(prefix = "drydock.migration")
public interface MigrationConfig {
    /**
     * Most task sessions one migration runs at once; a migration may ask for fewer when it is created
     * ({@code maxParallel}), never for more.
     */
    @WithDefault("4")
    int maxParallelPerMigration();

    /**
     * Most migration task sessions going at once in one workspace, over all its migrations. Sessions
     * also count against {@code drydock.session.max-running-per-workspace} and {@code
     * max-running-per-user} (the approver's); a task that would pass those waits for the next round.
     */
    @WithDefault("8")
    int maxParallelPerWorkspace();

    /** The droid that writes a migration's plan (it needs no repository; the task names them all). */
    @WithDefault("knowledge")
    String plannerDroid();

    /** The droid that runs each task (its session gets the task's repository). */
    @WithDefault("code")
    String taskDroid();
}
