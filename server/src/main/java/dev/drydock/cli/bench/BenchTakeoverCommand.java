package dev.drydock.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.drydock.server.appliance.EmbeddedDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Two real server processes (the packaged server, {@code server/target/quarkus-app}, each its own JVM)
 * on one PostgreSQL (the appliance's embedded one), N knowledge-droid sessions with a scripted model;
 * replica A drives them all (they are leased to its name, as if it had run them before a restart), replica B
 * idles beside it; once both are up and every session has a model reply, A gets SIGKILL. Measures how long B takes to
 * take each of A's unfinished sessions over (kill → B's {@code session.resumed}), and checks that every
 * session finishes completed with its event log free of gaps and duplicates, with exactly the model
 * replies its script has. The sessions are written into the database before A starts (as if an earlier
 * run had created them), so the servers need no Keycloak. Last line: one JSON object.
 */
@Command(
        name = "takeover",
        description = "Two server processes on one PostgreSQL, N scripted sessions, kill -9 of the replica driving"
                + " them: takeover time, and every session's log checked for gaps and duplicates.")
public final class BenchTakeoverCommand implements java.util.concurrent.Callable<Integer> {
    private static final ObjectMapper JSON = BenchServerProcesses.JSON;

    @Option(names = "--sessions", defaultValue = "50", description = "sessions (default ${DEFAULT-VALUE})")
    int sessions;

    @Option(
            names = "--steps",
            defaultValue = "20",
            description = "model calls per session, the last one finishing (default ${DEFAULT-VALUE})")
    int steps;

    @Option(
            names = "--think-ms",
            defaultValue = "1000",
            description = "the scripted model's answer time per call (default ${DEFAULT-VALUE})")
    int thinkMs;

    @Option(
            names = "--lease-duration",
            defaultValue = "PT15S",
            description = "drydock.replica.lease-duration of both replicas (default ${DEFAULT-VALUE})")
    Duration leaseDuration;

    @Option(
            names = "--renew-interval",
            defaultValue = "PT5S",
            description = "drydock.replica.renew-interval of both replicas (default ${DEFAULT-VALUE})")
    Duration renewInterval;

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
        Path jar = app != null
                ? app
                : Path.of(
                        System.getenv().getOrDefault("DRYDOCK_ROOT", "."), "server/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            System.err.println("bench takeover: no packaged server at " + jar + " (./drydock build makes it)");
            return 2;
        }
        Path work = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("drydock-takeover-");
        // a temporary folder is its owner's alone (0700): the sandboxes' own uids must pass through it to
        // the replicas' sandbox work roots
        Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        Result r = run(jar.toAbsolutePath(), work);
        System.out.println(r.report());
        System.out.println(r.json());
        return r.ok() ? 0 : 1;
    }

    /** What a run measured. */
    public record Result(
            int sessions,
            int takenOver,
            int completed,
            long events,
            int gaps,
            int duplicated,
            int wrongReplies,
            double takeoverMaxS,
            double takeoverP50S,
            double wallS) {
        boolean ok() {
            return completed == sessions && gaps == 0 && duplicated == 0 && wrongReplies == 0;
        }

        String report() {
            return String.format(
                    Locale.ROOT,
                    "%d sessions, %d taken over by replica b after the kill -9 of replica a (p50 %.1f s, max %.1f s"
                            + " from the kill to its session.resumed); %d completed; %d events; gaps %d, duplicates %d,"
                            + " sessions with other model replies than their script %d; %.1f s in all",
                    sessions,
                    takenOver,
                    takeoverP50S,
                    takeoverMaxS,
                    completed,
                    events,
                    gaps,
                    duplicated,
                    wrongReplies,
                    wallS);
        }

        String json() {
            return String.format(
                    Locale.ROOT,
                    "{\"sessions\": %d, \"taken_over\": %d, \"completed\": %d, \"events\": %d, \"gaps\": %d,"
                            + " \"duplicated\": %d, \"wrong_replies\": %d, \"takeover_p50_s\": %.2f, \"takeover_max_s\": %.2f,"
                            + " \"wall_s\": %.1f}",
                    sessions,
                    takenOver,
                    completed,
                    events,
                    gaps,
                    duplicated,
                    wrongReplies,
                    takeoverP50S,
                    takeoverMaxS,
                    wallS);
        }
    }

    /** Runs the scenario with the packaged server {@code jar} in the scratch folder {@code work}. */
    public Result run(Path jar, Path work) throws Exception {
        long began = System.nanoTime();
        String password = UUID.randomUUID().toString();
        EmbeddedDatabase.Credentials credentials =
                new EmbeddedDatabase.Credentials(password, password, password, password);
        AtomicLong modelCalls = new AtomicLong();
        BenchServerProcesses.Load load =
                new BenchServerProcesses.Load(sessions, steps, thinkMs, leaseDuration, renewInterval);
        HttpServer model = BenchServerProcesses.scriptedModel(modelCalls, load);
        List<Process> replicas = new ArrayList<>();
        try (EmbeddedDatabase db = EmbeddedDatabase.start(work.resolve("pgdata"), 0, credentials)) {
            Flyway.configure()
                    .dataSource(db.jdbcUrl("drydock"), db.owner(), password)
                    .locations("classpath:db/migration")
                    .placeholders(Map.of("app_role", EmbeddedDatabase.APP))
                    .load()
                    .migrate();
            List<String> ids;
            try (Connection c = db.connect("drydock", db.owner(), password)) {
                ids = BenchServerProcesses.createSessions(c, load, "takeover", "a");
            }
            String modelUrl = "http://127.0.0.1:" + model.getAddress().getPort() + "/v1";
            int portA = BenchServerProcesses.freePort();
            int portB = BenchServerProcesses.freePort();
            // both start together; a finds its sessions at start-up (leased to its name), b finds none
            Process a = BenchServerProcesses.server(jar, work, "a", portA, db, password, modelUrl, load, Map.of());
            replicas.add(a);
            Process b = BenchServerProcesses.server(jar, work, "b", portB, db, password, modelUrl, load, Map.of());
            replicas.add(b);
            BenchServerProcesses.awaitReady(portA, a);
            BenchServerProcesses.awaitReady(portB, b);
            try (Connection c = db.connect("drydock", db.owner(), password)) {
                // every session on a has started its loop: at least one model reply recorded
                BenchServerProcesses.await(
                        () -> BenchServerProcesses.count(
                                        c,
                                        "select count(distinct session_id) from session_event where type = 'model.replied.v1'")
                                >= sessions,
                        "every session's first model reply",
                        timeout);
                Instant killed = Instant.now();
                a.destroyForcibly().waitFor();
                List<String> unfinished = BenchServerProcesses.strings(
                        c, "select id::text from droid_session where status <> 'finished'");
                BenchServerProcesses.await(
                        () -> BenchServerProcesses.count(
                                        c, "select count(*) from droid_session where status = 'finished'")
                                >= sessions,
                        "every session to finish",
                        timeout);
                return verify(c, ids, unfinished, killed, (System.nanoTime() - began) / 1e9);
            }
        } finally {
            for (Process p : replicas) {
                p.destroy();
            }
            for (Process p : replicas) {
                if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
            model.stop(0);
        }
    }

    private Result verify(Connection c, List<String> ids, List<String> unfinished, Instant killed, double wall)
            throws SQLException {
        int gaps = 0;
        int duplicated = 0;
        int wrong = 0;
        int completed = 0;
        long events = 0;
        List<Double> takeovers = new ArrayList<>();
        for (String id : ids) {
            List<Long> seqs = new ArrayList<>();
            int replies = 0;
            int finished = 0;
            boolean ok = false;
            Instant resumedByB = null;
            java.util.Set<String> invoked = new java.util.HashSet<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "select seq, at, type, payload::text from session_event where session_id = ?::uuid order by seq")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        seqs.add(rs.getLong(1));
                        String type = rs.getString(3);
                        JsonNode payload;
                        try {
                            payload = JSON.readTree(rs.getString(4));
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                        switch (type) {
                            case "model.replied.v1" -> replies++;
                            case "tool.invoke.v1" -> {
                                if (!invoked.add(payload.path("callId").asText())) {
                                    duplicated++;
                                }
                            }
                            case "session.finished.v1" -> {
                                finished++;
                                ok = payload.path("outcome").asText().equals("COMPLETED");
                            }
                            case "session.resumed.v1" -> {
                                Instant at = rs.getTimestamp(2).toInstant();
                                if (resumedByB == null
                                        && at.isAfter(killed)
                                        && payload.path("reason").asText().contains("on b ")) {
                                    resumedByB = at;
                                }
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
            if (replies != steps) {
                wrong++;
            }
            if (finished == 1 && ok) {
                completed++;
            }
            if (resumedByB != null && unfinished.contains(id)) {
                takeovers.add(Duration.between(killed, resumedByB).toMillis() / 1000.0);
            }
        }
        takeovers.sort(Comparator.naturalOrder());
        double max = takeovers.isEmpty() ? 0 : takeovers.getLast();
        double p50 = takeovers.isEmpty() ? 0 : takeovers.get(takeovers.size() / 2);
        return new Result(ids.size(), takeovers.size(), completed, events, gaps, duplicated, wrong, max, p50, wall);
    }
}
