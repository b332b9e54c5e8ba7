package dev.drydock.server.migration;

import dev.drydock.server.persistence.Columns;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The migration tables (V48): native queries through the EntityManager, each in the caller's transaction or its own. */
@ApplicationScoped
public class MigrationStore {
    @Inject
    EntityManager em;

    /** A stored migration row. */
    record Row(
            String id,
            String workspace,
            String goal,
            List<String> repositories,
            String state,
            int maxParallel,
            @Nullable String planningSession,
            @Nullable String planError,
            String createdBy,
            Instant createdAt,
            @Nullable String approvedBy,
            @Nullable Instant approvedAt,
            Instant updatedAt,
            String readyWhen) {}

    /** A stored task with its edges and its session's projection columns. */
    record TaskRow(
            String id,
            String repository,
            String scope,
            String instructions,
            String acceptance,
            List<String> dependsOn,
            TaskState state,
            boolean unblocks,
            @Nullable String session,
            int attempts,
            @Nullable String error,
            @Nullable Instant startedAt,
            @Nullable Instant finishedAt,
            @Nullable String sessionStatus,
            @Nullable String sessionOutcome,
            MigrationView.Totals totals) {
        Readiness.Node node() {
            return new Readiness.Node(id, dependsOn, state, unblocks);
        }
    }

    private static final String COLUMNS =
            "id::text, workspace, goal, repositories, state, max_parallel, planning_session::text, plan_error, created_by, created_at, approved_by, approved_at, updated_at, ready_when";

    void insert(
            UUID id,
            String workspace,
            String goal,
            List<String> repositories,
            int maxParallel,
            String planningSession,
            String createdBy,
            Instant now,
            String readyWhen,
            String portalBase) {
        tx(() -> em.createNativeQuery(
                        "insert into migration(id, workspace, goal, repositories, state, max_parallel, planning_session, created_by, created_at, updated_at, ready_when, portal_base) "
                                + "values (?1, ?2, ?3, ?4, 'planning', ?5, cast(?6 as uuid), ?7, ?8, ?8, ?9, ?10)")
                .setParameter(9, readyWhen)
                .setParameter(10, portalBase)
                .setParameter(1, id)
                .setParameter(2, workspace)
                .setParameter(3, goal)
                .setParameter(4, String.join(",", repositories))
                .setParameter(5, maxParallel)
                .setParameter(6, planningSession)
                .setParameter(7, createdBy)
                .setParameter(8, now)
                .executeUpdate());
    }

    /** The portal's address the migration was started from (links in the merge requests of its tasks). */
    Optional<String> portalBase(String id) {
        @SuppressWarnings("unchecked")
        List<String> bases = tx(() -> em.createNativeQuery("select portal_base from migration where id = ?1")
                .setParameter(1, UUID.fromString(id))
                .getResultList());
        return bases.stream().filter(Objects::nonNull).findFirst();
    }

    Optional<Row> row(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return rows("select " + COLUMNS + " from migration where id = ?1", uuid).stream()
                .findFirst();
    }

    List<Row> inWorkspace(String workspace, int limit) {
        return rows(
                "select " + COLUMNS + " from migration where workspace = ?1 order by created_at desc limit "
                        + Math.min(500, Math.max(1, limit)),
                workspace);
    }

    List<Row> inStates(String... states) {
        return rows(
                "select " + COLUMNS + " from migration where state in (?1) order by created_at", Arrays.asList(states));
    }

    private List<Row> rows(String sql, Object param) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows =
                    em.createNativeQuery(sql).setParameter(1, param).getResultList();
            return rows.stream()
                    .map(r -> new Row(
                            (String) r[0],
                            (String) r[1],
                            (String) r[2],
                            List.of(((String) r[3]).split(",")),
                            (String) r[4],
                            ((Number) r[5]).intValue(),
                            Columns.string(r[6]),
                            Columns.string(r[7]),
                            (String) r[8],
                            Columns.instant(r[9]),
                            Columns.string(r[10]),
                            Columns.instantOrNull(r[11]),
                            Columns.instant(r[12]),
                            (String) r[13]))
                    .toList();
        });
    }

    /** The tasks of a migration in plan order, with their dependencies and their sessions' status and totals. */
    List<TaskRow> tasks(String migration) {
        UUID id = UUID.fromString(migration);
        return QuarkusTransaction.joiningExisting().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> edges = em.createNativeQuery(
                            "select task_id, depends_on from migration_task_dependency where migration_id = ?1 order by task_id, depends_on")
                    .setParameter(1, id)
                    .getResultList();
            Map<String, List<String>> deps = new LinkedHashMap<>();
            for (Object[] e : edges) {
                deps.computeIfAbsent((String) e[0], k -> new ArrayList<>()).add((String) e[1]);
            }
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery(
                            "select t.id, t.repository, t.scope, t.instructions, t.acceptance, t.state, t.unblocks, t.session_id::text, "
                                    + "t.attempts, t.error, t.started_at, t.finished_at, s.status, s.outcome, "
                                    + "coalesce(s.prompt_tokens, 0), coalesce(s.completion_tokens, 0), coalesce(s.cost_micros, 0) "
                                    + "from migration_task t left join droid_session s on s.id = t.session_id "
                                    + "where t.migration_id = ?1 order by t.position")
                    .setParameter(1, id)
                    .getResultList();
            return rows.stream()
                    .map(r -> new TaskRow(
                            (String) r[0],
                            (String) r[1],
                            (String) r[2],
                            (String) r[3],
                            (String) r[4],
                            List.copyOf(deps.getOrDefault((String) r[0], List.of())),
                            TaskState.parse((String) r[5]),
                            (Boolean) r[6],
                            Columns.string(r[7]),
                            ((Number) r[8]).intValue(),
                            Columns.string(r[9]),
                            Columns.instantOrNull(r[10]),
                            Columns.instantOrNull(r[11]),
                            Columns.string(r[12]),
                            Columns.string(r[13]),
                            new MigrationView.Totals(
                                    Columns.longValue(r[14]), Columns.longValue(r[15]), Columns.longValue(r[16]))))
                    .toList();
        });
    }

    /** Replaces the plan's tasks and edges (only before approval). */
    void replacePlan(String migration, List<PlanTask> plan, String state, Instant now) {
        UUID id = UUID.fromString(migration);
        tx(() -> {
            em.createNativeQuery("delete from migration_task where migration_id = ?1")
                    .setParameter(1, id)
                    .executeUpdate();
            for (int i = 0; i < plan.size(); i++) {
                PlanTask t = plan.get(i);
                em.createNativeQuery(
                                "insert into migration_task(migration_id, id, position, repository, scope, instructions, acceptance) values (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                        .setParameter(1, id)
                        .setParameter(2, t.id())
                        .setParameter(3, i)
                        .setParameter(4, t.repository())
                        .setParameter(5, t.scope())
                        .setParameter(6, t.instructions())
                        .setParameter(7, t.acceptance())
                        .executeUpdate();
            }
            for (PlanTask t : plan) {
                for (String dep : t.dependsOn()) {
                    em.createNativeQuery(
                                    "insert into migration_task_dependency(migration_id, task_id, depends_on) values (?1, ?2, ?3)")
                            .setParameter(1, id)
                            .setParameter(2, t.id())
                            .setParameter(3, dep)
                            .executeUpdate();
                }
            }
            em.createNativeQuery("update migration set state = ?2, plan_error = null, updated_at = ?3 where id = ?1")
                    .setParameter(1, id)
                    .setParameter(2, state)
                    .setParameter(3, now)
                    .executeUpdate();
        });
    }

    /** Moves a migration from one state to another; false when it was not in {@code from} any more. */
    boolean transition(String migration, List<String> from, String to, Instant now) {
        return tx(() -> em.createNativeQuery(
                                "update migration set state = ?2, updated_at = ?3 where id = ?1 and state in (?4)")
                        .setParameter(1, UUID.fromString(migration))
                        .setParameter(2, to)
                        .setParameter(3, now)
                        .setParameter(4, from)
                        .executeUpdate())
                == 1;
    }

    boolean approve(String migration, String by, Instant now) {
        return tx(() -> em.createNativeQuery(
                                "update migration set state = 'running', approved_by = ?2, approved_at = ?3, updated_at = ?3 where id = ?1 and state = 'planned'")
                        .setParameter(1, UUID.fromString(migration))
                        .setParameter(2, by)
                        .setParameter(3, now)
                        .executeUpdate())
                == 1;
    }

    void planFailed(String migration, String error, Instant now) {
        tx(() -> em.createNativeQuery(
                        "update migration set state = 'plan_failed', plan_error = ?2, updated_at = ?3 where id = ?1 and state = 'planning'")
                .setParameter(1, UUID.fromString(migration))
                .setParameter(2, error)
                .setParameter(3, now)
                .executeUpdate());
    }

    /**
     * Moves a task from one of {@code from} to {@code to}, setting the columns given (null leaves a
     * column as it is unless it is listed in {@code clear}); false when the task was not in {@code from}.
     */
    boolean moveTask(String migration, String task, List<TaskState> from, TaskState to, TaskUpdate update) {
        StringBuilder sql = new StringBuilder("update migration_task set state = :to");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("to", to.label());
        if (update.session() != null) {
            sql.append(", session_id = cast(:session as uuid)");
            params.put("session", update.session());
        }
        if (update.clearSession()) {
            sql.append(", session_id = null");
        }
        if (update.attemptsDelta() != 0) {
            sql.append(", attempts = attempts + :delta");
            params.put("delta", update.attemptsDelta());
        }
        if (update.error() != null) {
            sql.append(", error = :error");
            params.put("error", update.error());
        } else if (update.clearError()) {
            sql.append(", error = null");
        }
        if (update.startedAt() != null) {
            sql.append(", started_at = :started, finished_at = null");
            params.put("started", update.startedAt());
        }
        if (update.finishedAt() != null) {
            sql.append(", finished_at = :finished");
            params.put("finished", update.finishedAt());
        }
        if (update.unblocks() != null) {
            sql.append(", unblocks = :unblocks");
            params.put("unblocks", update.unblocks());
        }
        sql.append(" where migration_id = :migration and id = :task and state in (:from)");
        params.put("migration", UUID.fromString(migration));
        params.put("task", task);
        params.put("from", from.stream().map(TaskState::label).toList());
        return tx(() -> {
                    var q = em.createNativeQuery(sql.toString());
                    params.forEach(q::setParameter);
                    return q.executeUpdate();
                })
                == 1;
    }

    /** What {@link #moveTask} changes besides the state. */
    record TaskUpdate(
            @Nullable String session,
            boolean clearSession,
            int attemptsDelta,
            @Nullable String error,
            boolean clearError,
            @Nullable Instant startedAt,
            @Nullable Instant finishedAt,
            @Nullable Boolean unblocks) {
        static final TaskUpdate NONE = new TaskUpdate(null, false, 0, null, false, null, null, null);
    }

    void editTask(String migration, String task, String scope, String instructions, String acceptance) {
        tx(() -> em.createNativeQuery(
                        "update migration_task set scope = ?3, instructions = ?4, acceptance = ?5 where migration_id = ?1 and id = ?2")
                .setParameter(1, UUID.fromString(migration))
                .setParameter(2, task)
                .setParameter(3, scope)
                .setParameter(4, instructions)
                .setParameter(5, acceptance)
                .executeUpdate());
    }

    void touch(String migration, Instant now) {
        tx(() -> em.createNativeQuery("update migration set updated_at = ?2 where id = ?1")
                .setParameter(1, UUID.fromString(migration))
                .setParameter(2, now)
                .executeUpdate());
    }

    /** Task sessions going in a workspace, over all its migrations (the per-workspace cap). */
    long activeInWorkspace(String workspace) {
        return QuarkusTransaction.joiningExisting()
                .call(() -> ((Number) em.createNativeQuery(
                                        "select count(*) from migration_task t join migration m on m.id = t.migration_id "
                                                + "where m.workspace = ?1 and t.state in ('starting', 'running')")
                                .setParameter(1, workspace)
                                .getSingleResult())
                        .longValue());
    }

    /** The id of a session with this title in the workspace (a task start the server did not finish recording). */
    Optional<String> sessionTitled(String workspace, String title) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            @SuppressWarnings("unchecked")
            List<String> ids = em.createNativeQuery(
                            "select id::text from droid_session where workspace = ?1 and title = ?2 order by created_at desc")
                    .setParameter(1, workspace)
                    .setParameter(2, title)
                    .getResultList();
            return ids.stream().findFirst();
        });
    }

    /** A session's listing status and outcome. */
    record SessionStatus(String status, @Nullable String outcome) {}

    /** The status and outcome of a session (the log's projection). */
    Optional<SessionStatus> sessionStatus(String session) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("select status, outcome from droid_session where id = ?1")
                    .setParameter(1, UUID.fromString(session))
                    .getResultList();
            return rows.stream().findFirst().map(r -> new SessionStatus((String) r[0], Columns.string(r[1])));
        });
    }

    private <T> T tx(java.util.concurrent.Callable<T> work) {
        return QuarkusTransaction.joiningExisting().call(work);
    }

    private void tx(Runnable work) {
        QuarkusTransaction.joiningExisting().run(work);
    }
}
