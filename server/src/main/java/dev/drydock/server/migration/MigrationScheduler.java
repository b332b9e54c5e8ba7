package dev.drydock.server.migration;

import dev.drydock.server.agent.EventLog;
import dev.drydock.server.agent.SessionState;
import dev.drydock.server.agent.event.Progress.ArtifactKind;
import dev.drydock.server.agent.event.Progress.ArtifactProduced;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.WorkspaceMembership;
import dev.drydock.server.auth.WorkspaceRole;
import dev.drydock.server.delivery.DeliveryResource;
import dev.drydock.server.delivery.DeliveryService;
import dev.drydock.server.delivery.DeliveryTracker;
import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.session.SessionService;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Moves migrations along, once a second, from what PostgreSQL holds: a finished planning session
 * becomes a plan (or a plan error); running tasks take their sessions' outcomes; ready tasks start as
 * code-droid sessions up to the migration's and the workspace's caps. It keeps nothing in memory, so
 * after a restart it picks up where the tables and the sessions' logs are ({@code SessionRunner}
 * resumes the sessions themselves).
 *
 * <p>A task is claimed ({@code pending → starting}) by a conditional update before its session is
 * created, and the session is titled after the task and attempt: a server that stopped between the two
 * finds the session by its title at start-up ({@link #recover}), or puts the task back to pending.
 */
@ApplicationScoped
public class MigrationScheduler {
    private static final Logger LOG = Logger.getLogger(MigrationScheduler.class);

    @Inject
    MigrationStore store;

    @Inject
    SessionService sessions;

    @Inject
    EventLog log;

    @Inject
    MigrationConfig config;

    @Inject
    MergeGate gate;

    @Inject
    DeliveryTracker deliveries;

    @Inject
    DeliveryService delivery;

    private final Clock clock = Clock.systemUTC();
    private final ReentrantLock lock = new ReentrantLock();

    void onStart(@Observes StartupEvent start) {
        Thread.ofVirtual().name("migration-recovery").start(this::recover);
    }

    /** Tasks a stopped server left between claim and session: adopt their session, or make them pending again. */
    public void recover() {
        lock.lock();
        try {
            for (MigrationStore.Row m : store.inStates("running", "needs_attention")) {
                for (MigrationStore.TaskRow t : store.tasks(m.id())) {
                    if (t.state() == TaskState.STARTING) {
                        Optional<String> session =
                                store.sessionTitled(m.workspace(), title(m.id(), t.id(), t.attempts()));
                        store.moveTask(
                                m.id(),
                                t.id(),
                                List.of(TaskState.STARTING),
                                session.isPresent() ? TaskState.RUNNING : TaskState.PENDING,
                                session.map(s -> new MigrationStore.TaskUpdate(
                                                s, false, 0, null, false, null, null, null))
                                        .orElse(new MigrationStore.TaskUpdate(
                                                null, false, -1, null, false, null, null, null)));
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "cannot recover migration tasks");
        } finally {
            lock.unlock();
        }
    }

    @Scheduled(every = "1s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        outages.run(this::tick);
    }

    private final dev.drydock.server.problem.OutageLog outages =
            new dev.drydock.server.problem.OutageLog(LOG, "migration scheduler");

    /** One round over every migration that is planning or running. */
    public void tick() {
        if (!lock.tryLock()) {
            return;
        }
        try {
            for (MigrationStore.Row m : store.inStates("planning", "running", "needs_attention")) {
                try {
                    if (m.state().equals("planning")) {
                        plan(m);
                    } else {
                        advance(m);
                    }
                } catch (RuntimeException e) {
                    if (outages.failed(e)) {
                        return;
                    }
                    LOG.errorf(e, "migration %s: the scheduler round failed; it tries again in the next", m.id());
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** A finished planning session: its document becomes the plan, or the reason it could not. */
    private void plan(MigrationStore.Row m) {
        String session = m.planningSession();
        if (session == null) {
            store.planFailed(m.id(), "the migration has no planning session; put a plan", clock.instant());
            return;
        }
        SessionState state = SessionState.fold(log.readAll(session));
        if (state.status() == SessionState.Status.INTERRUPTED) {
            store.planFailed(
                    m.id(),
                    "the planning session was interrupted by a server restart; put a plan by hand, or start a new migration",
                    clock.instant());
            return;
        }
        if (!state.finished()) {
            return;
        }
        String outcome = state.outcome()
                .map(o -> o.name().toLowerCase(java.util.Locale.ROOT))
                .orElse("");
        Optional<ArtifactProduced> document = state.artifacts().stream()
                .filter(a -> a.kind() == ArtifactKind.DOCUMENT)
                .reduce((a, b) -> b);
        if (!outcome.equals("completed") || document.isEmpty()) {
            store.planFailed(
                    m.id(),
                    "the planning session ended " + outcome + " without a plan"
                            + (state.summary().isBlank() ? "" : ": " + state.summary())
                            + "; put a plan by hand, or start the migration again",
                    clock.instant());
            return;
        }
        try {
            List<PlanTask> plan = PlanParser.fromDocument(document.get().content(), Set.copyOf(m.repositories()));
            store.replacePlan(m.id(), plan, "planned", clock.instant());
        } catch (ProblemException e) {
            store.planFailed(
                    m.id(),
                    "the planning droid's plan was refused: " + e.getMessage()
                            + ". Fix it and put it (PUT .../plan), or start the migration again",
                    clock.instant());
        }
    }

    /** Running tasks take their sessions' outcomes, ready tasks start within the caps, the phase follows. */
    private void advance(MigrationStore.Row m) {
        Instant now = clock.instant();
        for (MigrationStore.TaskRow t : store.tasks(m.id())) {
            if (t.state() != TaskState.RUNNING || t.session() == null) {
                continue;
            }
            String status = Objects.requireNonNullElse(t.sessionStatus(), "");
            if (status.equals("finished")) {
                boolean ok = "completed".equals(t.sessionOutcome());
                store.moveTask(
                        m.id(),
                        t.id(),
                        List.of(TaskState.RUNNING),
                        ok ? TaskState.SUCCEEDED : TaskState.FAILED,
                        new MigrationStore.TaskUpdate(
                                null,
                                false,
                                0,
                                ok ? null : failure(t.session(), t.sessionOutcome()),
                                ok,
                                null,
                                now,
                                null));
            }
            // an interrupted session (the server restarted with resume-on-start off) stays the task's: a person
            // resumes it from its page, or retries the task; until then the migration needs attention
        }
        if ("merged".equals(m.readyWhen())) {
            deliverSucceeded(m);
        }
        List<MigrationStore.TaskRow> tasks = store.tasks(m.id());
        List<Readiness.Node> nodes = gate.nodes(m, tasks);
        long active = nodes.stream().filter(n -> n.state().active()).count();
        for (String id : Readiness.ready(nodes)) {
            if (active >= m.maxParallel()
                    || store.activeInWorkspace(m.workspace()) >= config.maxParallelPerWorkspace()) {
                break;
            }
            MigrationStore.TaskRow t =
                    tasks.stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
            if (start(m, t)) {
                active++;
            } else {
                break;
            }
        }
        List<MigrationStore.TaskRow> fresh = store.tasks(m.id());
        List<Readiness.Node> after = gate.nodes(m, fresh).stream()
                .map(n -> n.state() == TaskState.RUNNING
                                && fresh.stream()
                                        .anyMatch(t -> t.id().equals(n.id()) && "interrupted".equals(t.sessionStatus()))
                        ? new Readiness.Node(n.id(), n.dependsOn(), TaskState.FAILED, false)
                        : n)
                .toList();
        String phase = switch (Readiness.phase(after)) {
            case RUNNING -> "running";
            case NEEDS_ATTENTION -> "needs_attention";
            case COMPLETED -> "completed";
        };
        if (!phase.equals(m.state())) {
            store.transition(m.id(), List.of(m.state()), phase, now);
        }
    }

    /** Starts a task's session as the person who approved the plan; false when a session limit says "not now". */
    private boolean start(MigrationStore.Row m, MigrationStore.TaskRow t) {
        int attempt = t.attempts() + 1;
        if (!store.moveTask(
                m.id(),
                t.id(),
                List.of(TaskState.PENDING),
                TaskState.STARTING,
                new MigrationStore.TaskUpdate(null, true, 1, null, true, clock.instant(), null, null))) {
            return true; // someone else took it
        }
        Principal onBehalf = onBehalf(m);
        try {
            String session = sessions.create(
                            onBehalf,
                            new SessionService.CreateSession(
                                    m.workspace(),
                                    config.taskDroid(),
                                    MigrationService.taskText(m.goal(), t),
                                    t.repository(),
                                    null,
                                    title(m.id(), t.id(), attempt)))
                    .id();
            store.moveTask(
                    m.id(),
                    t.id(),
                    List.of(TaskState.STARTING),
                    TaskState.RUNNING,
                    new MigrationStore.TaskUpdate(session, false, 0, null, false, null, null, null));
            return true;
        } catch (ProblemException e) {
            boolean later = e.problem().status() == 429;
            store.moveTask(
                    m.id(),
                    t.id(),
                    List.of(TaskState.STARTING),
                    later ? TaskState.PENDING : TaskState.FAILED,
                    new MigrationStore.TaskUpdate(
                            null,
                            false,
                            later ? -1 : 0,
                            later ? null : "the session could not start: " + e.getMessage(),
                            later,
                            null,
                            later ? null : clock.instant(),
                            null));
            return !later;
        }
    }

    /** The person who approved the plan, as a member of the workspace: tasks' sessions and deliveries run as them. */
    private static Principal onBehalf(MigrationStore.Row m) {
        String approver = Objects.requireNonNullElse(m.approvedBy(), m.createdBy());
        return new Principal(
                "migration:" + m.id(),
                approver,
                approver,
                null,
                List.of(),
                List.of(new WorkspaceMembership(m.workspace(), WorkspaceRole.MEMBER)));
    }

    /**
     * In a migration that waits for merges, opens the merge request of each succeeded task whose change
     * is not delivered yet (pushed and opened as the person who approved the plan, the way a member does
     * from the session); until it merges, the task's dependents wait. A refusal (no credential, the git
     * server down) fails the task with the reason, so that a person retries or skips it.
     */
    private void deliverSucceeded(MigrationStore.Row m) {
        for (MigrationStore.TaskRow t : store.tasks(m.id())) {
            String session = t.session();
            if (t.state() != TaskState.SUCCEEDED
                    || session == null
                    || !deliveries.awaitsMergeRequest(m.workspace(), t.repository(), session)) {
                continue;
            }
            URI portal = URI.create(store.portalBase(m.id()).orElse("/"));
            try {
                delivery.deliver(onBehalf(m), session, DeliveryResource.sessionLink(portal, session));
                LOG.infof(
                        "migration %s: task %s's merge request is open; its dependents wait for the merge",
                        m.id(), t.id());
            } catch (ProblemException e) {
                LOG.warnf(
                        "migration %s: task %s's merge request could not be opened: %s",
                        m.id(), t.id(), e.getMessage());
                store.moveTask(
                        m.id(),
                        t.id(),
                        List.of(TaskState.SUCCEEDED),
                        TaskState.FAILED,
                        new MigrationStore.TaskUpdate(
                                null,
                                false,
                                0,
                                "its session succeeded, but its merge request could not be opened: " + e.getMessage(),
                                false,
                                null,
                                clock.instant(),
                                null));
            }
        }
    }

    private String failure(String session, @org.jspecify.annotations.Nullable String outcome) {
        SessionState s = SessionState.fold(log.readAll(session));
        String summary = s.summary();
        return "the session ended " + (outcome == null ? "unfinished" : outcome.replace('_', ' '))
                + (summary.isBlank()
                        ? ""
                        : ": " + (summary.length() > 500 ? summary.substring(0, 497) + "..." : summary));
    }

    /** The title of a task's session: names the migration, the task and the attempt, so a restart can find it. */
    static String title(String migration, String task, int attempt) {
        return "Migration " + migration + " · task " + task + " · attempt " + attempt;
    }
}
