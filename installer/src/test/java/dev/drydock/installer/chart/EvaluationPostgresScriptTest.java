package dev.drydock.installer.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.installer.helm.RenderedChart;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation install's PostgreSQL start script, as the chart renders it, run for real: Debian's
 * PostgreSQL of this machine in bwrap, as uid 10001 on a read-only root with the chart's writable mounts
 * (data volume, socket folder, /tmp), in its own network namespace.
 */
class EvaluationPostgresScriptTest {
    @TempDir
    Path dir;

    @Test
    void shouldCreateBothDatabasesWithPasswordLoginWhenPostgresStartsOnAnEmptyVolume() throws Exception {
        // Given
        Path bin = postgresBin();
        RenderedChart chart = Charts.render("evaluation");
        Map<String, Object> configMap = chart.ofKind("ConfigMap").stream()
                .filter(o -> RenderedChart.name(o).equals("dd-drydock-postgres"))
                .findFirst()
                .orElseThrow();
        Path scripts = Files.createDirectories(dir.resolve("scripts"));
        Files.writeString(
                scripts.resolve("start.sh"),
                String.valueOf(Objects.requireNonNull(RenderedChart.map(configMap, "data"))
                        .get("start.sh")));
        Files.writeString(
                scripts.resolve("check.sh"),
                String.join(
                        "\n",
                        "bash /tmp/scripts/start.sh > /tmp/postgres.log 2>&1 &",
                        "for i in $(seq 1 120); do " + bin
                                + "/pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done",
                        "PGPASSWORD=drydock-pw " + bin
                                + "/psql -h 127.0.0.1 -U drydock -d drydock -tAc 'select current_user, current_database()'",
                        "PGPASSWORD=keycloak-pw " + bin
                                + "/psql -h 127.0.0.1 -U keycloak -d keycloak -tAc 'select current_user, current_database()'",
                        "PGPASSWORD=wrong " + bin + "/psql -h 127.0.0.1 -U drydock -d drydock -tAc 'select 1' 2>&1",
                        "cat /tmp/postgres.log",
                        ""));
        Path data = Files.createDirectories(dir.resolve("data"));
        Path run = Files.createDirectories(dir.resolve("run"));
        // The Debian base gives uid 10001 a passwd entry (debian-base.sh); so does this copy of the machine's.
        Path passwd = Files.writeString(
                dir.resolve("passwd"),
                Files.readString(Path.of("/etc/passwd")) + "drydock:x:10001:10001:drydock:/tmp:/bin/false\n");
        List<String> command = List.of(
                "bwrap",
                "--unshare-user",
                "--uid",
                "10001",
                "--gid",
                "10001",
                "--unshare-net",
                "--unshare-pid",
                "--unshare-ipc",
                "--die-with-parent",
                "--ro-bind",
                "/",
                "/",
                "--ro-bind",
                passwd.toString(),
                "/etc/passwd",
                "--dev",
                "/dev",
                "--proc",
                "/proc",
                "--tmpfs",
                "/tmp",
                "--tmpfs",
                "/var/lib/postgresql",
                "--bind",
                data.toString(),
                "/var/lib/postgresql/data",
                "--tmpfs",
                "/run",
                "--bind",
                run.toString(),
                "/run/postgresql",
                "--ro-bind",
                scripts.toString(),
                "/tmp/scripts",
                "--setenv",
                "PGDATA",
                "/var/lib/postgresql/data/pgdata",
                "--setenv",
                "POSTGRES_PASSWORD",
                "superuser-pw",
                "--setenv",
                "DRYDOCK_DB_PASSWORD",
                "drydock-pw",
                "--setenv",
                "KEYCLOAK_DB_PASSWORD",
                "keycloak-pw",
                "bash",
                "/tmp/scripts/check.sh");

        // When
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean exited = p.waitFor(120, TimeUnit.SECONDS);

        // Then
        assertThat(exited).isTrue();
        assertThat(output)
                .contains("drydock|drydock")
                .contains("keycloak|keycloak")
                .contains("password authentication failed for user \"drydock\"");
        assertThat(data.resolve("pgdata/PG_VERSION")).isRegularFile();
    }

    private static Path postgresBin() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException(
                    "this test runs the image's PostgreSQL as Debian packages it: apt-get install postgresql (/usr/lib/postgresql)");
        }
        try (var versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(java.util.Comparator.comparing(
                            b -> Integer.parseInt(b.getParent().getFileName().toString())))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL with initdb under " + root));
        }
    }
}
