package dev.drydock.server.migration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.WorkspaceAccess;
import dev.drydock.server.auth.WorkspaceRole;
import dev.drydock.server.droid.GitMirrors;
import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.session.SessionService;
import dev.drydock.server.session.SessionView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Migration use cases with their authorisation, as for sessions: viewers of the workspace read its
 * migrations, members create, edit, approve and steer them; outsiders get 404.
 */
@ApplicationScoped
public class MigrationService {
    @Inject
    MigrationStore store;

    @Inject
    SessionService sessions;

    @Inject
    GitMirrors mirrors;

    @Inject
    MigrationConfig config;

    @Inject
    MergeGate gate;

    private final Clock clock = Clock.systemUTC();

    /** What a person asks for: a goal, the repositories it concerns, and optionally fewer parallel tasks than the cap. */
    public record CreateMigration(
            @Nullable String goal,
            @Nullable List<String> repositories,
            @Nullable Integer maxParallel,
            @Nullable String readyWhen) {
        public CreateMigration(
                @Nullable String goal, @Nullable List<String> repositories, @Nullable Integer maxParallel) {
            this(goal, repositories, maxParallel, null);
        }
    }

    /** When a task whose dependency delivered a merge request becomes ready (see {@link Readiness}). */
    public static final List<String> READY_WHEN = List.of("session-succeeded", "merged");

    /** A task's editable fields (after approval too, while the task has not succeeded). */
    public record EditTask(
            @Nullable String scope,
            @Nullable String instructions,
            @Nullable String acceptance) {}

    /**
     * Starts a migration; {@code portal} is the portal's address as the caller reached it, where the
     * links of the merge requests opened for its tasks point.
     */
    public MigrationView create(Principal who, String workspace, @Nullable CreateMigration req, URI portal) {
        WorkspaceAccess.require(who, workspace, WorkspaceRole.MEMBER);
        if (req == null || req.goal() == null || req.goal().isBlank()) {
            throw ProblemException.badRequest("goal is required: what the migration should achieve");
        }
        String goal = req.goal().strip();
        if (goal.length() > 4000) {
            throw ProblemException.badRequest("goal is longer than 4000 characters");
        }
        if (req.repositories() == null || req.repositories().isEmpty()) {
            throw ProblemException.badRequest(
                    "repositories is required: the names of the workspace's repositories to migrate");
        }
        Set<String> repos = new LinkedHashSet<>();
        List<String> available = mirrors.available(workspace);
        for (String r : req.repositories()) {
            String name = r == null ? "" : r.strip();
            if (!available.contains(name)) {
                throw ProblemException.badRequest("repository '" + name + "' is not a repository of workspace '"
                        + workspace + "'; available: " + String.join(", ", available));
            }
            if (!repos.add(name)) {
                throw ProblemException.badRequest("repository '" + name + "' is listed twice");
            }
        }
        if (repos.size() > 50) {
            throw ProblemException.badRequest("a migration spans at most 50 repositories");
        }
        int cap = config.maxParallelPerMigration();
        int maxParallel = req.maxParallel() == null ? cap : req.maxParallel();
        String readyWhen = req.readyWhen() == null || req.readyWhen().isBlank()
                ? READY_WHEN.getFirst()
                : req.readyWhen().strip();
        if (!READY_WHEN.contains(readyWhen)) {
            throw ProblemException.badRequest(
                    "readyWhen must be session-succeeded (a dependent starts when its dependency's session succeeded) or merged (when the merge request that session delivered merged)");
        }
        if (maxParallel < 1 || maxParallel > cap) {
            throw ProblemException.badRequest(
                    "maxParallel must be between 1 and " + cap + " (drydock.migration.max-parallel-per-migration)");
        }
        UUID id = UUID.randomUUID();
        List<String> repositories = List.copyOf(repos);
        SessionView planning = sessions.create(
                who,
                new SessionService.CreateSession(
                        workspace,
                        config.plannerDroid(),
                        planningTask(goal, repositories),
                        null,
                        null,
                        "Plan of migration " + id));
        store.insert(
                id,
                workspace,
                goal,
                repositories,
                maxParallel,
                planning.id(),
                who.username(),
                clock.instant(),
                readyWhen,
                portal.toString());
        return view(store.row(id.toString()).orElseThrow());
    }

    public List<MigrationView.Summary> list(Principal who, String workspace, int limit) {
        WorkspaceAccess.require(who, workspace, WorkspaceRole.VIEWER);
        return store.inWorkspace(workspace, limit).stream()
                .map(r -> {
                    List<MigrationStore.TaskRow> tasks = store.tasks(r.id());
                    return new MigrationView.Summary(
                            r.id(),
                            r.workspace(),
                            r.goal(),
                            r.state(),
                            r.createdBy(),
                            r.createdAt(),
                            tasks.size(),
                            count(tasks, TaskState.SUCCEEDED),
                            count(tasks, TaskState.FAILED),
                            count(tasks, TaskState.RUNNING) + count(tasks, TaskState.STARTING));
                })
                .toList();
    }

    public MigrationView get(Principal who, String workspace, String id) {
        return view(authorize(who, workspace, id, WorkspaceRole.VIEWER));
    }

    public Plan plan(Principal who, String workspace, String id) {
        authorize(who, workspace, id, WorkspaceRole.VIEWER);
        return new Plan(store.tasks(id).stream()
                .map(t -> new PlanTask(
                        t.id(), t.repository(), t.scope(), t.instructions(), t.acceptance(), t.dependsOn()))
                .toList());
    }

    /** Replaces the plan (a person's edit) while it is not approved; the DAG rules apply. */
    public MigrationView putPlan(Principal who, String workspace, String id, @Nullable JsonNode body) {
        MigrationStore.Row row = authorize(who, workspace, id, WorkspaceRole.MEMBER);
        if (!List.of("planned", "plan_failed").contains(row.state())) {
            throw ProblemException.conflict(
                    row.state().equals("planning")
                            ? "the planning session is still writing the plan; wait for it (or cancel it) before you edit the plan"
                            : "the plan was approved (the migration is " + row.state()
                                    + "); edit single tasks instead");
        }
        List<PlanTask> plan = PlanParser.of(body, Set.copyOf(row.repositories()));
        store.replacePlan(id, plan, "planned", clock.instant());
        return view(store.row(id).orElseThrow());
    }

    /** Approves the plan as it stands: from now on the scheduler runs its tasks. */
    public MigrationView approve(Principal who, String workspace, String id) {
        MigrationStore.Row row = authorize(who, workspace, id, WorkspaceRole.MEMBER);
        if (!row.state().equals("planned") || !store.approve(id, who.username(), clock.instant())) {
            throw ProblemException.conflict("only a planned migration can be approved; this one is " + row.state()
                    + (row.state().equals("plan_failed") ? " (put a plan first)" : ""));
        }
        return view(store.row(id).orElseThrow());
    }

    /**
     * Runs a failed task again in a new session (its dependents keep waiting for it); also a task whose
     * session a restart interrupted, when a person prefers a fresh session to resuming that one.
     */
    public MigrationView retry(Principal who, String workspace, String id, String task) {
        MigrationStore.Row row = authorize(who, workspace, id, WorkspaceRole.MEMBER);
        requireApproved(row);
        MigrationStore.TaskRow t = task(id, task);
        boolean interrupted = t.state() == TaskState.RUNNING && "interrupted".equals(t.sessionStatus());
        if (!store.moveTask(
                id,
                task,
                List.of(interrupted ? TaskState.RUNNING : TaskState.FAILED),
                TaskState.PENDING,
                new MigrationStore.TaskUpdate(null, true, 0, null, true, null, null, null))) {
            throw ProblemException.conflict(
                    "only a failed task (or one whose session was interrupted) can be retried; task '" + task + "' is "
                            + t.state().label());
        }
        reopen(row);
        return view(store.row(id).orElseThrow());
    }

    /**
     * Skips a pending or failed task. With {@code unblockDependents}, its dependents may run as if it had
     * succeeded; without, they are skipped with it (transitively), so nothing waits on it.
     */
    public MigrationView skip(Principal who, String workspace, String id, String task, boolean unblockDependents) {
        MigrationStore.Row row = authorize(who, workspace, id, WorkspaceRole.MEMBER);
        MigrationStore.TaskRow t = task(id, task);
        if (t.state() != TaskState.PENDING && t.state() != TaskState.FAILED) {
            throw ProblemException.conflict("only a pending or failed task can be skipped; task '" + task + "' is "
                    + t.state().label());
        }
        List<MigrationStore.TaskRow> tasks = store.tasks(id);
        Set<String> skipped = Readiness.skipped(
                tasks.stream().map(MigrationStore.TaskRow::node).toList(), task, unblockDependents);
        for (String s : skipped) {
            store.moveTask(
                    id,
                    s,
                    List.of(TaskState.PENDING, TaskState.FAILED),
                    TaskState.SKIPPED,
                    new MigrationStore.TaskUpdate(
                            null,
                            false,
                            0,
                            s.equals(task)
                                    ? "skipped by " + who.username()
                                    : "skipped with '" + task + "', which it depends on",
                            false,
                            null,
                            clock.instant(),
                            s.equals(task) && unblockDependents));
        }
        reopen(row);
        return view(store.row(id).orElseThrow());
    }

    /** Changes what a task asks for; not while it runs and not once it succeeded. */
    public MigrationView editTask(Principal who, String workspace, String id, String task, @Nullable EditTask edit) {
        authorize(who, workspace, id, WorkspaceRole.MEMBER);
        MigrationStore.TaskRow t = task(id, task);
        if (t.state() != TaskState.PENDING && t.state() != TaskState.FAILED) {
            throw ProblemException.conflict("only a pending or failed task can be edited; task '" + task + "' is "
                    + t.state().label());
        }
        if (edit == null) {
            throw ProblemException.badRequest("send the fields to change: scope, instructions, acceptance");
        }
        String scope = field("scope", edit.scope(), t.scope(), true);
        String acceptance = field("acceptance", edit.acceptance(), t.acceptance(), true);
        String instructions = field("instructions", edit.instructions(), t.instructions(), false);
        store.editTask(id, task, scope, instructions, acceptance);
        store.touch(id, clock.instant());
        return view(store.row(id).orElseThrow());
    }

    private static String field(String name, @Nullable String given, String current, boolean required) {
        if (given == null) {
            return current;
        }
        String s = given.strip();
        if (required && s.isEmpty()) {
            throw ProblemException.badRequest(name + " must not be blank");
        }
        if (s.length() > 4000) {
            throw ProblemException.badRequest(name + " is longer than 4000 characters");
        }
        return s;
    }

    private void reopen(MigrationStore.Row row) {
        // a person acted on a stalled migration: the scheduler looks at it again
        store.transition(row.id(), List.of("needs_attention"), "running", clock.instant());
        store.touch(row.id(), clock.instant());
    }

    private static void requireApproved(MigrationStore.Row row) {
        if (!List.of("running", "needs_attention", "completed").contains(row.state())) {
            throw ProblemException.conflict(
                    "the migration is " + row.state() + "; tasks run only after its plan is approved");
        }
    }

    private MigrationStore.TaskRow task(String migration, String task) {
        return store.tasks(migration).stream()
                .filter(t -> t.id().equals(task))
                .findFirst()
                .orElseThrow(() -> ProblemException.notFound("Task '" + task + "' of migration " + migration));
    }

    private MigrationStore.Row authorize(Principal who, String workspace, String id, WorkspaceRole needed) {
        WorkspaceAccess.require(who, workspace, needed);
        return store.row(id)
                .filter(r -> r.workspace().equals(workspace))
                .orElseThrow(() -> ProblemException.notFound("Migration " + id + " of workspace '" + workspace + "'"));
    }

    MigrationView view(MigrationStore.Row row) {
        List<MigrationStore.TaskRow> tasks = store.tasks(row.id());
        List<Readiness.Node> nodes = gate.nodes(row, tasks);
        List<MigrationView.Task> out = new ArrayList<>();
        MigrationView.Totals totals = MigrationView.Totals.ZERO;
        for (MigrationStore.TaskRow t : tasks) {
            totals = totals.plus(t.totals());
            out.add(new MigrationView.Task(
                    t.id(),
                    t.repository(),
                    t.scope(),
                    t.instructions(),
                    t.acceptance(),
                    t.dependsOn(),
                    t.state().label(),
                    t.state() == TaskState.PENDING ? Readiness.waitingOn(nodes, t.id()) : List.of(),
                    t.unblocks(),
                    t.session(),
                    t.sessionStatus(),
                    t.attempts(),
                    t.error(),
                    t.startedAt(),
                    t.finishedAt(),
                    t.totals()));
        }
        return new MigrationView(
                row.id(),
                row.workspace(),
                row.goal(),
                row.repositories(),
                row.state(),
                row.maxParallel(),
                row.planningSession(),
                row.planError(),
                row.createdBy(),
                row.createdAt(),
                row.approvedBy(),
                row.approvedAt(),
                row.updatedAt(),
                List.copyOf(out),
                totals,
                row.readyWhen());
    }

    private static int count(List<MigrationStore.TaskRow> tasks, TaskState state) {
        return (int) tasks.stream().filter(t -> t.state() == state).count();
    }

    /** What the planning droid is asked: the goal first (so a scripted model can be chosen by it), then the schema. */
    static String planningTask(String goal, List<String> repositories) {
        return "Migration goal: " + goal + "\n\n"
                + "Repositories of this migration: " + String.join(", ", repositories) + "\n\n"
                + "Analyse these repositories and plan the migration as tasks that code droids can each finish in one"
                + " session in one repository. Finish with a document that holds the plan as one JSON object in a"
                + " ```json block, exactly in this schema (no other fields):\n\n"
                + "```json\n{\"tasks\": [{\"id\": \"short-id\", \"repository\": \"one of the repositories above\","
                + " \"scope\": \"the files or modules it changes\", \"instructions\": \"what to do\","
                + " \"acceptance\": \"the test command that must pass\", \"dependsOn\": [\"ids of tasks that must finish first\"]}]}\n```\n\n"
                + "Ids are lower case (a-z, 0-9, '.', '_', '-'); dependencies must name tasks of the plan and must not form a cycle."
                + " A person reviews the plan before anything runs.";
    }

    /** What a task's code droid is asked: the task (scope first), its instructions, the goal and the acceptance command. */
    static String taskText(String goal, MigrationStore.TaskRow t) {
        return "Task '" + t.id() + "' of a migration, in scope: " + t.scope() + "\n\n"
                + (t.instructions().isBlank() ? "" : t.instructions() + "\n\n")
                + "Migration goal: " + goal + "\n\n"
                + "Acceptance: the task is done when `" + t.acceptance() + "` passes in the repository."
                + " Change only what this scope needs; other tasks of the migration handle the rest.";
    }
}
