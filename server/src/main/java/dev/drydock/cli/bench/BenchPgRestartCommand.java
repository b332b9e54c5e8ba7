package dev.drydock.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.drydock.server.appliance.EmbeddedDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One real server process (the packaged server) on the appliance's embedded PostgreSQL, N scripted
 * knowledge-droid sessions running slowly enough to span an outage; once every session has a model
 * reply, PostgreSQL is stopped ({@code pg_ctl stop -m fast}, through {@code EmbeddedDatabase.close})
 * for {@code --down}, then started again on the same data folder and port. Meanwhile API requests are
 * sent every {@code --poll-ms} and their answers classified. Checks that every request met while the
 * database was away was answered 503 problem+json, that every session finished completed with its log
 * free of gaps, lost and duplicated events against its script, and measures how long after PostgreSQL
 * was back the first event was appended. Last line: one JSON object.
 */
@Command(
        name = "pg-restart",
        description =
                "One server process, N scripted sessions, PostgreSQL stopped and started again under them:"
                        + " API answers while it is down, sessions completed, events lost or duplicated, time to the first append.")
public final class BenchPgRestartCommand implements java.util.concurrent.Callable<Integer> {
    /** A gitlab webhook for a repository that does not exist: no credentials needed, one database read. */
    static final String PROBE = "/api/hooks/gitlab/bench/no-such-repository";

    @Option(names = "--sessions", defaultValue = "20", description = "sessions (default ${DEFAULT-VALUE})")
    int sessions;

    @Option(
            names = "--steps",
            defaultValue = "30",
            description = "model calls per session, the last one finishing (default ${DEFAULT-VALUE})")
    int steps;

    @Option(
            names = "--think-ms",
            defaultValue = "1000",
            description = "the scripted model's answer time per call (default ${DEFAULT-VALUE})")
    int thinkMs;

    @Option(
            names = "--down",
            defaultValue = "PT10S",
            description = "how long PostgreSQL stays stopped (default ${DEFAULT-VALUE})")
    Duration down;

    @Option(
            names = "--grace",
            defaultValue = "PT2M",
            description =
                    "drydock.session.database-outage-grace of the server; shorter than --down parks the sessions (default ${DEFAULT-VALUE})")
    Duration grace;

    @Option(
            names = "--poll-ms",
            defaultValue = "200",
            description = "pause between two API requests of the prober (default ${DEFAULT-VALUE})")
    int pollMs;

    @Option(
            names = "--timeout",
            defaultValue = "PT5M",
            description = "how long to wait for every session to finish (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--work-dir", description = "scratch folder (default: a new temporary folder)")
    @Nullable
    Path workDir;

    @Option(
            names = "--app",
            description = "the packaged server (default: $DRYDOCK_ROOT/server/target/quarkus-app/quarkus-run.jar)")
    @Nullable
    Path app;

    @Override
    public Integer call() throws Exception {
        if (sessions < 1 || steps < 2 || thinkMs < 0 || pollMs < 1 || down.isNegative() || down.isZero()) {
            System.err.println(
                    "bench pg-restart: --sessions must be at least 1, --steps at least 2, --poll-ms at least 1, --down positive");
            return 2;
        }
        Path jar = app != null
                ? app
                : Path.of(
                        System.getenv().getOrDefault("DRYDOCK_ROOT", "."), "server/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            System.err.println("bench pg-restart: no packaged server at " + jar + " (./drydock build makes it)");
            return 2;
        }
        Path work =
                workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("drydock-pg-restart-");
        // a temporary folder is its owner's alone (0700): the sandboxes' own uids must pass through it
        Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        Result r = run(jar.toAbsolutePath(), work);
        System.out.println(r.report());
        System.out.println(r.json());
        return r.ok() ? 0 : 1;
    }

    /** One API answer the prober got: when it was sent and answered (nanoTime), and what it was. */
    record Answer(long sent, long done, int status, boolean problem, boolean stackTrace, String body) {}

    /** What a run measured. */
    public record Result(
            int sessions,
            int completed,
            long events,
            int lost,
            int duplicated,
            int gaps,
            int requests,
            int requestsWhileDown,
            int problem503WhileDown,
            int otherWhileDown,
            int unexpected,
            int stackTraces,
            int resumed,
            int modelCallFailures,
            double downS,
            double firstAppendAfterBackS,
            long outageWarnings,
            long stackTraceLines,
            double wallS) {
        boolean ok() {
            return completed == sessions
                    && lost == 0
                    && duplicated == 0
                    && gaps == 0
                    && otherWhileDown == 0
                    && unexpected == 0
                    && stackTraces == 0;
        }

        String report() {
            return String.format(
                    Locale.ROOT,
                    "PostgreSQL stopped for %.1f s under %d sessions; %d API requests, %d met the database away:"
                            + " %d answered 503 problem+json, %d otherwise; %d unexpected answers in all (neither the"
                            + " probe's normal answer nor 503 problem+json), %d bodies with a stack trace; first event"
                            + " appended %.2f s after PostgreSQL was back; %d completed; %d events; lost %d,"
                            + " duplicated %d, gaps %d; %d sessions resumed (parked past the grace), %d model calls"
                            + " failed; server log: %d outage warnings, %d stack-trace lines; %.1f s in all",
                    downS,
                    sessions,
                    requests,
                    requestsWhileDown,
                    problem503WhileDown,
                    otherWhileDown,
                    unexpected,
                    stackTraces,
                    firstAppendAfterBackS,
                    completed,
                    events,
                    lost,
                    duplicated,
                    gaps,
                    resumed,
                    modelCallFailures,
                    outageWarnings,
                    stackTraceLines,
                    wallS);
        }

        String json() {
            return String.format(
                    Locale.ROOT,
                    "{\"sessions\": %d, \"completed\": %d, \"events\": %d, \"lost\": %d, \"duplicated\": %d,"
                            + " \"gaps\": %d, \"requests\": %d, \"requests_while_down\": %d, \"problem_503_while_down\": %d,"
                            + " \"other_while_down\": %d, \"unexpected\": %d, \"stack_traces\": %d, \"resumed\": %d,"
                            + " \"model_call_failures\": %d, \"down_s\": %.2f, \"first_append_after_back_s\": %.2f,"
                            + " \"outage_warnings\": %d, \"stack_trace_lines\": %d, \"wall_s\": %.1f}",
                    sessions,
                    completed,
                    events,
                    lost,
                    duplicated,
                    gaps,
                    requests,
                    requestsWhileDown,
                    problem503WhileDown,
                    otherWhileDown,
                    unexpected,
                    stackTraces,
                    resumed,
                    modelCallFailures,
                    downS,
                    firstAppendAfterBackS,
                    outageWarnings,
                    stackTraceLines,
                    wallS);
        }
    }

    /** Runs the scenario with the packaged server {@code jar} in the scratch folder {@code work}. */
    public Result run(Path jar, Path work) throws Exception {
        long began = System.nanoTime();
        String password = UUID.randomUUID().toString();
        EmbeddedDatabase.Credentials credentials =
                new EmbeddedDatabase.Credentials(password, password, password, password);
        BenchServerProcesses.Load load =
                new BenchServerProcesses.Load(sessions, steps, thinkMs, Duration.ofSeconds(15), Duration.ofSeconds(5));
        AtomicLong modelCalls = new AtomicLong();
        HttpServer model = BenchServerProcesses.scriptedModel(modelCalls, load);
        Path pgdata = work.resolve("pgdata");
        @Nullable EmbeddedDatabase db = EmbeddedDatabase.start(pgdata, 0, credentials);
        int pgPort = db.port();
        @Nullable Process server = null;
        AtomicBoolean probing = new AtomicBoolean(true);
        List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
        @Nullable Thread prober = null;
        try {
            Flyway.configure()
                    .dataSource(db.jdbcUrl("drydock"), db.owner(), password)
                    .locations("classpath:db/migration")
                    .placeholders(Map.of("app_role", EmbeddedDatabase.APP))
                    .load()
                    .migrate();
            List<String> ids;
            try (Connection c = db.connect("drydock", db.owner(), password)) {
                ids = BenchServerProcesses.createSessions(c, load, "pg-restart", "a");
            }
            String modelUrl = "http://127.0.0.1:" + model.getAddress().getPort() + "/v1";
            int port = BenchServerProcesses.freePort();
            server = BenchServerProcesses.server(
                    jar,
                    work,
                    "a",
                    port,
                    db,
                    password,
                    modelUrl,
                    load,
                    Map.of("drydock.session.database-outage-grace", grace.toString()));
            BenchServerProcesses.awaitReady(port, server);
            EmbeddedDatabase up = db;
            try (Connection c = up.connect("drydock", up.owner(), password)) {
                BenchServerProcesses.await(
                        () -> BenchServerProcesses.count(
                                        c,
                                        "select count(distinct session_id) from session_event where type = 'model.replied.v1'")
                                >= sessions,
                        "every session's first model reply",
                        timeout);
            }
            prober = Thread.ofVirtual().name("pg-restart-prober").start(() -> probe(port, probing, answers));
            // a few answers with the database up, to know the probe's normal answer
            BenchServerProcesses.await(() -> answers.size() >= 3, "the prober's first answers", timeout);
            long stopping = System.nanoTime();
            Instant stoppingAt = Instant.now();
            db.close();
            db = null;
            long stopped = System.nanoTime();
            // the outage the bench simulates: nothing to wait on, PostgreSQL is simply away for --down
            Thread.sleep(down.toMillis());
            long restarting = System.nanoTime();
            db = EmbeddedDatabase.start(pgdata, pgPort, credentials);
            long back = System.nanoTime();
            Instant backAt = Instant.now();
            EmbeddedDatabase again = db;
            double firstAppend;
            try (Connection c = again.connect("drydock", again.owner(), password)) {
                BenchServerProcesses.await(
                        () -> firstAppendAfter(c, backAt) != null,
                        "the first event appended after the restart",
                        timeout);
                Instant first = java.util.Objects.requireNonNull(firstAppendAfter(c, backAt));
                firstAppend = Duration.between(backAt, first).toMillis() / 1000.0;
                BenchServerProcesses.await(
                        () -> BenchServerProcesses.count(
                                        c, "select count(*) from droid_session where status = 'finished'")
                                >= sessions,
                        "every session to finish",
                        timeout);
                probing.set(false);
                prober.join();
                Result r = verify(c, ids, answers, stopping, stoppingAt, stopped, restarting, back, firstAppend);
                Path log = work.resolve("replica-a").resolve("server.log");
                long warnings = 0;
                long stackLines = 0;
                if (Files.isRegularFile(log)) {
                    try (Stream<String> lines = Files.lines(log)) {
                        for (String line : (Iterable<String>) lines::iterator) {
                            if (line.contains("PostgreSQL is not reachable")) {
                                warnings++;
                            }
                            if (line.startsWith("\tat ") || line.startsWith("Caused by:")) {
                                stackLines++;
                            }
                        }
                    }
                }
                return new Result(
                        r.sessions(),
                        r.completed(),
                        r.events(),
                        r.lost(),
                        r.duplicated(),
                        r.gaps(),
                        r.requests(),
                        r.requestsWhileDown(),
                        r.problem503WhileDown(),
                        r.otherWhileDown(),
                        r.unexpected(),
                        r.stackTraces(),
                        r.resumed(),
                        r.modelCallFailures(),
                        (restarting - stopping) / 1e9,
                        firstAppend,
                        warnings,
                        stackLines,
                        (System.nanoTime() - began) / 1e9);
            }
        } finally {
            probing.set(false);
            if (prober != null) {
                prober.join(30_000);
            }
            if (server != null) {
                server.destroy();
                if (!server.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            }
            if (db != null) {
                db.close();
            }
            model.stop(0);
        }
    }

    /** Sends the probe request every {@code --poll-ms} until told to stop, one at a time. */
    private void probe(int port, AtomicBoolean probing, List<Answer> answers) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + PROBE))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("X-Gitlab-Event", "Push Hook")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build();
        while (probing.get()) {
            long sent = System.nanoTime();
            try {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                String type = r.headers().firstValue("Content-Type").orElse("");
                String body = r.body() == null ? "" : r.body();
                answers.add(new Answer(
                        sent,
                        System.nanoTime(),
                        r.statusCode(),
                        type.startsWith("application/problem+json"),
                        body.contains("\tat ") || body.contains("Exception:"),
                        body.length() > 300 ? body.substring(0, 300) : body));
            } catch (IOException e) {
                // the server did not answer at all: counted as an unexpected answer
                answers.add(new Answer(sent, System.nanoTime(), 0, false, false, String.valueOf(e)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                // the prober's pace: one request every --poll-ms, as a client polling the API would
                Thread.sleep(pollMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static @Nullable Instant firstAppendAfter(Connection c, Instant after) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select min(at) from session_event where at >= ?")) {
            ps.setTimestamp(1, Timestamp.from(after));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Timestamp t = rs.getTimestamp(1);
                return t == null ? null : t.toInstant();
            }
        }
    }

    /**
     * Classifies the answers (before the stop, while PostgreSQL was away, after it was back) and checks
     * every session's log against its script: {@code steps} model replies, each with one usage record
     * and one tool call, seqs without gaps, finished once, completed.
     */
    private Result verify(
            Connection c,
            List<String> ids,
            List<Answer> answers,
            long stopping,
            Instant stoppingAt,
            long stopped,
            long restarting,
            long back,
            double firstAppend)
            throws SQLException {
        List<Answer> all = List.copyOf(answers);
        // the probe's normal answer: what it got before the stop
        Set<Integer> normal = new HashSet<>();
        for (Answer a : all) {
            if (a.done() < stopping) {
                normal.add(a.status());
            }
        }
        int whileDown = 0;
        int problem503 = 0;
        int other = 0;
        int unexpected = 0;
        int stacks = 0;
        for (Answer a : all) {
            boolean is503 = a.status() == 503 && a.problem();
            if (a.stackTrace()) {
                stacks++;
            }
            if (a.sent() >= stopped && a.done() <= restarting) {
                whileDown++;
                if (is503) {
                    problem503++;
                } else {
                    other++;
                }
            }
            boolean fine = is503 || (normal.contains(a.status()) && a.status() != 0 && a.status() < 500);
            if (!fine) {
                unexpected++;
                System.err.printf(
                        Locale.ROOT,
                        "unexpected answer %d (problem+json %b) to a request sent %.2f s after the stop began: %s%n",
                        a.status(),
                        a.problem(),
                        (a.sent() - stopping) / 1e9,
                        a.body());
            }
        }
        int gaps = 0;
        int lost = 0;
        int duplicated = 0;
        int completed = 0;
        int resumed = 0;
        int failedCalls = 0;
        long events = 0;
        for (String id : ids) {
            List<Long> seqs = new ArrayList<>();
            int replies = 0;
            int usages = 0;
            int finished = 0;
            boolean ok = false;
            Set<String> invoked = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "select seq, type, payload::text, at from session_event where session_id = ?::uuid order by seq")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        seqs.add(rs.getLong(1));
                        JsonNode payload;
                        try {
                            payload = BenchServerProcesses.JSON.readTree(rs.getString(3));
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                        switch (rs.getString(2)) {
                            case "model.replied.v1" -> replies++;
                            case "model.usage.v1" -> usages++;
                            case "model.call-failed.v1" -> failedCalls++;
                            case "tool.invoke.v1" -> {
                                if (!invoked.add(payload.path("callId").asText())) {
                                    duplicated++;
                                }
                            }
                            case "session.resumed.v1" -> {
                                // resumed after the stop: a session parked past the grace (the start-up resume is not)
                                if (rs.getTimestamp(4).toInstant().isAfter(stoppingAt)) {
                                    resumed++;
                                }
                            }
                            case "session.finished.v1" -> {
                                finished++;
                                ok = payload.path("outcome").asText().equals("COMPLETED");
                            }
                            default -> {}
                        }
                    }
                }
            }
            events += seqs.size();
            for (int i = 0; i < seqs.size(); i++) {
                if (seqs.get(i) != i + 1) {
                    gaps++;
                    break;
                }
            }
            for (int n : new int[] {replies, usages, invoked.size()}) {
                lost += Math.max(0, steps - n);
                duplicated += Math.max(0, n - steps);
            }
            duplicated += Math.max(0, finished - 1);
            if (finished == 1 && ok) {
                completed++;
            }
        }
        return new Result(
                ids.size(),
                completed,
                events,
                lost,
                duplicated,
                gaps,
                all.size(),
                whileDown,
                problem503,
                other,
                unexpected,
                stacks,
                resumed,
                failedCalls,
                (restarting - stopping) / 1e9,
                firstAppend,
                0,
                0,
                (back - stopping) / 1e9);
    }
}
