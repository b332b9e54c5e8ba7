package dev.drydock.server.migration;

import java.util.Locale;

/** Where a task is. {@code STARTING}: claimed by the scheduler, its session being created. */
public enum TaskState {
    PENDING,
    STARTING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    SKIPPED;

    /** The stored and shown name, lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static TaskState parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }

    /** Whether a session of the task may be going (counts against the caps). */
    boolean active() {
        return this == STARTING || this == RUNNING;
    }
}
