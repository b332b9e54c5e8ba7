package dev.drydock.server.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code ./drydock} launcher's front door: help, usage errors, a missing JDK. */
class LauncherTest {
    private static final Path ROOT = Path.of(System.getProperty("drydock.repo-root", ".."))
            .toAbsolutePath()
            .normalize();

    record Run(int exit, String out, String err) {}

    private static Run drydock(Map<String, String> env, String... args) throws IOException, InterruptedException {
        var command = new java.util.ArrayList<>(List.of(ROOT.resolve("drydock").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out, err);
    }

    @Test
    void shouldListEveryCommandInHelp() throws Exception {
        // When
        Run run = drydock(Map.of(), "help");

        // Then
        assertThat(run.exit()).isZero();
        assertThat(run.out())
                .contains(
                        "up [--port N]",
                        "test ",
                        "version",
                        "help",
                        "index PATH",
                        "search --index",
                        "sandbox exec",
                        "model check");
    }

    @Test
    void shouldPrintUsageAndFailWhenCommandIsUnknown() throws Exception {
        // When
        Run run = drydock(Map.of(), "frobnicate");

        // Then
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("unknown command 'frobnicate'").contains("Usage: ./drydock COMMAND");
    }

    @Test
    void shouldRejectInvalidPortBeforeDoingAnything() throws Exception {
        // When
        Run run = drydock(Map.of(), "up", "--port", "http");

        // Then
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("invalid port 'http'");
    }

    @Test
    void shouldSayWhatToInstallWhenNoJdkIsFound() throws Exception {
        // Given no JAVA_HOME and no JDK folders to search
        Map<String, String> env = Map.of("JAVA_HOME", "/nonexistent", "DRYDOCK_JDK_DIRS", "/nonexistent/jdks");

        // When
        Run run = drydock(env, "version");

        // Then
        assertThat(run.exit()).isEqualTo(69);
        assertThat(run.err()).contains("no JDK 21 or newer found").contains("set JAVA_HOME");
        assertThat(run.err()).doesNotContain("Exception");
    }
}
