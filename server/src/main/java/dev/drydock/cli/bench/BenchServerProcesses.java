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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the fault runs with real server processes share ({@code bench takeover}, {@code bench
 * pg-restart}): scripted knowledge-droid sessions written into the database as if an earlier run had
 * created them, a packaged server JVM on the embedded PostgreSQL without Keycloak, and an
 * OpenAI-compatible scripted model whose step is read from the request, so a session resumed from its
 * log continues its script where the log says it is.
 */
final class BenchServerProcesses {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SCRIPT = Pattern.compile("\\[script:[a-z-]+?-(\\d+)\\]");

    /** The scenario's shape: sessions, model calls per session, the model's answer time, the replicas' lease timing. */
    record Load(int sessions, int steps, int thinkMs, Duration leaseDuration, Duration renewInterval) {}

    private BenchServerProcesses() {}

    /**
     * Writes {@code load.sessions()} running sessions of workspace {@code bench}, each with its
     * {@code session.started} event (its task tagged {@code [script:<tag>-<steps>]}), leased to
     * replica {@code owner} for an hour (as if it had driven them before a restart).
     */
    static List<String> createSessions(Connection c, Load load, String tag, String owner) throws SQLException {
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
                                + " 'running', 1, ?, now() + interval '1 hour')");
                PreparedStatement e = c.prepareStatement(
                        "insert into session_event(session_id, seq, at, source, type, payload) values (?::uuid, 1, ?, 'USER', ?, cast(? as jsonb))")) {
            for (int i = 0; i < load.sessions(); i++) {
                String id = UUID.randomUUID().toString();
                Lifecycle.SessionStarted started = new Lifecycle.SessionStarted(
                        "knowledge",
                        "[script:" + tag + "-" + load.steps() + "] list the workspace, again and again",
                        "bench",
                        "",
                        "");
                s.setString(1, id);
                s.setString(2, tag + " " + i);
                s.setTimestamp(3, now);
                s.setTimestamp(4, now);
                s.setString(5, owner);
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

    /** Starts the packaged server {@code jar} as replica {@code name} on {@code port}, its files under {@code work}. */
    static Process server(
            Path jar,
            Path work,
            String name,
            int port,
            EmbeddedDatabase db,
            String password,
            String modelUrl,
            Load load,
            Map<String, String> extra)
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
        props.put("drydock.replica.lease-duration", load.leaseDuration().toString());
        props.put("drydock.replica.renew-interval", load.renewInterval().toString());
        props.put("drydock.replica.max-sandboxes", Integer.toString(Math.max(16, load.sessions() * 2)));
        props.put("drydock.session.resume-on-start", "true");
        props.put("drydock.gateway.endpoints.scripted.base-url", modelUrl);
        props.put("drydock.gateway.endpoints.scripted.model", "scripted");
        props.put("drydock.gateway.endpoints.scripted.capabilities", "tools");
        props.put("drydock.gateway.endpoints.scripted.clearance", "secret");
        props.put("drydock.gateway.endpoints.scripted.context-window", "32000");
        props.put("drydock.gateway.endpoints.scripted.max-concurrency", Integer.toString(load.sessions() * 2));
        props.put("drydock.gateway.routes.droids.endpoints", "scripted");
        props.put("quarkus.log.file.enabled", "true");
        props.put("quarkus.log.file.path", home.resolve("server.log").toString());
        props.put("quarkus.log.console.level", "WARN");
        props.putAll(extra);
        props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar.toString());
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("console.log").toFile())
                .start();
    }

    /** Waits (up to 3 minutes) until the server on {@code port} answers its liveness probe. */
    static void awaitReady(int port, Process p) throws Exception {
        awaitReady(port, p, "/q/health/live");
    }

    /** Waits (up to 3 minutes) until the server on {@code port} answers 200 on {@code healthPath}. */
    static void awaitReady(int port, Process p, String healthPath) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("a server process exited with " + p.exitValue() + " while starting");
            }
            try {
                HttpResponse<Void> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + healthPath))
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

    /** A condition read from another process's database rows or answers. */
    interface Check {
        boolean done() throws Exception;
    }

    /** Polls {@code check} until it holds, for at most {@code timeout}. */
    static void await(Check check, String what, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.done()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
            }
            // the condition is read from another process's database rows; no notification reaches the bench
            Thread.sleep(200);
        }
    }

    static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static List<String> strings(Connection c, String sql) throws SQLException {
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
    static HttpServer scriptedModel(AtomicLong calls, Load load) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", exchange -> {
            calls.incrementAndGet();
            byte[] body;
            try {
                JsonNode request = JSON.readTree(exchange.getRequestBody());
                int step = 0;
                int total = load.steps();
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
                Thread.sleep(load.thinkMs());
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

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
