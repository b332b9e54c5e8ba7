package dev.drydock.server.migration;

import java.util.List;

/** A migration's plan in the schema the planner writes and {@code PUT .../plan} takes: {@code {"tasks": [...]}}. */
public record Plan(List<PlanTask> tasks) {}
