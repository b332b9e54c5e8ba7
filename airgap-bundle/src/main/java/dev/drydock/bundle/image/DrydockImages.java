package dev.drydock.bundle.image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The images of the chart, as recipes: where each file goes and how the container starts. The
 * contract with the chart (docs/install.md): numeric non-root user 10001, everything written goes to
 * mounted volumes ({@code /tmp}, {@code /var/lib/drydock}, {@code /workspace}), so the root filesystem can be
 * read-only.
 */
public final class DrydockImages {
    /** Repository of the server image, as the chart names it. */
    public static final String SERVER = "drydock/server";
    /** Repository of the sandbox image. */
    public static final String SANDBOX = "drydock/sandbox";
    /** Repository of the evaluation install's PostgreSQL image (chart value evaluation.postgres.image). */
    public static final String POSTGRES = "drydock/postgres";
    /** Repository of the evaluation install's Keycloak image (chart value evaluation.keycloak.image). */
    public static final String KEYCLOAK = "drydock/keycloak";
    /** Keycloak's home in the Keycloak image. */
    public static final String KEYCLOAK_HOME = "/opt/keycloak";
    /** Commands kc.sh runs besides bash, which the Keycloak image's base must have (Debian: all Essential). */
    public static final List<String> KEYCLOAK_BASE_COMMANDS =
            List.of("uname", "readlink", "dirname", "sed", "grep", "xargs", "printf");
    /** Where the chart mounts PostgreSQL's start script (templates/evaluation.yaml). */
    public static final String POSTGRES_SCRIPT = "/etc/drydock-postgres/start.sh";
    /** Debian packages the PostgreSQL image's base must carry ({@code debian-base.sh --include …}). */
    public static final List<String> POSTGRES_PACKAGES = List.of("postgresql", "libnss-wrapper");
    /** The user every image runs as. */
    public static final String USER = "10001:10001";
    /** Java runtime of the server image. */
    public static final String SERVER_JAVA_HOME = "/opt/java/jre";
    /** The Quarkus application folder (quarkus-app) in the server image. */
    public static final String SERVER_APP = "/opt/drydock/app";
    /** JDK of the sandbox image (runs the tool runner and the droids' builds). */
    public static final String SANDBOX_JAVA_HOME = "/opt/java/jdk";
    /** Maven of the sandbox image. */
    public static final String SANDBOX_MAVEN_HOME = "/opt/maven";
    /** The tool runner's class path entry in the sandbox image. */
    public static final String RUNNER_DIR = "/opt/drydock/runner";
    /** JDK modules of the server's runtime (jlink). */
    public static final List<String> SERVER_MODULES = List.of(
            "java.se",
            "jdk.unsupported",
            "jdk.incubator.vector",
            "jdk.crypto.cryptoki",
            "jdk.zipfs",
            "jdk.naming.dns",
            "jdk.management",
            "jdk.jfr",
            "jdk.net",
            "jdk.httpserver",
            "jdk.localedata",
            "jdk.charsets",
            "jdk.security.auth",
            "jdk.security.jgss");

    private static final String PATH_TAIL = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private DrydockImages() {}

    /**
     * The server: a Java runtime, the Quarkus application ({@code server/target/quarkus-app}) in three layers
     * (libraries, Quarkus' generated code, the application), and the empty folders the chart mounts.
     */
    public static ImageRecipe server(String version, BaseImage base, Path jre, Path quarkusApp) {
        List<ImageRecipe.Layer> layers = new ArrayList<>();
        layers.add(new ImageRecipe.Layer("java-runtime", Map.of(jre, SERVER_JAVA_HOME), List.of()));
        layers.add(
                new ImageRecipe.Layer("libraries", Map.of(quarkusApp.resolve("lib"), SERVER_APP + "/lib"), List.of()));
        Map<Path, String> app = new LinkedHashMap<>();
        for (String part : List.of("quarkus", "app", "quarkus-run.jar")) {
            if (Files.exists(quarkusApp.resolve(part))) {
                app.put(quarkusApp.resolve(part), SERVER_APP + "/" + part);
            }
        }
        layers.add(new ImageRecipe.Layer("application", app, List.of("/etc/drydock", "/var/lib/drydock")));
        List<String> entrypoint = List.of(
                SERVER_JAVA_HOME + "/bin/java",
                "--add-modules",
                "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED",
                "-jar",
                SERVER_APP + "/quarkus-run.jar");
        Map<String, String> env = Map.of(
                "JAVA_HOME",
                SERVER_JAVA_HOME,
                "HOME",
                "/tmp",
                "LANG",
                "C.UTF-8",
                "PATH",
                SERVER_JAVA_HOME + "/bin:" + PATH_TAIL);
        return new ImageRecipe(
                SERVER,
                version,
                base,
                layers,
                entrypoint,
                USER,
                env,
                "/etc/drydock",
                List.of(8080),
                labels("Drydock server", version));
    }

    /**
     * The sandbox: the base's userland (git, bash, coreutils, Python, Node from Debian packages), a JDK,
     * Maven, the in-pod tool runner, and optionally a site layer (mirror settings, CA files, extra
     * toolchains) copied onto {@code /}.
     *
     * @param runner the sandbox-manager jar (or its classes folder)
     * @param siteLayer a folder whose tree is copied onto {@code /} as the top layer
     */
    public static ImageRecipe sandbox(
            String version, BaseImage base, Path jdk, Optional<Path> maven, Path runner, Optional<Path> siteLayer) {
        List<ImageRecipe.Layer> layers = new ArrayList<>();
        layers.add(new ImageRecipe.Layer("jdk", Map.of(jdk, SANDBOX_JAVA_HOME), List.of()));
        maven.ifPresent(m -> layers.add(new ImageRecipe.Layer("maven", Map.of(m, SANDBOX_MAVEN_HOME), List.of())));
        boolean jar = runner.getFileName().toString().endsWith(".jar");
        String classPath = jar ? RUNNER_DIR + "/sandbox-manager.jar" : RUNNER_DIR + "/classes";
        layers.add(new ImageRecipe.Layer("tool-runner", Map.of(runner, classPath), List.of("/workspace")));
        siteLayer.ifPresent(s -> layers.add(new ImageRecipe.Layer("site", Map.of(s, "/"), List.of())));
        // The runner is small: a bounded heap leaves the sandbox's memory to the builds it runs.
        List<String> entrypoint = List.of(
                SANDBOX_JAVA_HOME + "/bin/java",
                "-Xmx128m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                classPath,
                "dev.drydock.sandbox.runner.ToolRunner");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("JAVA_HOME", SANDBOX_JAVA_HOME);
        env.put(
                "PATH",
                SANDBOX_JAVA_HOME + "/bin" + (maven.isPresent() ? ":" + SANDBOX_MAVEN_HOME + "/bin" : "") + ":"
                        + PATH_TAIL);
        maven.ifPresent(m -> env.put("MAVEN_HOME", SANDBOX_MAVEN_HOME));
        env.put("HOME", "/tmp");
        env.put("LANG", "C.UTF-8");
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        return new ImageRecipe(
                SANDBOX,
                version,
                base,
                layers,
                entrypoint,
                USER,
                env,
                "/workspace",
                List.of(7070),
                labels("Drydock sandbox", version));
    }

    /**
     * The evaluation install's PostgreSQL: a base carrying Debian's PostgreSQL server packages
     * ({@link #POSTGRES_PACKAGES}), plus the folders the chart mounts its data volume, socket folder and start
     * script on. The start script (initdb on first start, then {@code postgres}) comes from the chart, so it
     * changes with the chart, not with the image.
     */
    public static ImageRecipe postgres(String version, BaseImage base) {
        List<ImageRecipe.Layer> layers = List.of(new ImageRecipe.Layer(
                "postgres-folders",
                Map.of(),
                List.of("/var/lib/postgresql/data", "/var/run/postgresql", "/etc/drydock-postgres")));
        Map<String, String> env = Map.of(
                "HOME", "/tmp", "LANG", "C.UTF-8", "PGDATA", "/var/lib/postgresql/data/pgdata", "PATH", PATH_TAIL);
        return new ImageRecipe(
                POSTGRES,
                version,
                base,
                layers,
                List.of("/bin/bash", POSTGRES_SCRIPT),
                USER,
                env,
                "/tmp",
                List.of(5432),
                labels("Drydock evaluation PostgreSQL", version));
    }

    /**
     * The evaluation install's Keycloak: a Java runtime and a Keycloak home prepared by
     * {@link KeycloakDist#prepare} (the Maven distribution, built for PostgreSQL with health checks, so the
     * chart starts it with {@code start --optimized} on a read-only root, and the drydock realm in
     * {@code data/import}). Keycloak writes only {@code data/tmp}, {@code data/transaction-logs} and {@code /tmp},
     * which the chart mounts.
     */
    public static ImageRecipe keycloak(String version, BaseImage base, Path jre, Path keycloakHome) {
        List<ImageRecipe.Layer> layers = List.of(
                new ImageRecipe.Layer("java-runtime", Map.of(jre, SERVER_JAVA_HOME), List.of()),
                new ImageRecipe.Layer(
                        "keycloak",
                        Map.of(keycloakHome, KEYCLOAK_HOME),
                        List.of(KEYCLOAK_HOME + "/data/tmp", KEYCLOAK_HOME + "/data/transaction-logs")));
        Map<String, String> env = Map.of(
                "JAVA_HOME",
                SERVER_JAVA_HOME,
                "HOME",
                "/tmp",
                "LANG",
                "C.UTF-8",
                "PATH",
                SERVER_JAVA_HOME + "/bin:" + KEYCLOAK_HOME + "/bin:" + PATH_TAIL);
        return new ImageRecipe(
                KEYCLOAK,
                version,
                base,
                layers,
                keycloakEntrypoint(),
                USER,
                env,
                KEYCLOAK_HOME,
                List.of(8080, 9000),
                labels("Drydock evaluation Keycloak", version));
    }

    /**
     * Runs {@code kc.sh} with bash (it also works on a base without {@code /bin/sh}), after checking that the base
     * has the commands kc.sh calls. Without {@code sed} and {@code xargs}, kc.sh silently drops every argument
     * and JVM option (it quotes them with sed and splits them with xargs), so Keycloak prints its usage and exits
     * instead of starting: a base lacking one fails here naming it. The chart's {@code args} follow as {@code $@}.
     */
    static List<String> keycloakEntrypoint() {
        return List.of(
                "/bin/bash",
                "-c",
                "for t in " + String.join(" ", KEYCLOAK_BASE_COMMANDS) + "; do command -v \"$t\" > /dev/null || {"
                        + " echo \"drydock/keycloak: the image lacks $t, which kc.sh needs: build it on a base with"
                        + " coreutils, sed, grep and findutils (debian-base.sh)\" >&2; exit 127; }; done;"
                        + " exec /bin/bash " + KEYCLOAK_HOME + "/bin/kc.sh \"$@\"",
                "kc.sh");
    }

    private static Map<String, String> labels(String title, String version) {
        return Map.of(
                "org.opencontainers.image.title",
                title,
                "org.opencontainers.image.version",
                version,
                "org.opencontainers.image.vendor",
                "Drydock");
    }
}
