package dev.drydock.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.cli.CliException;
import dev.drydock.cli.CliExit;
import dev.drydock.server.appliance.EmbeddedDatabase;
import dev.drydock.server.appliance.KeycloakProcess;
import dev.drydock.server.appliance.RealmTemplate;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A whole appliance for a benchmark, each part its own process as under {@code ./drydock up}: the
 * embedded PostgreSQL, a real Keycloak with the shipped realm, and the packaged server (its own JVM)
 * configured with the given properties. The realm also has a public client that may use the password
 * grant and one user, member of workspace {@code demo}, so that the benchmark can sign in without a
 * browser; the shipped realm allows no password grant, this one exists only in the scratch folder.
 */
final class BenchAppliance implements AutoCloseable {
    static final String USER = "bench";
    private static final String CLIENT = "drydock-bench";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EmbeddedDatabase db;
    private final KeycloakProcess keycloak;
    private final Process server;
    private final int port;
    private final String password;

    private BenchAppliance(EmbeddedDatabase db, KeycloakProcess keycloak, Process server, int port, String password) {
        this.db = db;
        this.keycloak = keycloak;
        this.server = server;
        this.port = port;
        this.password = password;
    }

    /**
     * Where the Keycloak distribution is: {@code DRYDOCK_KEYCLOAK_ZIP}, which {@code ./drydock bench}
     * sets (fetching it through Maven on first use, as {@code ./drydock up} does).
     */
    static Path keycloakZip() {
        String zip = System.getenv("DRYDOCK_KEYCLOAK_ZIP");
        if (zip == null || zip.isBlank() || !Files.isRegularFile(Path.of(zip))) {
            throw new CliException(
                    "no Keycloak distribution: run this through ./drydock bench, which sets DRYDOCK_KEYCLOAK_ZIP",
                    CliExit.UNAVAILABLE);
        }
        return Path.of(zip);
    }

    /** The packaged server: {@code $DRYDOCK_ROOT/server/target/quarkus-app/quarkus-run.jar}. */
    static Path packagedServer() {
        Path jar =
                Path.of(System.getenv().getOrDefault("DRYDOCK_ROOT", "."), "server/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new CliException("no packaged server at " + jar + " (./drydock build makes it)", CliExit.UNAVAILABLE);
        }
        return jar.toAbsolutePath();
    }

    /**
     * Starts PostgreSQL, Keycloak and the server in {@code work} (Keycloak is installed once under
     * {@code keycloakInstall}, which later runs reuse), the server with {@code serverProperties} on top
     * of what the appliance sets; returns once the server answers its liveness probe.
     */
    static BenchAppliance start(
            Path work, Path keycloakInstall, Map<String, String> serverProperties, Consumer<String> progress)
            throws Exception {
        String secret = UUID.randomUUID().toString();
        EmbeddedDatabase db = EmbeddedDatabase.start(
                work.resolve("pgdata"), 0, new EmbeddedDatabase.Credentials(secret, secret, secret, secret));
        KeycloakProcess kc = null;
        try {
            int port = BenchServerProcesses.freePort();
            String userPassword = "bench-" + UUID.randomUUID();
            RealmTemplate realm = RealmTemplate.shipped("http://127.0.0.1:" + port, secret, secret, secret)
                    .withPasswordGrantClient(CLIENT, Duration.ofHours(2))
                    .withUser(new RealmTemplate.InitialUser(
                            USER,
                            userPassword,
                            "Bench",
                            "User",
                            "bench@drydock.local",
                            List.of("/workspaces/demo/members")));
            progress.accept("starting Keycloak (installed once in " + keycloakInstall + ") …");
            kc = KeycloakProcess.start(
                    new KeycloakProcess.Setup(
                            keycloakZip(),
                            keycloakInstall,
                            BenchServerProcesses.freePort(),
                            BenchServerProcesses.freePort(),
                            db.jdbcUrl("keycloak"),
                            EmbeddedDatabase.KEYCLOAK,
                            secret,
                            realm.toJson(),
                            secret,
                            Duration.ofMinutes(5),
                            work.resolve("keycloak.log")),
                    progress);
            Path home = Files.createDirectories(work.resolve("server"));
            Path sandboxes = Files.createDirectories(home.resolve("sandboxes"));
            Files.setPosixFilePermissions(sandboxes, PosixFilePermissions.fromString("rwx--x--x"));
            Map<String, String> props = new LinkedHashMap<>();
            props.put("quarkus.http.port", Integer.toString(port));
            props.put("quarkus.datasource.jdbc.url", db.jdbcUrl("drydock"));
            props.put("quarkus.datasource.username", db.user());
            props.put("quarkus.datasource.password", secret);
            props.put("quarkus.flyway.username", db.owner());
            props.put("quarkus.flyway.password", secret);
            props.put("quarkus.oidc.auth-server-url", kc.realmUrl());
            props.put("quarkus.oidc.portal.credentials.secret", secret);
            props.put("drydock.identity.client-secret", secret);
            props.put("drydock.appliance.home", home.toString());
            props.put("drydock.audit.checkpoint-dir", home.resolve("audit").toString());
            props.put("drydock.sandbox.local.work-root", sandboxes.toString());
            props.put(
                    "drydock.droid.mirror-root",
                    Files.createDirectories(home.resolve("mirrors")).toString());
            props.put("drydock.repos.data-dir", home.resolve("repos").toString());
            props.put("quarkus.log.file.enabled", "true");
            props.put("quarkus.log.file.path", home.resolve("server.log").toString());
            props.put("quarkus.log.console.level", "WARN");
            props.putAll(serverProperties);
            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-modules",
                    "jdk.incubator.vector",
                    "--enable-native-access=ALL-UNNAMED",
                    "-Xmx1g"));
            // e.g. a flight recording of the server while the benchmark runs
            String extra = System.getenv("DRYDOCK_BENCH_SERVER_JAVA_OPTS");
            if (extra != null && !extra.isBlank()) {
                cmd.addAll(List.of(extra.trim().split("\\s+")));
            }
            props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
            cmd.add("-jar");
            cmd.add(packagedServer().toString());
            progress.accept("starting the server …");
            Process server = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(home.resolve("console.log").toFile())
                    .start();
            BenchAppliance appliance = new BenchAppliance(db, kc, server, port, userPassword);
            try {
                BenchServerProcesses.awaitReady(port, server);
            } catch (Exception e) {
                appliance.close();
                throw e;
            }
            return appliance;
        } catch (Exception e) {
            if (kc != null && !Thread.currentThread().isInterrupted()) {
                kc.close();
            }
            db.close();
            throw e;
        }
    }

    /** The server's base URL, e.g. {@code http://127.0.0.1:41234}. */
    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The server JVM's process id (its CPU time is in {@code /proc/<pid>/stat}). */
    long serverPid() {
        return server.pid();
    }

    /** The user's access token, by the password grant of the benchmark's client. */
    String accessToken() throws IOException, InterruptedException {
        String form = "grant_type=password&client_id=" + CLIENT + "&username=" + USER + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&scope=openid";
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(keycloak.realmUrl() + "/protocol/openid-connect/token"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode token = JSON.readTree(r.body()).path("access_token");
            if (r.statusCode() != 200 || !token.isTextual()) {
                throw new IllegalStateException(
                        "Keycloak refused the benchmark user's sign-in: HTTP " + r.statusCode());
            }
            return token.asText();
        }
    }

    @Override
    public void close() {
        server.destroy();
        try {
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        } catch (InterruptedException e) {
            server.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        keycloak.close();
        db.close();
    }
}
