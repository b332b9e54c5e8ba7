package dev.drydock.bundle.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.installer.helm.RenderedChart;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * Checks built images without a cluster or a container engine: reads each OCI layout with {@code skopeo
 * inspect} (which nobody here wrote) and its SBOM, and starts the evaluation install's images as the chart runs
 * them. An image is unpacked with {@code umoci unpack --rootless} and its container started in {@code bwrap}: the
 * image's user, a read-only root, the rendered chart's command, arguments, environment (secrets generated) and
 * volume mounts (a fresh writable folder per volume, ConfigMaps as read-only files). Both containers use the
 * machine's loopback with free ports instead of the pod network, so PostgreSQL gets {@code PGPORT} and Keycloak
 * its database URL, HTTP and management ports rewritten; nothing else differs from the chart.
 */
public final class ImageCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Lines of Keycloak's log that mark its start phases. */
    private static final List<String> PHASES = List.of(
            "Initializing database schema", "Importing from directory", "Realm 'drydock' imported", "started in");

    private final Path work;
    private final PrintWriter out;
    private final List<Process> started = new ArrayList<>();

    /** @param work scratch folder (unpacked images, volumes, logs), removed by {@link #close()} */
    public ImageCheck(Path work, PrintWriter out) {
        this.work = work;
        this.out = out;
    }

    /** What {@code skopeo inspect} says of a layout, and its SBOM. */
    public record Inspected(
            String repository,
            String digest,
            String user,
            List<String> entrypoint,
            int layers,
            int sbomComponents,
            boolean sbomNamesDigest) {}

    /**
     * {@code skopeo inspect} of the layout; fails when skopeo's digest is not the one the layout's index names.
     *
     * @param sbom the image's CycloneDX SBOM, or null when there is none
     */
    public static Inspected inspect(String repository, Path layout, @Nullable Path sbom)
            throws IOException, InterruptedException {
        JsonNode inspect = skopeo("inspect", "oci:" + layout);
        JsonNode config = skopeo("inspect", "--config", "oci:" + layout).path("config");
        String own = JSON.readTree(layout.resolve("index.json").toFile())
                .path("manifests")
                .path(0)
                .path("digest")
                .asText();
        String digest = inspect.path("Digest").asText();
        if (!digest.equals(own)) {
            throw new IOException(
                    repository + ": skopeo reads digest " + digest + " but the layout's index names " + own);
        }
        int components = -1;
        boolean names = false;
        if (sbom != null && Files.isRegularFile(sbom)) {
            JsonNode bom = JSON.readTree(sbom.toFile());
            components = bom.path("components").size();
            names = StreamSupport.stream(
                            bom.path("metadata")
                                    .path("component")
                                    .path("hashes")
                                    .spliterator(),
                            false)
                    .anyMatch(h -> digest.equals("sha256:" + h.path("content").asText()));
        }
        return new Inspected(
                repository,
                digest,
                config.path("User").asText(),
                strings(config.path("Entrypoint")),
                inspect.path("Layers").size(),
                components,
                names);
    }

    /** A started container and how to reach it. */
    private record Container(Process process, Path log, Path rootfs, Map<String, String> env, String user) {}

    /** What starting the evaluation images showed. */
    public record EvaluationResult(
            double unpackSeconds,
            double postgresSeconds,
            double keycloakSeconds,
            String issuer,
            String tokenClient,
            int wrongSecretStatus) {}

    /**
     * Starts {@code drydock/postgres} and then {@code drydock/keycloak} against it as the rendered evaluation chart
     * runs them; waits for PostgreSQL to accept password logins of both users, for Keycloak's {@code /health/ready},
     * then asks Keycloak for a token of the realm's {@code drydock-server} client (client credentials, the secret
     * the chart passes) and checks that a wrong secret is refused.
     */
    public EvaluationResult startEvaluation(
            Path postgresLayout, Path keycloakLayout, RenderedChart chart, Duration limit)
            throws IOException, InterruptedException {
        Map<String, Object> pgSet = only(chart, "StatefulSet", "-postgres");
        Map<String, Object> kcDeployment = only(chart, "Deployment", "-keycloak");
        long t0 = System.nanoTime();
        Path pgRoot = unpack(postgresLayout, "postgres");
        Path kcRoot = unpack(keycloakLayout, "keycloak");
        double unpack = seconds(t0);
        out.printf("unpacked both images with umoci in %.1f s%n", unpack);

        Map<String, String> secrets = new LinkedHashMap<>();
        int pgPort = freePort();
        long t1 = System.nanoTime();
        Container pg = start("postgres", pgRoot, postgresLayout, pgSet, chart, secrets, Map.of("PGPORT", "" + pgPort));
        String psql = "exec \"$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/psql\" -h 127.0.0.1 -p " + pgPort
                + " -tAc 'select current_user'";
        String drydockLogin = awaitCommand(
                pg,
                List.of("PGUSER=drydock", "PGDATABASE=drydock", "PGPASSWORD=" + pg.env.get("DRYDOCK_DB_PASSWORD")),
                psql,
                limit);
        String keycloakLogin = awaitCommand(
                pg,
                List.of("PGUSER=keycloak", "PGDATABASE=keycloak", "PGPASSWORD=" + pg.env.get("KEYCLOAK_DB_PASSWORD")),
                psql,
                limit);
        double pgSeconds = seconds(t1);
        if (!drydockLogin.strip().equals("drydock") || !keycloakLogin.strip().equals("keycloak")) {
            throw new IOException("drydock/postgres: unexpected logins: " + drydockLogin + " / " + keycloakLogin);
        }
        out.printf(
                "drydock/postgres: initdb and start as %s on a read-only root, users drydock and keycloak log in with"
                        + " their passwords over TCP after %.1f s%n",
                pg.user, pgSeconds);

        int http = freePort();
        int management = freePort();
        long t2 = System.nanoTime();
        Container kc = start(
                "keycloak",
                kcRoot,
                keycloakLayout,
                kcDeployment,
                chart,
                secrets,
                Map.of(
                        "KC_DB_URL", "jdbc:postgresql://127.0.0.1:" + pgPort + "/keycloak",
                        "KC_HTTP_PORT", "" + http,
                        "KC_HTTP_MANAGEMENT_PORT", "" + management));
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        awaitReady(kc, client, URI.create("http://127.0.0.1:" + management + "/health/ready"), limit);
        double kcSeconds = seconds(t2);
        out.printf("drydock/keycloak: /health/ready after %.1f s as %s on a read-only root%n", kcSeconds, kc.user);
        // Keycloak's own account of its start: when each phase began (the log's timestamps), its start time.
        for (String line : Files.readAllLines(kc.log, StandardCharsets.UTF_8)) {
            if (PHASES.stream().anyMatch(line::contains)) {
                out.println("  keycloak log: " + line.strip());
            }
        }

        URI token = URI.create("http://127.0.0.1:" + http + "/realms/drydock/protocol/openid-connect/token");
        String secret = Objects.requireNonNull(kc.env.get("DRYDOCK_SERVER_SECRET"), "the chart passes the secret");
        HttpResponse<String> ok = client.send(tokenRequest(token, secret), HttpResponse.BodyHandlers.ofString());
        if (ok.statusCode() != 200) {
            throw new IOException("drydock/keycloak: no token for drydock-server: HTTP " + ok.statusCode() + " "
                    + ok.body() + "\n" + tail(kc.log));
        }
        String accessToken = JSON.readTree(ok.body()).path("access_token").asText();
        JsonNode claims =
                JSON.readTree(Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]));
        HttpResponse<String> wrong =
                client.send(tokenRequest(token, secret + "x"), HttpResponse.BodyHandlers.ofString());
        out.printf(
                "drydock/keycloak: realm drydock issued a token to %s (issuer %s); a wrong client secret gets HTTP %d%n",
                claims.path("azp").asText(), claims.path("iss").asText(), wrong.statusCode());
        return new EvaluationResult(
                unpack,
                pgSeconds,
                kcSeconds,
                claims.path("iss").asText(),
                claims.path("azp").asText(),
                wrong.statusCode());
    }

    /** Stops what was started (bwrap takes the container's processes with it) and removes the scratch folder. */
    public void close() throws IOException, InterruptedException {
        for (Process p : started.reversed()) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        ImageBuilder.deleteTree(work);
    }

    private Path unpack(Path layout, String name) throws IOException, InterruptedException {
        Path bundle = work.resolve(name);
        ImageBuilder.deleteTree(bundle);
        Files.createDirectories(work);
        String tag = JSON.readTree(layout.resolve("index.json").toFile())
                .path("manifests")
                .path(0)
                .path("annotations")
                .path("org.opencontainers.image.ref.name")
                .asText();
        ImageBuilder.run(List.of("umoci", "unpack", "--rootless", "--image", layout + ":" + tag, bundle.toString()));
        return bundle.resolve("rootfs");
    }

    /** Starts the first container of a pod template in bwrap, as the chart describes it. */
    private Container start(
            String name,
            Path rootfs,
            Path layout,
            Map<String, Object> workload,
            RenderedChart chart,
            Map<String, String> secrets,
            Map<String, String> overrides)
            throws IOException, InterruptedException {
        Map<String, Object> pod = Objects.requireNonNull(
                RenderedChart.map(RenderedChart.map(RenderedChart.map(workload, "spec"), "template"), "spec"),
                "a pod template");
        Map<String, Object> container =
                RenderedChart.maps(pod.get("containers")).getFirst();
        JsonNode config = skopeo("inspect", "--config", "oci:" + layout).path("config");
        String[] user = config.path("User").asText("0:0").split(":");
        Map<String, String> env = new LinkedHashMap<>();
        for (String e : strings(config.path("Env"))) {
            env.put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
        }
        for (Map<String, Object> e : RenderedChart.maps(container.get("env"))) {
            Map<String, Object> ref = RenderedChart.map(RenderedChart.map(e, "valueFrom"), "secretKeyRef");
            env.put(
                    String.valueOf(e.get("name")),
                    ref == null
                            ? String.valueOf(e.get("value"))
                            : secrets.computeIfAbsent(String.valueOf(ref.get("key")), k -> randomSecret()));
        }
        env.putAll(overrides);
        List<String> command = new ArrayList<>(List.of(
                "bwrap",
                "--unshare-user",
                "--unshare-pid",
                "--unshare-ipc",
                "--die-with-parent",
                "--uid",
                user[0],
                "--gid",
                user.length > 1 ? user[1] : user[0],
                "--ro-bind",
                rootfs.toString(),
                "/",
                "--proc",
                "/proc",
                "--dev",
                "/dev"));
        Map<String, Map<String, Object>> volumes = new LinkedHashMap<>();
        RenderedChart.maps(pod.get("volumes")).forEach(v -> volumes.put(String.valueOf(v.get("name")), v));
        for (Map<String, Object> mount : RenderedChart.maps(container.get("volumeMounts"))) {
            String volume = String.valueOf(mount.get("name"));
            Path dir = Files.createDirectories(work.resolve(name + "-volumes").resolve(volume));
            Map<String, Object> configMap = RenderedChart.map(volumes.get(volume), "configMap");
            boolean readOnly = Boolean.TRUE.equals(mount.get("readOnly")) || configMap != null;
            if (configMap != null) {
                Map<String, Object> data = Objects.requireNonNull(
                        RenderedChart.map(only(chart, "ConfigMap", String.valueOf(configMap.get("name"))), "data"),
                        "ConfigMap data");
                for (Map.Entry<String, Object> f : data.entrySet()) {
                    Files.writeString(dir.resolve(f.getKey()), String.valueOf(f.getValue()));
                }
            }
            command.addAll(
                    List.of(readOnly ? "--ro-bind" : "--bind", dir.toString(), String.valueOf(mount.get("mountPath"))));
        }
        Object workingDir = container.get("workingDir");
        command.addAll(List.of(
                "--chdir",
                workingDir != null
                        ? String.valueOf(workingDir)
                        : config.path("WorkingDir").asText("/")));
        command.add("--");
        List<String> entrypoint = container.get("command") instanceof List<?> c
                ? c.stream().map(String::valueOf).toList()
                : strings(config.path("Entrypoint"));
        List<String> args = container.get("args") instanceof List<?> a
                ? a.stream().map(String::valueOf).toList()
                : strings(config.path("Cmd"));
        command.addAll(entrypoint);
        command.addAll(args);
        Path log = work.resolve(name + ".log");
        // The container's environment is bwrap's own: passwords stay off every command line.
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(env);
        Process p = builder.redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        started.add(p);
        return new Container(p, log, rootfs, env, String.join(":", user));
    }

    /** Runs {@code script} with the container's image and user until it succeeds, and returns its output. */
    private String awaitCommand(Container c, List<String> env, String script, Duration limit)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        String[] user = c.user.split(":");
        String last = "";
        while (System.nanoTime() < deadline) {
            if (!c.process.isAlive()) {
                throw new IOException("the container exited " + c.process.exitValue() + ":\n" + tail(c.log));
            }
            List<String> command = new ArrayList<>(List.of(
                    "bwrap",
                    "--unshare-user",
                    "--unshare-pid",
                    "--die-with-parent",
                    "--uid",
                    user[0],
                    "--gid",
                    user[1],
                    "--ro-bind",
                    c.rootfs.toString(),
                    "/",
                    "--proc",
                    "/proc",
                    "--dev",
                    "/dev",
                    "--tmpfs",
                    "/tmp",
                    "--",
                    "/bin/bash",
                    "-c",
                    script));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().put("PATH", "/usr/bin:/bin");
            for (String e : env) {
                builder.environment().put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
            }
            Process p = builder.start();
            last = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() == 0) {
                return last;
            }
            c.process.waitFor(500, TimeUnit.MILLISECONDS); // not up yet: wait a little, or for its exit
        }
        throw new IOException("no success within " + limit.toSeconds() + " s: " + last.strip() + "\n" + tail(c.log));
    }

    private static void awaitReady(Container c, HttpClient client, URI ready, Duration limit)
            throws IOException, InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(3)).build();
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!c.process.isAlive()) {
                throw new IOException("the container exited " + c.process.exitValue() + ":\n" + tail(c.log));
            }
            try {
                if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting: its port is not open yet
            }
            c.process.waitFor(1, TimeUnit.SECONDS);
        }
        throw new IOException("not ready within " + limit.toSeconds() + " s:\n" + tail(c.log));
    }

    private static HttpRequest tokenRequest(URI token, String secret) {
        String form = "grant_type=client_credentials&client_id=drydock-server&client_secret="
                + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return HttpRequest.newBuilder(token)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
    }

    private static Map<String, Object> only(RenderedChart chart, String kind, String nameSuffix) throws IOException {
        List<Map<String, Object>> found = chart.ofKind(kind).stream()
                .filter(o -> RenderedChart.name(o).endsWith(nameSuffix))
                .toList();
        if (found.size() != 1) {
            throw new IOException("the rendered chart has " + found.size() + " " + kind + " named *" + nameSuffix
                    + " (render it with evaluation.enabled=true)");
        }
        return found.getFirst();
    }

    private static String randomSecret() {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            s.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    private static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    static JsonNode skopeo(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("skopeo"));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new IOException("cannot run skopeo (Debian: apt-get install skopeo): " + e.getMessage(), e);
        }
        byte[] stdout = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("skopeo " + String.join(" ", args) + " failed: " + err.strip());
        }
        return JSON.readTree(stdout);
    }

    static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false)
                .map(JsonNode::asText)
                .toList();
    }
}
