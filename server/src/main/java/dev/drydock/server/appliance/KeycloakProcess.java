package dev.drydock.server.appliance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.jboss.logging.Logger;

/**
 * A real Keycloak server run from its Maven distribution ({@code keycloak-quarkus-dist}) as a child
 * process, with the {@code drydock} realm imported on first start. Used by {@code ./drydock up} and
 * by the integration tests, so both exercise the same start-up path.
 */
public final class KeycloakProcess implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KeycloakProcess.class);
    private static final String INSTALLED_MARKER = ".drydock-installed";

    /** What to run and how. {@code dbUrl} empty means Keycloak's in-memory dev database. */
    public record Setup(
            Path distZip,
            Path installDir,
            int port,
            int managementPort,
            String dbUrl,
            String dbUser,
            String dbPassword,
            String realmJson,
            String bootstrapAdminPassword,
            Duration startTimeout,
            Path logFile) {}

    private final Process process;
    private final int port;
    private final Path logFile;

    private KeycloakProcess(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
    }

    /**
     * Installs (once), starts and waits until the {@code drydock} realm answers.
     *
     * @param progress receives a line now and then while Keycloak starts
     */
    public static KeycloakProcess start(Setup setup, Consumer<String> progress) {
        install(setup.distZip(), setup.installDir());
        writeRealmImport(setup);
        List<String> command = new ArrayList<>();
        command.add(setup.installDir().resolve("bin/kc.sh").toString());
        command.add("start-dev");
        command.add("--http-port=" + setup.port());
        command.add("--http-host=127.0.0.1");
        command.add("--http-management-port=" + setup.managementPort());
        command.add("--import-realm");
        command.add("--cache=local");
        if (setup.dbUrl().isEmpty()) {
            command.add("--db=dev-mem");
        } else {
            command.add("--db=postgres");
            command.add("--db-url=" + setup.dbUrl());
            command.add("--db-username=" + setup.dbUser());
        }
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        if (!setup.dbUrl().isEmpty()) {
            // Through the environment, not the command line: other local users can read a command line (ps, /proc).
            env.put("KC_DB_PASSWORD", setup.dbPassword());
        }
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", setup.bootstrapAdminPassword());
        env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx768m");
        pb.redirectErrorStream(true);
        try {
            Files.createDirectories(setup.logFile().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pb.redirectOutput(ProcessBuilder.Redirect.to(setup.logFile().toFile()));
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new ApplianceException("keycloak", "could not run " + command.getFirst() + ": " + e.getMessage(), e);
        }
        KeycloakProcess kc = new KeycloakProcess(process, setup.port(), setup.logFile());
        try {
            kc.awaitReady(setup.startTimeout(), progress);
        } catch (RuntimeException e) {
            kc.close();
            throw e;
        }
        return kc;
    }

    /** Base URL, e.g. {@code http://127.0.0.1:8180}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Issuer URL of the drydock realm. */
    public String realmUrl() {
        return baseUrl() + "/realms/drydock";
    }

    public long pid() {
        return process.pid();
    }

    private void awaitReady(Duration timeout, Consumer<String> progress) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI discovery = URI.create(realmUrl() + "/.well-known/openid-configuration");
        Instant start = Instant.now();
        Instant deadline = start.plus(timeout);
        Instant nextReport = start.plusSeconds(10);
        while (true) {
            if (!process.isAlive()) {
                throw new ApplianceException(
                        "keycloak",
                        "Keycloak exited with code "
                                + process.exitValue()
                                + " while starting. Last lines of "
                                + logFile
                                + ":\n"
                                + tail(logFile, 15)
                                + "\nFix the cause above (a port in use? set another with DRYDOCK_KEYCLOAK_PORT), or point DRYDOCK_OIDC_URL at an existing Keycloak realm.");
            }
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(discovery)
                                .timeout(Duration.ofSeconds(2))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApplianceException("keycloak", "interrupted while waiting for Keycloak", e);
            }
            Instant now = Instant.now();
            if (now.isAfter(deadline)) {
                throw new ApplianceException(
                        "keycloak",
                        "Keycloak did not answer on "
                                + discovery
                                + " within "
                                + timeout.toSeconds()
                                + " s. Last lines of "
                                + logFile
                                + ":\n"
                                + tail(logFile, 15));
            }
            if (now.isAfter(nextReport)) {
                progress.accept("  keycloak: still starting ("
                        + Duration.between(start, now).toSeconds() + " s)…");
                nextReport = now.plusSeconds(10);
            }
            try {
                // Polling interval while an external process boots; there is no event to wait on.
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApplianceException("keycloak", "interrupted while waiting for Keycloak", e);
            }
        }
    }

    /** Stops Keycloak and every process it forked; waits for them to exit. */
    @Override
    public void close() {
        try {
            Leftovers.stopTree("keycloak", process.toHandle(), "started by this run", java.time.Duration.ofSeconds(30));
            LOG.debug("Keycloak stopped");
        } catch (ApplianceException e) {
            LOG.warnf("Keycloak did not stop: %s", e.getMessage());
        }
    }

    /** Unpacks the distribution into {@code installDir} unless a previous run already did. */
    static void install(Path distZip, Path installDir) {
        if (Files.exists(installDir.resolve(INSTALLED_MARKER))) {
            return;
        }
        if (!Files.isRegularFile(distZip)) {
            throw new ApplianceException(
                    "keycloak",
                    "the Keycloak distribution "
                            + distZip
                            + " is missing. './drydock up' fetches it through Maven; run it again, or point DRYDOCK_OIDC_URL at an existing Keycloak.");
        }
        Path staging = installDir.resolveSibling(installDir.getFileName() + ".partial");
        try {
            deleteTree(staging);
            deleteTree(installDir);
            Files.createDirectories(staging);
            try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(distZip))) {
                for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                    String name = entry.getName();
                    int slash = name.indexOf('/');
                    String relative = slash < 0 ? "" : name.substring(slash + 1);
                    if (relative.isEmpty()) {
                        continue;
                    }
                    Path target = staging.resolve(relative).normalize();
                    if (!target.startsWith(staging)) {
                        throw new ApplianceException(
                                "keycloak", "refusing zip entry outside the install folder: " + name);
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(zip, target, StandardCopyOption.REPLACE_EXISTING);
                        if (relative.startsWith("bin/") && relative.endsWith(".sh")) {
                            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                        }
                    }
                }
            }
            Files.writeString(
                    staging.resolve(INSTALLED_MARKER), distZip.getFileName().toString());
            Files.move(staging, installDir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ApplianceException(
                    "keycloak", "could not unpack " + distZip + " into " + installDir + ": " + e.getMessage(), e);
        }
    }

    private static void writeRealmImport(Setup setup) {
        Path importDir = setup.installDir().resolve("data/import");
        try {
            Files.createDirectories(importDir);
            Path file = importDir.resolve("drydock-realm.json");
            if (setup.realmJson().isEmpty()) {
                Files.deleteIfExists(file);
            } else {
                Files.writeString(file, setup.realmJson(), StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the realm import file once Keycloak has imported it (it holds initial passwords). */
    public static void forgetRealmImport(Path installDir) {
        try {
            Files.deleteIfExists(installDir.resolve("data/import/drydock-realm.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String tail(Path file, int lines) {
        try (InputStream in = Files.newInputStream(file)) {
            List<String> all = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
