package dev.drydock.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * A real private npm registry for tests: Verdaccio 6.8.0, installed once with npm into {@code
 * ~/.cache/drydock/verdaccio-6.8.0} (outside the repository), started on a free loopback port with
 * an htpasswd user and every package readable only when authenticated, no uplinks.
 */
public final class Verdaccio implements AutoCloseable {
    static final String VERSION = "6.8.0";
    static final String USER = "ci";
    public static final String PASSWORD = "ci-pass-7f3a9d";

    private final Process process;
    private final int port;
    private final Path dir;

    private Verdaccio(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    public static Verdaccio start(Path dir) throws Exception {
        Path install = Path.of(System.getProperty("user.home"), ".cache", "drydock", "verdaccio-" + VERSION);
        Path bin = install.resolve("node_modules/.bin/verdaccio");
        if (!Files.isExecutable(bin)) {
            Files.createDirectories(install);
            Process npm = new ProcessBuilder(
                            "npm",
                            "install",
                            "--no-audit",
                            "--no-fund",
                            "--prefix",
                            install.toString(),
                            "verdaccio@" + VERSION)
                    .redirectErrorStream(true)
                    .redirectOutput(install.resolve("install.log").toFile())
                    .start();
            if (npm.waitFor() != 0) {
                throw new IllegalStateException("npm install verdaccio@" + VERSION + " failed: "
                        + Files.readString(install.resolve("install.log")));
            }
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        byte[] sha = MessageDigest.getInstance("SHA-1").digest(PASSWORD.getBytes(StandardCharsets.UTF_8));
        Files.writeString(
                dir.resolve("htpasswd"),
                USER + ":{SHA}" + Base64.getEncoder().encodeToString(sha) + ":autocreated 2026-01-01\n");
        Files.writeString(dir.resolve("config.yaml"), """
                storage: %1$s/storage
                auth:
                  htpasswd:
                    file: %1$s/htpasswd
                    max_users: -1
                uplinks: {}
                packages:
                  '**':
                    access: $authenticated
                    publish: $authenticated
                log: { type: stdout, format: pretty, level: warn }
                """.formatted(dir));
        Process p = new ProcessBuilder(
                        bin.toString(),
                        "--config",
                        dir.resolve("config.yaml").toString(),
                        "--listen",
                        "127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("verdaccio.log").toFile())
                .start();
        Verdaccio v = new Verdaccio(p, port, dir);
        HttpClient http = HttpClient.newHttpClient();
        awaitUp(
                "verdaccio on port " + port + " (log: " + dir.resolve("verdaccio.log") + ")",
                Duration.ofSeconds(60),
                () -> {
                    try {
                        return http.send(
                                                HttpRequest.newBuilder(URI.create(v.url() + "-/ping"))
                                                        .build(),
                                                HttpResponse.BodyHandlers.discarding())
                                        .statusCode()
                                == 200;
                    } catch (IOException | InterruptedException e) {
                        return false;
                    }
                });
        return v;
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/";
    }

    public int port() {
        return port;
    }

    public String credential() {
        return USER + ":" + PASSWORD;
    }

    /** Publishes a package folder with npm on the host, authenticated. */
    public void publish(Path pkg) throws Exception {
        Path npmrc = dir.resolve("publish.npmrc");
        Files.writeString(
                npmrc,
                "registry=" + url() + "\n//127.0.0.1:" + port + "/:_auth="
                        + Base64.getEncoder().encodeToString(credential().getBytes(StandardCharsets.UTF_8)) + "\n");
        Process p = new ProcessBuilder(List.of(
                        "npm",
                        "publish",
                        "--userconfig",
                        npmrc.toString(),
                        "--cache",
                        dir.resolve("npm-cache").toString()))
                .directory(pkg.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("npm publish failed: " + out);
        }
    }

    /** Returns as soon as {@code up} holds; fails naming {@code what} after {@code within}. */
    private static void awaitUp(String what, Duration within, java.util.function.BooleanSupplier up) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!up.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + within + " waiting for " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(
                    Duration.ofMillis(20).toNanos());
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
