package dev.drydock.server.session;

import dev.drydock.sandbox.PathPattern;
import dev.drydock.sandbox.SandboxCapacityException;
import dev.drydock.server.agent.AgentLoop;
import dev.drydock.server.agent.CompletionRule;
import dev.drydock.server.agent.EventLog;
import dev.drydock.server.agent.SessionState;
import dev.drydock.server.agent.TestGatedCompletion;
import dev.drydock.server.agent.context.ProjectOverview;
import dev.drydock.server.agent.context.RulesFiles;
import dev.drydock.server.agent.context.TaskMentions;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Lifecycle;
import dev.drydock.server.agent.event.Lifecycle.Outcome;
import dev.drydock.server.agent.event.Observation;
import dev.drydock.server.agent.event.Oversight;
import dev.drydock.server.agent.event.Progress;
import dev.drydock.server.agent.event.Source;
import dev.drydock.server.agent.event.Telemetry;
import dev.drydock.server.agent.tool.CodeSearchPort;
import dev.drydock.server.agent.tool.GrepCodeSearch;
import dev.drydock.server.agent.tool.Memory;
import dev.drydock.server.agent.tool.TestCommand;
import dev.drydock.server.agent.tool.TestCommands;
import dev.drydock.server.agent.tool.TextEdits;
import dev.drydock.server.agent.tool.ToolContext;
import dev.drydock.server.agent.tool.ToolFailure;
import dev.drydock.server.agent.tool.Workspace;
import dev.drydock.server.classification.Classification;
import dev.drydock.server.droid.DocumentCompletion;
import dev.drydock.server.droid.DroidProfile;
import dev.drydock.server.droid.DroidProfiles;
import dev.drydock.server.droid.GitMirrorPublisher;
import dev.drydock.server.droid.GitMirrors;
import dev.drydock.server.droid.ModelRoutes;
import dev.drydock.server.droid.PromptTemplates;
import dev.drydock.server.droid.RcaCompletion;
import dev.drydock.server.egress.EgressGuard;
import dev.drydock.server.eventlog.PostgresEventLog;
import dev.drydock.server.mcp.McpServers;
import dev.drydock.server.repository.PathLabels;
import dev.drydock.server.repository.RepositoryContent;
import dev.drydock.server.repository.RepositoryRegistry;
import dev.drydock.server.workspace.WorkspaceSettings;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Drives sessions: one virtual thread per running session, at most one per session. Everything it
 * decides comes from the log, so it can be stopped anywhere; at startup it resumes (or marks
 * interrupted) the sessions that were running. With several replicas on one database, a replica
 * drives a session only while it holds the session's lease ({@link SessionLeases}): its appends
 * carry the lease's fencing token, it renews the leases it holds every {@code
 * drydock.replica.renew-interval}, takes over running sessions whose lease lapsed (a replica died),
 * and gives its leases up when it shuts down so that another replica resumes them at once.
 */
@ApplicationScoped
public class SessionRunner {
    private static final Logger LOG = Logger.getLogger(SessionRunner.class);

    @Inject
    EventLog log;

    @Inject
    DroidProfiles profiles;

    @Inject
    McpServers mcp;

    @Inject
    ModelRoutes models;

    @Inject
    SessionSandboxes sandboxes;

    @Inject
    WorkspaceSettings settings;

    @Inject
    SessionConfig config;

    @Inject
    GitMirrors mirrors;

    @Inject
    dev.drydock.server.audit.AuditTrail audit;

    @Inject
    EntityManager em;

    @Inject
    dev.drydock.server.droid.ApplianceSigningKey signingKey;

    @Inject
    RepositoryContent repositories;

    @Inject
    RepositoryRegistry registry;

    @Inject
    dev.drydock.server.repository.MentionLookup mentions;

    @Inject
    PostgresEventLog events;

    @Inject
    ReplicaConfig replicas;

    @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080")
    int httpPort;

    @SuppressWarnings("NullAway.Init") // set in @PostConstruct, before any method of the bean runs
    private SessionLeases leases;

    @SuppressWarnings("NullAway.Init") // set in @PostConstruct, before any method of the bean runs
    private SessionQueue queue;

    private final Map<String, Thread> running = new ConcurrentHashMap<>();

    @Inject
    EgressProofs egressProofs;

    private final Map<String, SessionLeases.Lease> held = new ConcurrentHashMap<>();
    private final Map<String, SandboxWorkspace> workspaces = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();
    private volatile boolean stopping;

    /** One warning per PostgreSQL outage for all session loops together, and one for each background loop. */
    private final dev.drydock.server.problem.OutageLog sessionOutages =
            new dev.drydock.server.problem.OutageLog(LOG, "running sessions");

    private final dev.drydock.server.problem.OutageLog leaseOutages =
            new dev.drydock.server.problem.OutageLog(LOG, "session leases");

    private final dev.drydock.server.problem.OutageLog queueOutages =
            new dev.drydock.server.problem.OutageLog(LOG, "session queue");

    @PostConstruct
    void init() {
        String replica = replicas.id().filter(s -> !s.isBlank()).orElseGet(() -> hostName() + ":" + httpPort);
        leases = new SessionLeases(em, replica, Clock.systemUTC(), replicas.leaseDuration());
        queue = new SessionQueue(em);
    }

    /** The shared queue of sessions waiting for a sandbox. */
    public SessionQueue queue() {
        return queue;
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    void onStart(@Observes StartupEvent start) {
        Thread.ofVirtual().name("session-recovery").start(this::recover);
    }

    /**
     * Graceful shutdown: takes no new sessions, gives up the lease of every session it drives (the
     * token rises, so its own drivers can no longer append, and the lease lapses now, so another
     * replica takes the sessions over at its next look, or this one at its next start) and stops the
     * sandboxes. Nothing here waits for a model call or a command to end.
     */
    void onStop(@Observes ShutdownEvent stop) {
        stopping = true;
        int released = 0;
        for (SessionLeases.Lease lease : List.copyOf(held.values())) {
            try {
                if (leases.release(lease)) {
                    released++;
                }
            } catch (RuntimeException e) {
                LOG.warnf("cannot release the lease of session %s: %s", lease.session(), e.getMessage());
            }
        }
        held.clear();
        running.values().forEach(Thread::interrupt);
        workspaces.values().forEach(SandboxWorkspace::destroy);
        if (released > 0) {
            LOG.infof("shutting down: released %d session lease(s) for another replica to take over", released);
        }
    }

    /** This replica's name in session leases ({@code drydock.replica.id}). */
    public String replica() {
        return leases.replica();
    }

    /** Whether this replica takes new sessions (false once it is shutting down). */
    public boolean accepting() {
        return !stopping;
    }

    /**
     * Sessions that were running when the server stopped and that no live replica holds: resume from
     * the log, or mark interrupted.
     */
    public void recover() {
        List<String> ids = leases.recoverable();
        int recovered = 0;
        for (String id : ids) {
            if (running.containsKey(id)) {
                continue;
            }
            if (config.resumeOnStart()) {
                if (start(id, new Lifecycle.SessionResumed("server restarted; resuming from the event log"), false)) {
                    recovered++;
                }
            } else {
                Optional<SessionLeases.Lease> lease = leases.acquire(id);
                if (lease.isPresent()) {
                    try {
                        events.append(
                                id,
                                Source.SYSTEM,
                                null,
                                new Lifecycle.SessionInterrupted("server restarted"),
                                lease.get().token());
                        recovered++;
                    } finally {
                        leases.release(lease.get());
                    }
                }
            }
        }
        if (recovered > 0) {
            LOG.infof(
                    "%d session(s) were running at startup: %s",
                    recovered, config.resumeOnStart() ? "resumed" : "marked interrupted");
        }
        dispatch();
    }

    /** Renews this replica's leases and takes over lapsed ones, every {@code drydock.replica.renew-interval}. */
    @Scheduled(
            every = "${drydock.replica.renew-interval}",
            delayed = "${drydock.replica.renew-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            renewLeases();
            leaseOutages.succeeded();
            takeOverLapsed();
            dispatch();
        } catch (RuntimeException e) {
            // PostgreSQL away: the leases stay held here (renewLeases stops at its first failure and drops
            // none). No other replica can take a session over while the database is down, and when it
            // answers again the next renewal extends them, unless another replica took one over first
            // (then it is dropped here and its driver is fenced out at its next append).
            if (!leaseOutages.failed(e)) {
                LOG.warnf("session leases: %s", e.getMessage());
            }
        }
    }

    /**
     * Renews the lease of every session this replica drives; a session whose lease was lost (another
     * replica took it over after this one paused) has its sandbox stopped here, and its driver stops
     * at its next append, which the database refuses.
     */
    public void renewLeases() {
        for (Map.Entry<String, SessionLeases.Lease> e : held.entrySet()) {
            Optional<SessionLeases.Lease> renewed = leases.renew(e.getValue());
            if (renewed.isPresent()) {
                held.replace(e.getKey(), e.getValue(), renewed.get());
            } else if (held.remove(e.getKey(), e.getValue())) {
                LOG.warnf("session %s: lease lost to another replica; stopping its sandbox here", e.getKey());
                release(e.getKey());
            }
        }
    }

    /**
     * Takes over running sessions whose lease lapsed (their replica died, paused past its lease, or
     * shut down) and resumes them from the log with a fresh sandbox, as a restart does; returns how
     * many it took.
     */
    public int takeOverLapsed() {
        if (stopping) {
            return 0;
        }
        int taken = 0;
        for (String id : leases.lapsed(50)) {
            if (!running.containsKey(id)
                    && start(
                            id,
                            new Lifecycle.SessionResumed("the lease of the replica driving it lapsed; resuming on "
                                    + leases.replica() + " from the event log"),
                            false)) {
                taken++;
            }
        }
        dispatch();
        if (taken > 0) {
            LOG.infof("took over %d session(s) whose lease lapsed", taken);
        }
        return taken;
    }

    /** Makes sure a session whose log says it should run is being driven (here, or by the replica holding it). */
    public void kick(String id) {
        start(id, null);
    }

    /**
     * Starts driving a session, or queues it for a sandbox: a running session without a sandbox on this
     * replica joins the shared queue ({@code first} is appended when it joins) and this replica then
     * claims what its free sandboxes allow, fairly from the head of the queue; a session that has its
     * sandbox here (it waited for a person) is driven at once. Returns whether it started or joined the
     * queue.
     */
    private boolean start(String id, @Nullable Lifecycle first) {
        return start(id, first, true);
    }

    /**
     * {@link #start(String, Lifecycle)}; with {@code dispatchNow} false a queued session waits for the
     * caller's {@link #dispatch()} (one claim for a whole batch of taken-over sessions).
     */
    private boolean start(String id, @Nullable Lifecycle first, boolean dispatchNow) {
        if (stopping || running.containsKey(id)) {
            return false;
        }
        if (!workspaces.containsKey(id)) {
            boolean[] inserted = {false};
            Instant now = clock.instant();
            boolean waits = QuarkusTransaction.requiringNew().call(() -> {
                // the row lock makes concurrent starts (two replicas taking over one lapsed session) queue it once
                String status = queue.lockStatus(id).orElse("");
                if (!status.equals("running") && !status.equals("queued")) {
                    return false;
                }
                if (first != null
                        && status.equals("running")
                        && queue.waiting(id).isEmpty()) {
                    events.append(id, Source.SYSTEM, null, first, null);
                }
                return queue.enqueue(id, "waiting for a sandbox", now, now, inserted);
            });
            if (waits) {
                if (dispatchNow) {
                    dispatch();
                }
                return inserted[0] || running.containsKey(id);
            }
        }
        return drive(id, first);
    }

    /**
     * Claims sessions from the head of the shared queue while this replica has fewer sandboxes than
     * {@code drydock.replica.max-sandboxes}, takes their leases in the same transaction and drives them.
     * Called when a session joins the queue, when a drive ends, and every {@code renew-interval}.
     */
    public void dispatch() {
        if (stopping) {
            return;
        }
        synchronized (dispatching) {
            int free = replicas.maxSandboxes() - sandboxCount();
            if (free <= 0) {
                return;
            }
            Instant now = clock.instant();
            List<SessionLeases.Lease> claimed;
            try {
                claimed = QuarkusTransaction.requiringNew().call(() -> {
                    List<SessionLeases.Lease> got = new java.util.ArrayList<>();
                    for (String id : queue.claim(free, leases.replica(), now)) {
                        leases.acquire(id).ifPresent(got::add);
                    }
                    return got;
                });
            } catch (RuntimeException e) {
                if (!queueOutages.failed(e)) {
                    LOG.warnf("session queue: cannot claim: %s", e.getMessage());
                }
                return;
            }
            queueOutages.succeeded();
            for (SessionLeases.Lease lease : claimed) {
                running.computeIfAbsent(lease.session(), k -> {
                    held.put(k, lease);
                    return Thread.ofVirtual().name("session-" + k).start(() -> drive(k, lease, null));
                });
            }
        }
    }

    private final Object dispatching = new Object();

    /** Sandboxes this replica keeps or is about to create: sessions it drives, and sessions that keep theirs. */
    private int sandboxCount() {
        java.util.Set<String> ids = new java.util.HashSet<>(running.keySet());
        ids.addAll(workspaces.keySet());
        return ids.size();
    }

    /** Sandboxes this replica keeps now, for the operator view and tests. */
    public int sandboxes() {
        return sandboxCount();
    }

    /** Drives a session whose lease this replica can take, without queueing it. */
    private boolean drive(String id, @Nullable Lifecycle first) {
        boolean[] started = {false};
        running.computeIfAbsent(id, k -> {
            Optional<SessionLeases.Lease> lease = leases.acquire(id);
            if (lease.isEmpty()) {
                LOG.debugf("session %s is leased by another replica", id);
                return null;
            }
            held.put(id, lease.get());
            started[0] = true;
            return Thread.ofVirtual().name("session-" + id).start(() -> drive(id, lease.get(), first));
        });
        return started[0];
    }

    /** Whether a loop is driving the session now. */
    public boolean isDriving(String id) {
        return running.containsKey(id);
    }

    /**
     * Records the cancellation and kills the sandbox's processes at once; a session still waiting in
     * the queue leaves it and finishes cancelled without ever getting a sandbox.
     */
    public void cancel(String id, String by) {
        boolean dequeued = QuarkusTransaction.requiringNew().call(() -> {
            if (!queue.remove(id)) {
                return false;
            }
            log.append(id, Source.USER, new Oversight.CancelRequested(by));
            log.append(
                    id,
                    Source.SYSTEM,
                    new Lifecycle.SessionFinished(
                            Outcome.CANCELLED, "cancelled by " + by + " while queued for a sandbox"));
            log.append(id, Source.SYSTEM, egressProofs.of(id));
            return true;
        });
        if (dequeued) {
            return;
        }
        log.append(id, Source.USER, new Oversight.CancelRequested(by));
        SandboxWorkspace ws = workspaces.remove(id);
        if (ws != null) {
            ws.destroy();
        }
        kick(id);
    }

    /** The live sandbox of a session, if any (tests and the operator view use it). */
    public Optional<dev.drydock.sandbox.Sandbox> sandbox(String id) {
        return Optional.ofNullable(workspaces.get(id)).map(SandboxWorkspace::sandbox);
    }

    private void drive(String id, SessionLeases.Lease lease, @Nullable Lifecycle first) {
        // appends carry the lease's fence; an unreachable database is waited for, up to the grace
        PatientEventLog fenced = new PatientEventLog(
                new FencedEventLog(events, lease.token()), config.databaseOutageGrace(), sessionOutages);
        SessionState.Tracker tracker = new SessionState.Tracker(fenced, id);
        boolean lost = false;
        boolean parked = false;
        @Nullable String full = null;
        try {
            if (first != null) {
                // the seq the driver starts from: an append of unknown outcome is looked for after it
                tracker.catchUp();
                fenced.append(id, Source.SYSTEM, first);
            }
            SessionState state = tracker.catchUp();
            if (state.status() == SessionState.Status.RUNNING || (state.cancelRequested() && !state.finished())) {
                boolean again = true;
                while (again) {
                    again = false;
                    try (EgressGuard.Attribution onBehalf = EgressGuard.onBehalfOf(id)) {
                        state = loop(id, state, fenced).run(tracker);
                    } catch (PostgresEventLog.FencedOut | PatientEventLog.Outage e) {
                        throw e;
                    } catch (SandboxCapacityException e) {
                        // no room for its sandbox now: back into the queue, not a failure
                        full = e.getMessage() == null ? "the sandbox backend is full" : e.getMessage();
                    } catch (RuntimeException e) {
                        if (!PatientEventLog.isOutage(e)) {
                            failed(id, tracker, fenced, e);
                        } else {
                            // PostgreSQL went away under a query outside the log (the loop's own, the gateway's
                            // accounting): wait for it as an append does, then run the loop again from the log
                            fenced.survive(id, e);
                            state = tracker.catchUp();
                            again = true;
                        }
                    } catch (LinkageError | AssertionError e) {
                        failed(id, tracker, fenced, e);
                    }
                }
                if (tracker.catchUp().finished()) {
                    fenced.append(id, Source.SYSTEM, egressProofs.of(id));
                }
            }
        } catch (PostgresEventLog.FencedOut e) {
            lost = true;
            LOG.infof("session %s: %s; this replica stops driving it", id, e.getMessage());
        } catch (RuntimeException e) {
            if (!PatientEventLog.isOutage(e)) {
                throw e;
            }
            // Parked as a graceful shutdown parks it: no driver, no sandbox, nothing appended (the database
            // cannot take it). Its lease lapses, and once PostgreSQL answers, this replica's lease scan (or
            // another replica's) resumes it from the log. A database outage never fails a session.
            parked = true;
            LOG.warnf("session %s parked: %s; it resumes from its log once PostgreSQL answers", id, e.getMessage());
        } finally {
            SessionLeases.Lease current = unhold(id, lease.token());
            if (current != null && !lost) {
                try {
                    leases.release(current);
                } catch (RuntimeException e) {
                    // it lapses by itself after drydock.replica.lease-duration
                    if (!parked) {
                        LOG.warnf("session %s: cannot release its lease: %s", id, e.getMessage());
                    }
                }
            }
            running.remove(id);
        }
        if (parked) {
            release(id);
            return;
        }
        if (lost || stopping) {
            if (lost) {
                release(id);
            }
            return;
        }
        if (full != null) {
            requeue(id, full);
            dispatch();
            return;
        }
        SessionState after = tracker.catchUp();
        if (after.finished()) {
            release(id);
        } else if (after.status() == SessionState.Status.RUNNING || after.cancelRequested()) {
            kick(id);
        }
        dispatch();
    }

    /**
     * A bug or a broken deployment: recorded rather than leaving the session "running" with nobody
     * driving it.
     */
    private void failed(String id, SessionState.Tracker tracker, EventLog fenced, Throwable e) {
        LOG.errorf(e, "session %s stopped", id);
        if (!tracker.catchUp().finished()) {
            fenced.append(
                    id, Source.SYSTEM, new Lifecycle.SessionFinished(Outcome.FAILED, "cannot run: " + e.getMessage()));
        }
    }

    /** Puts a session whose sandbox the backend had no room for back into the queue, retried after {@code renew-interval}. */
    private void requeue(String id, String reason) {
        Instant now = clock.instant();
        try {
            boolean waits = queue.enqueue(
                    id,
                    "the sandbox backend is full: " + reason,
                    now.plus(replicas.renewInterval()),
                    now,
                    new boolean[1]);
            LOG.infof("session %s: %s; %s", id, reason, waits ? "queued for a sandbox" : "no longer running");
        } catch (RuntimeException e) {
            // the session stays 'running' without a lease; the next lease scan takes it over and queues it
            LOG.warnf("session %s: cannot queue it for a sandbox: %s", id, e.getMessage());
        }
    }

    /** Forgets the lease with {@code token} of a session this replica held; null when it held another or none. */
    private SessionLeases.@Nullable Lease unhold(String id, long token) {
        List<SessionLeases.Lease> taken = new java.util.ArrayList<>(1);
        held.computeIfPresent(id, (k, v) -> {
            if (v.token() != token) {
                return v;
            }
            taken.add(v);
            return null;
        });
        return taken.isEmpty() ? null : taken.getFirst();
    }

    private void release(String id) {
        SandboxWorkspace ws = workspaces.remove(id);
        if (ws != null) {
            ws.destroy();
        }
    }

    private AgentLoop loop(String id, SessionState state, EventLog fenced) {
        Lifecycle.SessionStarted started = state.started().orElseThrow();
        DroidProfile profile = profiles.get(started.droid());
        Optional<Path> mirror = mirrors.mirror(started.workspace(), started.repo());
        @SuppressWarnings("unchecked")
        List<Object[]> creators = QuarkusTransaction.joiningExisting()
                .call(() -> em.createNativeQuery("select created_by, pinned_endpoint from droid_session where id = ?1")
                        .setParameter(1, UUID.fromString(id))
                        .getResultList());
        Object @Nullable [] creator = creators.isEmpty() ? null : creators.getFirst();
        String createdBy = creator == null ? "unknown" : (String) creator[0];
        String pinned = creator == null ? null : (String) creator[1];
        ModelRoutes.Caller caller = new ModelRoutes.Caller(
                createdBy,
                started.workspace(),
                id,
                profile.name(),
                settings.classification(started.workspace(), started.repo()),
                pinned);
        Classification base = Classification.parse(caller.classification()).orElse(Classification.SECRET);
        Classification clearance = models.clearance(profile.route(), caller).orElse(base);
        RepositoryContent.SessionContent content =
                mirror.isEmpty() || started.repo().isEmpty()
                        ? null
                        : repositories
                                .sessionContent(started.workspace(), started.repo(), started.commit(), clearance)
                                .orElse(null);
        if (content == null) {
            content = new RepositoryContent.SessionContent(PathLabels.none(base), List.of(), base, 0);
        }
        List<PathPattern> withheld = content.withheld();
        SandboxWorkspace sandbox = workspaces.computeIfAbsent(id, k -> open(id, started, mirror, state, withheld));
        Classification start = state.raisedClassification()
                .flatMap(Classification::parse)
                .map(base::max)
                .orElse(base);
        ContentClassification level = new ContentClassification(
                start,
                clearance,
                started.repo(),
                content.labels(),
                content.highestPresent(),
                repo -> registry.pathLabels(started.workspace(), repo),
                (from, to, reason) -> fenced.append(
                        id, Source.SYSTEM, new Telemetry.ClassificationRaised(from.label(), to.label(), reason)));
        ClassifiedWorkspace ws = new ClassifiedWorkspace(sandbox, level, content.withheld());
        TestCommand test = TestCommands.detect(
                sandbox,
                started.repo().isEmpty()
                        ? Optional.empty()
                        : repositories.testCommand(started.workspace(), started.repo()));
        Memory memory =
                new StoredMemory(em, started.workspace(), started.repo(), UUID.fromString(id), clock, level::current);
        if (state.context().isEmpty()) {
            fenced.append(id, Source.SYSTEM, prepare(profile, started, ws, level, content, test, memory));
        }
        CompletionRule completion = switch (profile.completion()) {
            case TEST_GATED ->
                new TestGatedCompletion(mirror.<TestGatedCompletion.BranchPublisher>map(m -> new GitMirrorPublisher(
                                m,
                                started.commit(),
                                createdBy,
                                profile.route(),
                                audit::sessionRootHash,
                                signingKey.available().orElse(null)))
                        .orElse((s, d, m, t) -> Optional.empty()));
            case DOCUMENT -> new DocumentCompletion();
            case RCA -> new RcaCompletion(started.repo(), started.commit());
        };
        CodeSearchPort search = ws.search(new WorkspaceCodeSearch(
                repositories, started.workspace(), started.repo(), createdBy, ws, search(started.repo(), ws)));
        ToolContext context = new ToolContext(id, ws, search, memory, test);
        return new AgentLoop(
                fenced,
                models.model(profile.route(), caller, level::current),
                new AgentLoop.Droid(
                        profile.name(),
                        profile.route(),
                        profiles.tools(profile).with(mcp.tools(started.workspace(), sandbox)),
                        completion,
                        profile.limits()),
                settings.autonomy(started.workspace()),
                context,
                models.contextWindow(profile.route(), caller),
                new AgentLoop.Retry(config.modelAttempts(), config.modelBackoff()),
                clock);
    }

    /**
     * Grep in the session's sandbox; the workspace's own index of a registered repository comes first
     * through {@link WorkspaceCodeSearch}. There is no server-wide index: one keyed by repository name
     * would answer a session with another workspace's code of the same name (issue 15, hole 6).
     */
    private CodeSearchPort search(String repo, Workspace ws) {
        return new GrepCodeSearch(ws, repo);
    }

    private Progress.ContextPrepared prepare(
            DroidProfile profile,
            Lifecycle.SessionStarted started,
            Workspace ws,
            ContentClassification level,
            RepositoryContent.SessionContent content,
            TestCommand test,
            Memory memory) {
        RulesFiles.Rules rules = started.repo().isEmpty() ? new RulesFiles.Rules(List.of(), "") : RulesFiles.load(ws);
        String overview = "";
        if (!started.repo().isEmpty()) {
            Optional<RepositoryContent.Overview> stored = repositories
                    .indexedOverview(started.workspace(), started.repo(), started.commit())
                    .filter(o -> level.admits(o.classification()));
            stored.ifPresent(o -> level.raise(
                    o.classification(),
                    "the project overview was written from files labelled "
                            + o.classification().label()));
            overview = stored.map(RepositoryContent.Overview::text).orElseGet(() -> ProjectOverview.compute(ws, test));
        }
        if (content.withheldFiles() > 0) {
            overview += "\n## Withheld by classification\n\n" + content.withheldFiles() + " file(s) under "
                    + String.join(
                            ", ",
                            content.withheld().stream()
                                    .map(p -> "`" + p.glob() + "`")
                                    .toList())
                    + " are labelled above what this droid's models are cleared for; they are not in the workspace and cannot be created.\n";
        }
        if (!started.repo().isEmpty()) {
            overview += TaskMentions.section(ws, mentionedFiles(started));
        }
        List<String> remembered = memory.recall();
        if (!remembered.isEmpty()) {
            overview += "\n## Remembered from earlier sessions\n\n"
                    + String.join("\n", remembered.stream().map(r -> "- " + r).toList()) + "\n";
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("task", started.task());
        data.put("repo", started.repo());
        data.put("workspace", started.workspace());
        data.put("droid", profile.name());
        data.put("testCommand", test.command());
        return new Progress.ContextPrepared(
                PromptTemplates.render(profiles.promptTemplate(profile), data), rules.files(), rules.text(), overview);
    }

    /**
     * The files of the session's repository that its task mentions: {@code @repo:path} as written,
     * {@code @Symbol} as the files of the indexed commit that declare it (at most 3 per name).
     */
    private List<String> mentionedFiles(Lifecycle.SessionStarted started) {
        java.util.Set<String> files = new java.util.LinkedHashSet<>(TaskMentions.paths(started.task(), started.repo()));
        for (String symbol : TaskMentions.symbols(started.task())) {
            files.addAll(mentions.definingFiles(started.workspace(), started.repo(), symbol).stream()
                    .limit(3)
                    .toList());
        }
        return List.copyOf(files);
    }

    /** A fresh sandbox; after a restart, the file changes recorded in the log are replayed onto it. */
    private SandboxWorkspace open(
            String id,
            Lifecycle.SessionStarted started,
            Optional<Path> mirror,
            SessionState state,
            List<PathPattern> withheld) {
        SandboxWorkspace ws = new SandboxWorkspace(sandboxes.create(
                id,
                started.workspace(),
                started.repo(),
                mirror,
                started.commit().isEmpty() ? "HEAD" : started.commit(),
                withheld));
        for (Event e : state.history()) {
            if (e.payload() instanceof Observation.FileChanged f) {
                try {
                    String before = ws.isFile(f.path()) ? ws.read(f.path()) : "";
                    ws.write(f.path(), TextEdits.applyUnifiedDiff(before, f.diff()));
                } catch (ToolFailure ex) {
                    LOG.warnf("session %s: cannot replay the change to %s: %s", id, f.path(), ex.getMessage());
                }
            }
        }
        return ws;
    }
}
