package dev.drydock.server.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A home whose last {@code ./drydock up} died (kill -9, out of memory) starts again. */
class LeftoversTest {
    private static final Duration GRACE = Duration.ofSeconds(20);

    @TempDir
    Path home;

    @Test
    void shouldStopOrphanedPostgresAndStartAgainWhenAnEarlierRunDied() throws Exception {
        // Given: a JVM that started PostgreSQL is killed with SIGKILL, as by kill -9 or the OOM killer
        Path data = home.resolve("postgres");
        Process server = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        DyingServer.class.getName(),
                        data.toString())
                .redirectErrorStream(true)
                .start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals(DyingServer.READY)) {
                // start-up output
            }
            assertThat(line).as("the child JVM's database started").isEqualTo(DyingServer.READY);
        }
        server.destroyForcibly().waitFor();
        ProcessHandle postmaster = Leftovers.postmaster(data).orElseThrow();

        // When
        List<String> stopped = Leftovers.stop(data, home.resolve("keycloak"), GRACE);

        // Then
        assertThat(stopped).containsExactly("postgresql (pid " + postmaster.pid() + ")");
        assertThat(postmaster.isAlive()).isFalse();
        try (EmbeddedDatabase again = EmbeddedDatabase.start(data, 0, credentials(home))) {
            assertThat(again.port()).isPositive();
        }
    }

    static EmbeddedDatabase.Credentials credentials(Path home) {
        return EmbeddedDatabase.Credentials.from(Secrets.load(home.resolve("secrets.properties")));
    }

    /** A server that starts its database and then dies without stopping it. */
    public static final class DyingServer {
        static final String READY = "database ready";

        public static void main(String[] args) throws InterruptedException {
            EmbeddedDatabase.start(
                    Path.of(args[0]), 0, credentials(Path.of(args[0]).getParent()));
            System.out.println(READY);
            System.out.flush();
            Thread.currentThread().join();
        }
    }

    @Test
    void shouldStopProcessesRunFromTheHomesKeycloakWhenAnEarlierRunDied() throws IOException {
        // Given: a process tree whose command line names the home's Keycloak folder, as kc.sh's JVM does
        Path install = Files.createDirectories(home.resolve("keycloak/bin"));
        Process keycloak = new ProcessBuilder("/bin/sh", "-c", "sleep 600; echo " + install + "/kc.sh").start();

        // When
        List<String> stopped = Leftovers.stop(home.resolve("postgres"), home.resolve("keycloak"), GRACE);

        // Then
        assertThat(stopped).containsExactly("keycloak (pid " + keycloak.pid() + ")");
        assertThat(keycloak.isAlive()).isFalse();
    }

    @Test
    void shouldLeaveOtherProgramsAloneWhenPidFileIsStale() throws IOException {
        // Given: the pid in a stale postmaster.pid now belongs to another program
        Process other = new ProcessBuilder("sleep", "600").start();
        Path data = Files.createDirectories(home.resolve("postgres"));
        Files.writeString(data.resolve("postmaster.pid"), other.pid() + "\n" + data + "\n");
        try {
            // When
            List<String> stopped = Leftovers.stop(data, home.resolve("keycloak"), GRACE);

            // Then
            assertThat(stopped).isEmpty();
            assertThat(other.isAlive()).isTrue();
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void shouldStartPostgresAgainWhenItsPidFileNamesAnotherLiveProgram() throws Exception {
        // Given: a home whose PostgreSQL died, and whose postmaster.pid names a pid the kernel gave to another program
        Path data = home.resolve("postgres");
        EmbeddedDatabase.start(data, 0, credentials(home)).close();
        Process other = new ProcessBuilder("sleep", "600").start();
        Files.writeString(data.resolve("postmaster.pid"), other.pid() + "\n" + data + "\n");
        try {
            // When
            List<String> stopped = Leftovers.stop(data, home.resolve("keycloak"), GRACE);

            // Then: nothing is stopped, the stale lock file is gone and PostgreSQL starts
            assertThat(stopped).isEmpty();
            assertThat(other.isAlive()).isTrue();
            assertThat(data.resolve("postmaster.pid")).doesNotExist();
            try (EmbeddedDatabase again = EmbeddedDatabase.start(data, 0, credentials(home))) {
                assertThat(again.port()).isPositive();
            }
        } finally {
            other.destroyForcibly();
        }
    }
}
