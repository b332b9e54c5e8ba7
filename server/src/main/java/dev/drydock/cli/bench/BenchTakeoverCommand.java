package dev.drydock.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.drydock.server.agent.event.Lifecycle;
import dev.drydock.server.appliance.EmbeddedDatabase;
import dev.drydock.server.eventlog.EventCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SCRIPT = Pattern.compile("\\[script:takeover-(\\d+)\\]");

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
        HttpServer model = scriptedModel(modelCalls);
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
                ids = createSessions(c);
            }
            String modelUrl = "http://127.0.0.1:" + model.getAddress().getPort() + "/v1";
            int portA = freePort();
            int portB = freePort();
            // both start together; a finds its sessions at start-up (leased to its name), b finds none
            Process a = server(jar, work, "a", portA, db, password, modelUrl);
            replicas.add(a);
            Process b = server(jar, work, "b", portB, db, password, modelUrl);
            replicas.add(b);
            awaitReady(portA, a);
            awaitReady(portB, b);
            try (Connection c = db.connect("drydock", db.owner(), password)) {
                // every session on a has started its loop: at least one model reply recorded
                await(
                        () -> count(
                                        c,
                                        "select count(distinct session_id) from session_event where type = 'model.replied.v1'")
                                >= sessions,
                        "every session's first model reply");
                Instant killed = Instant.now();
                a.destroyForcibly().waitFor();
                List<String> unfinished = strings(c, "select id::text from droid_session where status <> 'finished'");
                await(
                        () -> count(c, "select count(*) from droid_session where status = 'finished'") >= sessions,
                        "every session to finish");
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

    private List<String> createSessions(Connection c) throws SQLException {
        EventCodec codec = new EventCodec();
        c.setAutoCommit(false);
        try (PreparedStatement ws = c.prepareStatement(
                "insert into workspace(slug, display_name, created_at, autonomy, allowed_droids, allowed_routes)"
                        + " values ('bench', 'bench', now(), 'auto-edit', 'knowledge', '*') on conflict do nothing")) {
            ws.executeUpdate();
        }
        List<String> ids = new ArrayList<>();
        Timestamp now = Timestamp.from(Instant.now());
        try (PreparedStatement s = c.prepareStatement(
                        "insert into droid_session(id, workspace, droid, repo, title, created_by, created_at, updated_at, status, last_seq,"
                                + " lease_owner, lease_expires_at) values (?::uuid, 'bench', 'knowledge', '', ?, 'bench', ?, ?,"
                                + " 'running', 1, 'a', now() + interval '1 hour')");
                PreparedStatement e = c.prepareStatement(
                        "insert into session_event(session_id, seq, at, source, type, payload) values (?::uuid, 1, ?, 'USER', ?, cast(? as jsonb))")) {
            for (int i = 0; i < sessions; i++) {
                String id = UUID.randomUUID().toString();
                Lifecycle.SessionStarted started = new Lifecycle.SessionStarted(
                        "knowledge",
                        "[script:takeover-" + steps + "] list the workspace, again and again",
                        "bench",
                        "",
                        "");
                s.setString(1, id);
                s.setString(2, "takeover " + i);
                s.setTimestamp(3, now);
                s.setTimestamp(4, now);
                s.addBatch();
                e.setString(1, id);
                e.setTimestamp(2, now);
                e.setString(3, codec.typeName(started));
                e.setString(4, codec.encode(started));
                e.addBatch();
                ids.add(id);
            }
            s.executeBatch();
            e.executeBatch();
        }
        c.commit();
        c.setAutoCommit(true);
        return ids;
    }

    private Process server(
            Path jar, Path work, String name, int port, EmbeddedDatabase db, String password, String modelUrl)
            throws IOException {
        Path home = Files.createDirectories(work.resolve("replica-" + name));
        Path sandboxes = Files.createDirectories(home.resolve("sandboxes"));
        Files.setPosixFilePermissions(sandboxes, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules",
                "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx512m"));
        Map<String, String> props = new java.util.LinkedHashMap<>();
        props.put("quarkus.http.port", Integer.toString(port));
        props.put("quarkus.datasource.jdbc.url", db.jdbcUrl("drydock"));
        props.put("quarkus.datasource.username", db.user());
        props.put("quarkus.datasource.password", password);
        props.put("quarkus.flyway.username", db.owner());
        props.put("quarkus.flyway.password", password);
        // no Keycloak: the sessions exist already and nobody signs in
        props.put("quarkus.oidc.tenant-enabled", "false");
        props.put("quarkus.oidc.portal.tenant-enabled", "false");
        props.put("drydock.appliance.home", home.toString());
        props.put("drydock.audit.checkpoint-dir", home.resolve("audit").toString());
        props.put("drydock.sandbox.local.work-root", sandboxes.toString());
        props.put(
                "drydock.droid.mirror-root",
                Files.createDirectories(home.resolve("mirrors")).toString());
        props.put("drydock.repos.data-dir", home.resolve("repos").toString());
        props.put("drydock.replica.id", name);
        props.put("drydock.replica.lease-duration", leaseDuration.toString());
        props.put("drydock.replica.renew-interval", renewInterval.toString());
        props.put("drydock.replica.max-sandboxes", Integer.toString(Math.max(16, sessions * 2)));
        props.put("drydock.session.resume-on-start", "true");
        props.put("drydock.gateway.endpoints.scripted.base-url", modelUrl);
        props.put("drydock.gateway.endpoints.scripted.model", "scripted");
        props.put("drydock.gateway.endpoints.scripted.capabilities", "tools");
        props.put("drydock.gateway.endpoints.scripted.clearance", "secret");
        props.put("drydock.gateway.endpoints.scripted.context-window", "32000");
        props.put("drydock.gateway.endpoints.scripted.max-concurrency", Integer.toString(sessions * 2));
        props.put("drydock.gateway.routes.droids.endpoints", "scripted");
        props.put("quarkus.log.file.enabled", "true");
        props.put("quarkus.log.file.path", home.resolve("server.log").toString());
        props.put("quarkus.log.console.level", "WARN");
        props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar.toString());
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("console.log").toFile())
                .start();
    }

    private static void awaitReady(int port, Process p) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("a server process exited with " + p.exitValue() + " while starting");
            }
            try {
                HttpResponse<Void> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/live"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            // a server JVM being started elsewhere offers nothing to wait on but its port: ask again shortly
            Thread.sleep(250);
        }
        throw new IllegalStateException("a server process did not become ready on port " + port);
    }

    private interface Check {
        boolean done() throws Exception;
    }

    private void await(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.done()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
            }
            // the condition is read from another process's database rows; no notification reaches the bench
            Thread.sleep(200);
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

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /**
     * An OpenAI-compatible model that lists the workspace {@code steps - 1} times and then finishes; the
     * step is the number of assistant messages in the request, so a replica that resumes a session from
     * its log continues the script where the log says it is.
     */
    private HttpServer scriptedModel(AtomicLong calls) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", exchange -> {
            calls.incrementAndGet();
            byte[] body;
            try {
                JsonNode request = JSON.readTree(exchange.getRequestBody());
                int step = 0;
                int total = steps;
                for (JsonNode m : request.path("messages")) {
                    if (m.path("role").asText().equals("assistant")) {
                        step++;
                    }
                    Matcher s = SCRIPT.matcher(m.path("content").asText());
                    if (m.path("role").asText().equals("user") && s.find()) {
                        total = Integer.parseInt(s.group(1));
                    }
                }
                // the scripted model's answer time, the load the bench simulates
                Thread.sleep(thinkMs);
                body = reply(step + 1 >= total).getBytes(StandardCharsets.UTF_8);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                body = "{}".getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return server;
    }

    private static String reply(boolean last) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", "scripted");
        ObjectNode message =
                root.putArray("choices").addObject().put("index", 0).putObject("message");
        message.put("role", "assistant");
        message.put("content", last ? "done" : "looking");
        ArrayNode tc = message.putArray("tool_calls");
        ObjectNode c = tc.addObject();
        c.put("id", "");
        c.put("type", "function");
        c.putObject("function")
                .put("name", last ? "finish" : "list_dir")
                .put(
                        "arguments",
                        last ? "{\"title\":\"t\",\"document\":\"listed the workspace\"}" : "{\"path\":\".\"}");
        root.putObject("usage").put("prompt_tokens", 100).put("completion_tokens", 10);
        return root.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
