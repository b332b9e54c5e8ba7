package dev.drydock.server.promotion;

import dev.drydock.server.agent.tool.Autonomy;
import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.WorkspaceMembership;
import dev.drydock.server.auth.WorkspaceRole;
import dev.drydock.server.classification.Classification;
import dev.drydock.server.droid.DroidConfig;
import dev.drydock.server.droid.DroidProfiles;
import dev.drydock.server.gateway.GatewayService;
import dev.drydock.server.gateway.admin.RouteGate;
import dev.drydock.server.gateway.core.CallContext;
import dev.drydock.server.gateway.core.EndpointSpec;
import dev.drydock.server.gateway.core.RouteSpec;
import dev.drydock.server.problem.Problem;
import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.session.SessionService;
import dev.drydock.server.session.SessionView;
import dev.drydock.server.workspace.WorkspaceService;
import dev.drydock.server.workspace.WorkspaceSettings;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The model promotion gate. A drydock-admin starts a run of an endpoint ({@link #start}); a round
 * every two seconds ({@link #tick}) moves runs along from what PostgreSQL holds: it starts fixture
 * sessions (real code-droid sessions in the system workspace, their model calls pinned to the
 * candidate) up to {@code drydock.promotion.concurrency}, takes finished sessions' outcomes, and
 * writes the report when the last fixture is done. Route changes pass {@link #admit}: an endpoint
 * they add needs a passing report against its current URL and model id, or an audited override.
 */
@ApplicationScoped
public class ModelGate implements RouteGate {
    private static final Logger LOG = Logger.getLogger(ModelGate.class);
    static final String ACTOR = "drydock-gate";
    static final String FIRST_MODEL = "first model, no gate yet";
    static final String GRANDFATHERED = "routed before the model promotion gate existed";
    static final String RESTARTED = "the server restarted during the run; run the gate again";
    private static final String CODE_DROID = "code";

    @Inject
    GateStore store;

    @Inject
    PromotionConfig config;

    @Inject
    GatewayService gateway;

    @Inject
    SessionService sessions;

    @Inject
    WorkspaceService workspaces;

    @Inject
    WorkspaceSettings settings;

    @Inject
    DroidProfiles profiles;

    @Inject
    DroidConfig droids;

    @Inject
    AuditTrail audit;

    private final Clock clock = Clock.systemUTC();
    private final ReentrantLock lock = new ReentrantLock();

    void onStart(@Observes StartupEvent start) {
        recover();
    }

    /**
     * At start-up: runs a stopped server left going are failed with the reason (their sessions finish on
     * their own or are resumed, but nobody collects them for the report); routes stored before the gate
     * existed are grandfathered once.
     */
    public void recover() {
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                int failed = store.failRunning(RESTARTED, clock.instant());
                if (failed > 0) {
                    LOG.infof("model gate: %d run(s) were going when the server stopped; marked failed", failed);
                }
                grandfather();
            });
        } catch (RuntimeException e) {
            LOG.errorf(e, "model gate: cannot recover gate runs");
        }
    }

    /** Routes stored before the gate existed keep working: one audited override per routed endpoint, once. */
    private void grandfather() {
        if (!store.takeBootstrap(clock.instant())) {
            return;
        }
        for (RouteSpec route : gateway.snapshot().routes()) {
            for (String endpoint : route.endpoints()) {
                endpoint(endpoint).ifPresent(spec -> override(ACTOR, route.name(), view(spec), GRANDFATHERED));
            }
        }
    }

    // ---- enforcement

    @Override
    public void admit(String actor, String route, List<String> added, @Nullable GateOverride override) {
        List<RouteGate.EndpointSpecView> specs = new ArrayList<>();
        for (String name : added) {
            // the route's own validation names unknown endpoints
            endpoint(name).ifPresent(e -> specs.add(view(e)));
        }
        admitSpecs(actor, List.of(route), specs, override, "save the route again");
    }

    @Override
    public void admitChange(
            String actor, List<String> routes, RouteGate.EndpointSpecView changed, @Nullable GateOverride override) {
        admitSpecs(
                actor,
                routes,
                List.of(changed),
                override,
                "or register the new model as an endpoint of its own, run its gate and route to it");
    }

    private void admitSpecs(
            String actor,
            List<String> routes,
            List<RouteGate.EndpointSpecView> specs,
            @Nullable GateOverride override,
            String then) {
        List<RouteGate.EndpointSpecView> ungated = new ArrayList<>();
        List<String> why = new ArrayList<>();
        for (RouteGate.EndpointSpecView spec : specs) {
            String name = spec.name();
            Optional<GateStore.RunRow> report = store.latestFinished(name, spec.baseUrl(), spec.modelId());
            if (report.isPresent() && passes(report.get())) {
                continue;
            }
            ungated.add(spec);
            why.add(report.map(r -> "'" + name + "' failed its latest gate (pass rate " + percent(r.passRate())
                            + ", needs " + percent(config.threshold()) + ")")
                    .orElseGet(() -> store.latest(name)
                            .filter(r -> r.state().equals("running"))
                            .map(r -> "'" + name + "' is still running its gate")
                            .orElse("'" + name + "' has no gate report against the URL " + spec.baseUrl()
                                    + " and model id " + spec.modelId())));
        }
        if (ungated.isEmpty()) {
            return;
        }
        if (override == null) {
            String names = String.join(
                    ", ", ungated.stream().map(RouteGate.EndpointSpecView::name).toList());
            throw new ProblemException(Problem.of(
                    409,
                    "model-not-gated",
                    "Model endpoint has not passed the promotion gate",
                    String.join("; ", why) + ". Run the gate first: POST /api/admin/models/"
                            + ungated.getFirst().name()
                            + "/gate (portal: Models, Gate, Run gate; CLI: drydock model gate "
                            + ungated.getFirst().name()
                            + " --wait), then " + then + "; or, as a drydock-admin, send \"override\": "
                            + "{\"reason\": \"why\"} to route to " + names + " anyway (audited)."));
        }
        String reason = override.reason() == null ? "" : override.reason().strip();
        if (reason.isEmpty() || reason.length() > 500) {
            String message = "override needs a reason (at most 500 characters): why may this route skip the gate?";
            throw new ProblemException(Problem.of(400, "invalid-model-route", "Invalid model route", message)
                    .withErrors(List.of(new Problem.FieldError("override.reason", message))));
        }
        for (String route : routes) {
            ungated.forEach(spec -> override(actor, route, spec, reason));
        }
    }

    @Override
    public void bootstrap(String actor, String route, String endpoint) {
        endpoint(endpoint)
                .ifPresent(spec -> override(
                        actor,
                        route,
                        new RouteGate.EndpointSpecView(
                                spec.name(), spec.baseUrl().toString(), spec.modelId()),
                        FIRST_MODEL));
    }

    @Override
    public String status(String endpoint) {
        Optional<EndpointSpec> spec = endpoint(endpoint);
        if (spec.isEmpty()) {
            return "not gated";
        }
        if (store.latest(endpoint).filter(r -> r.state().equals("running")).isPresent()) {
            return "running";
        }
        return store.latestFinished(
                        endpoint, spec.get().baseUrl().toString(), spec.get().modelId())
                .map(r -> passes(r) ? "passed" : "failed")
                .orElse("not gated");
    }

    private void override(String actor, String route, RouteGate.EndpointSpecView spec, String reason) {
        QuarkusTransaction.joiningExisting().run(() -> {
            store.addOverride(spec.name(), spec.baseUrl(), spec.modelId(), route, reason, actor, clock.instant());
            audit.appendInTransaction(AuditEntry.of(actor, "model.gate-overridden", "model-endpoint " + spec.name())
                    .with("route", route)
                    .with("reason", reason)
                    .with("baseUrl", spec.baseUrl())
                    .with("modelId", spec.modelId()));
        });
    }

    private boolean passes(GateStore.RunRow r) {
        return r.state().equals("passed") && r.passRate() != null && r.passRate() >= config.threshold() - 1e-9;
    }

    // ---- runs

    /** Starts a gate run of {@code endpoint} against its current URL and model id; 409 while one is going. */
    public GateReport start(Principal admin, String endpoint) {
        if (!admin.isDrydockAdmin()) {
            throw ProblemException.forbidden("Only a drydock-admin may run the model promotion gate.");
        }
        EndpointSpec spec =
                endpoint(endpoint).orElseThrow(() -> ProblemException.notFound("Model endpoint '" + endpoint + "'"));
        List<GateFixtures.Fixture> fixtures = fixtures();
        prepareWorkspace(admin);
        UUID id = UUID.randomUUID();
        lock.lock();
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                if (store.latest(endpoint)
                        .filter(r -> r.state().equals("running"))
                        .isPresent()) {
                    throw ProblemException.conflict("A gate run of '" + endpoint
                            + "' is going; wait for it (GET /api/admin/models/" + endpoint + "/gate).");
                }
                store.insertRun(
                        id,
                        endpoint,
                        spec.baseUrl().toString(),
                        spec.modelId(),
                        config.threshold(),
                        admin.username(),
                        clock.instant(),
                        fixtures.stream().map(GateFixtures.Fixture::name).toList());
                audit.appendInTransaction(
                        AuditEntry.of(admin.subject(), "model.gate-started", "model-endpoint " + endpoint)
                                .with("run", id)
                                .with("baseUrl", spec.baseUrl())
                                .with("modelId", spec.modelId())
                                .with("fixtures", fixtures.size()));
            });
        } finally {
            lock.unlock();
        }
        Thread.ofVirtual().name("gate-", 0).start(this::tick);
        return report(store.run(id.toString()).orElseThrow());
    }

    /** The newest run of an endpoint; 404 when it never ran. */
    public GateReport latest(String endpoint) {
        return store.latest(endpoint)
                .map(this::report)
                .orElseThrow(() -> ProblemException.notFound("Gate run of model endpoint '" + endpoint + "'"));
    }

    /** One run of an endpoint; 404 when there is none with this id. */
    public GateReport run(String endpoint, String id) {
        return store.run(id)
                .filter(r -> r.endpoint().equals(endpoint))
                .map(this::report)
                .orElseThrow(
                        () -> ProblemException.notFound("Gate run '" + id + "' of model endpoint '" + endpoint + "'"));
    }

    /** The gate state of an endpoint's newest run, for lists; empty when it never ran. */
    public Optional<GateReport> latestIfAny(String endpoint) {
        return store.latest(endpoint).map(this::report);
    }

    private List<GateFixtures.Fixture> fixtures() {
        return config.fixtures()
                .filter(l -> !l.isEmpty())
                .map(GateFixtures::select)
                .orElseGet(GateFixtures::all);
    }

    /** The system workspace lets the code droid work on its own (nobody is there to approve) on public fixtures. */
    private void prepareWorkspace(Principal admin) {
        String ws = config.workspace();
        WorkspaceSettings.Policy policy = settings.policy(ws);
        if (policy.autonomy() == Autonomy.FULL_AUTO
                && policy.allowsDroid(CODE_DROID)
                && settings.classification(ws).equals(Classification.PUBLIC.label())) {
            return;
        }
        workspaces.find(ws);
        workspaces.updatePolicy(
                admin,
                ws,
                new WorkspaceService.PolicyView(
                        List.of(CODE_DROID), List.of("*"), Autonomy.FULL_AUTO.label(), Classification.PUBLIC.label()));
    }

    private Principal gatePrincipal() {
        return new Principal(
                ACTOR,
                ACTOR,
                "Model promotion gate",
                null,
                List.of(),
                List.of(new WorkspaceMembership(config.workspace(), WorkspaceRole.MEMBER)));
    }

    @Scheduled(every = "2s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        outages.run(this::tick);
    }

    private final dev.drydock.server.problem.OutageLog outages =
            new dev.drydock.server.problem.OutageLog(LOG, "model gate runs");

    /** One round over every running gate run. */
    public void tick() {
        if (!lock.tryLock()) {
            return;
        }
        try {
            for (GateStore.RunRow run : store.running()) {
                try {
                    advance(run);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "gate run %s: the round failed; it tries again in the next", run.id());
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void advance(GateStore.RunRow run) {
        Map<String, GateFixtures.Fixture> byName = new HashMap<>();
        GateFixtures.all().forEach(f -> byName.put(f.name(), f));
        Principal gate = gatePrincipal();
        Instant now = clock.instant();
        int going = 0;
        for (GateStore.FixtureRow f : store.fixtures(run.id())) {
            String session = f.sessionId();
            if (!f.state().equals("running") || session == null) {
                continue;
            }
            SessionView view = sessions.get(gate, session);
            Instant started = f.startedAt() == null ? now : f.startedAt();
            long wall = Duration.between(started, now).toMillis();
            if (view.status().equals("finished")) {
                boolean passed = "completed".equals(view.outcome());
                store.finishFixture(
                        run.id(),
                        f.fixture(),
                        passed,
                        passed ? "fixed; the tests pass" : outcome(view),
                        view.totals().promptTokens(),
                        view.totals().completionTokens(),
                        wall,
                        now);
            } else if (Duration.ofMillis(wall).compareTo(config.fixtureTimeout()) > 0) {
                try {
                    sessions.cancel(gate, session);
                } catch (ProblemException e) {
                    // it finished meanwhile; the timeout still counts
                }
                store.finishFixture(
                        run.id(),
                        f.fixture(),
                        false,
                        "not done within " + config.fixtureTimeout() + "; cancelled",
                        view.totals().promptTokens(),
                        view.totals().completionTokens(),
                        wall,
                        now);
            } else {
                going++;
            }
        }
        for (GateStore.FixtureRow f : store.fixtures(run.id())) {
            if (going >= Math.max(1, config.concurrency())) {
                break;
            }
            if (!f.state().equals("pending")) {
                continue;
            }
            GateFixtures.Fixture fixture = byName.get(f.fixture());
            if (fixture == null) {
                store.finishFixture(
                        run.id(), f.fixture(), false, "no such fixture ships with this server", 0, 0, 0, now);
                continue;
            }
            if (startFixture(run, fixture, gate)) {
                going++;
            } else {
                break; // a session limit says "not now"
            }
        }
        List<GateStore.FixtureRow> all = store.fixtures(run.id());
        if (all.stream().allMatch(f -> f.state().equals("passed") || f.state().equals("failed"))) {
            finish(run, all);
        }
    }

    private static String outcome(SessionView view) {
        String outcome = view.outcome() == null ? "failed" : view.outcome().toLowerCase(Locale.ROOT);
        return view.summary().isBlank() ? outcome : outcome + ": " + view.summary();
    }

    /** Starts a fixture's session; false when a session limit says "not now" (it stays pending). */
    private boolean startFixture(GateStore.RunRow run, GateFixtures.Fixture fixture, Principal gate) {
        String repo = fixture.name() + "-" + run.id().substring(0, 8);
        Path mirror = droids.mirrorRoot().resolve(config.workspace()).resolve(repo + ".git");
        try {
            if (!mirror.toFile().isDirectory()) {
                fixture.writeMirror(mirror);
            }
            String session = sessions.create(
                            gate,
                            new SessionService.CreateSession(
                                    config.workspace(),
                                    CODE_DROID,
                                    fixture.task(),
                                    repo,
                                    null,
                                    "gate " + run.endpoint() + ": " + fixture.name()),
                            new SessionService.SystemRun("gate", run.endpoint()))
                    .id();
            if (!store.startFixture(run.id(), fixture.name(), session, clock.instant())) {
                sessions.cancel(gate, session);
            }
            return true;
        } catch (ProblemException e) {
            if (e.problem().status() == 429) {
                return false;
            }
            store.finishFixture(
                    run.id(),
                    fixture.name(),
                    false,
                    "the session could not start: " + e.getMessage(),
                    0,
                    0,
                    0,
                    clock.instant());
            return true;
        } catch (RuntimeException e) {
            store.finishFixture(
                    run.id(),
                    fixture.name(),
                    false,
                    "the fixture could not start: " + e.getMessage(),
                    0,
                    0,
                    0,
                    clock.instant());
            return true;
        }
    }

    private void finish(GateStore.RunRow run, List<GateStore.FixtureRow> fixtures) {
        long passedCount =
                fixtures.stream().filter(f -> f.state().equals("passed")).count();
        double rate = fixtures.isEmpty() ? 0 : (double) passedCount / fixtures.size();
        rate = Math.round(rate * 1000) / 1000.0;
        boolean passed = rate >= run.threshold() - 1e-9;
        long prompt =
                fixtures.stream().mapToLong(GateStore.FixtureRow::promptTokens).sum();
        long completion = fixtures.stream()
                .mapToLong(GateStore.FixtureRow::completionTokens)
                .sum();
        long wall = Duration.between(run.createdAt(), clock.instant()).toMillis();
        Optional<GateStore.RunRow> baseline = baseline(run.endpoint());
        String reason = passedCount + " of " + fixtures.size() + " fixtures fixed (" + percent(rate) + "; "
                + (passed ? "at least " : "below ") + percent(run.threshold()) + ")";
        double finalRate = rate;
        QuarkusTransaction.requiringNew().run(() -> {
            store.finishRun(
                    run.id(),
                    passed,
                    reason,
                    finalRate,
                    prompt,
                    completion,
                    wall,
                    baseline.map(GateStore.RunRow::id).orElse(null),
                    baseline.map(GateStore.RunRow::endpoint).orElse(null),
                    clock.instant());
            audit.appendInTransaction(AuditEntry.of(ACTOR, "model.gate-finished", "model-endpoint " + run.endpoint())
                    .with("run", run.id())
                    .with("passed", passed)
                    .with("passRate", finalRate)
                    .with("baseUrl", run.baseUrl())
                    .with("modelId", run.modelId()));
        });
        LOG.infof("model gate: %s %s: %s", run.endpoint(), passed ? "passed" : "failed", reason);
    }

    /** The latest finished report of the model the routes send the code droid's traffic to (not the candidate). */
    private Optional<GateStore.RunRow> baseline(String candidate) {
        String purpose;
        try {
            purpose = profiles.get(CODE_DROID).route();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        CallContext ctx = new CallContext(
                ACTOR, ACTOR, RouteSpec.ANY, null, CODE_DROID, purpose, null, Classification.PUBLIC, "gate");
        for (EndpointSpec e : gateway.resolve(ctx)) {
            if (!e.name().equals(candidate)) {
                return store.latestFinished(e.name());
            }
        }
        return Optional.empty();
    }

    GateReport report(GateStore.RunRow run) {
        List<GateStore.FixtureRow> rows = store.fixtures(run.id());
        List<GateReport.FixtureResult> fixtures = rows.stream()
                .map(f -> new GateReport.FixtureResult(
                        f.fixture(),
                        f.state(),
                        f.sessionId(),
                        f.detail(),
                        f.promptTokens(),
                        f.completionTokens(),
                        f.wallMs()))
                .toList();
        int done = (int) rows.stream()
                .filter(f -> f.state().equals("passed") || f.state().equals("failed"))
                .count();
        boolean current = endpoint(run.endpoint())
                .map(e -> e.baseUrl().toString().equals(run.baseUrl())
                        && e.modelId().equals(run.modelId()))
                .orElse(false);
        return new GateReport(
                run.id(),
                run.endpoint(),
                run.baseUrl(),
                run.modelId(),
                run.state(),
                run.reason(),
                run.threshold(),
                run.passRate(),
                done,
                rows.size(),
                run.promptTokens(),
                run.completionTokens(),
                run.wallMs(),
                run.startedBy(),
                run.createdAt(),
                run.finishedAt(),
                current,
                fixtures,
                diff(run, rows));
    }

    private GateReport.@Nullable Diff diff(GateStore.RunRow run, List<GateStore.FixtureRow> mine) {
        String baselineId = run.baselineRun();
        String baselineEndpoint = run.baselineEndpoint();
        if (baselineId == null || baselineEndpoint == null) {
            return null;
        }
        Optional<GateStore.RunRow> baseline = store.run(baselineId);
        if (baseline.isEmpty()) {
            return null;
        }
        Map<String, GateStore.FixtureRow> theirs = new HashMap<>();
        store.fixtures(baselineId).forEach(f -> theirs.put(f.fixture(), f));
        List<String> newlyFailing = new ArrayList<>();
        List<String> newlyPassing = new ArrayList<>();
        long myTokens = 0;
        long theirTokens = 0;
        long myTime = 0;
        long theirTime = 0;
        for (GateStore.FixtureRow f : mine) {
            GateStore.FixtureRow t = theirs.get(f.fixture());
            if (t == null) {
                continue;
            }
            if (t.state().equals("passed") && f.state().equals("failed")) {
                newlyFailing.add(f.fixture());
            } else if (t.state().equals("failed") && f.state().equals("passed")) {
                newlyPassing.add(f.fixture());
            }
            myTokens += f.promptTokens() + f.completionTokens();
            theirTokens += t.promptTokens() + t.completionTokens();
            myTime += f.wallMs();
            theirTime += t.wallMs();
        }
        return new GateReport.Diff(
                baselineEndpoint,
                baselineId,
                baseline.get().passRate(),
                newlyFailing,
                newlyPassing,
                theirTokens == 0 ? null : Math.round(100.0 * myTokens / theirTokens) / 100.0,
                theirTime == 0 ? null : Math.round(100.0 * myTime / theirTime) / 100.0);
    }

    private static RouteGate.EndpointSpecView view(EndpointSpec e) {
        return new RouteGate.EndpointSpecView(e.name(), e.baseUrl().toString(), e.modelId());
    }

    private Optional<EndpointSpec> endpoint(String name) {
        return gateway.snapshot().endpoints().stream()
                .filter(e -> e.name().equals(name))
                .findFirst();
    }

    static String percent(@Nullable Double rate) {
        return rate == null ? "none" : Math.round(rate * 100) + "%";
    }
}
