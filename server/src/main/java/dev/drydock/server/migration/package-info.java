/**
 * Migrations: a goal over several repositories of one workspace, planned by a knowledge-droid session
 * into a DAG of tasks that a person reviews and approves, then run by a scheduler as code-droid
 * sessions in parallel under per-migration and per-workspace caps, with all state in PostgreSQL.
 */
@NullMarked
package dev.drydock.server.migration;

import org.jspecify.annotations.NullMarked;
