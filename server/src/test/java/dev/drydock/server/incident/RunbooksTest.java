package dev.drydock.server.incident;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which runbook URLs are files of a registered repository, and which hosts are this machine. */
class RunbooksTest {
    @Test
    void shouldFindFileWhenUrlIsGitLabBlobOfRepository() {
        // When
        Optional<String> path = Runbooks.fileOf(
                "https://gitlab.internal.example/team/calc.git",
                "https://gitlab.internal.example/team/calc/-/blob/main/runbooks/high-error-rate.md#steps");

        // Then
        assertThat(path).contains("runbooks/high-error-rate.md");
    }

    @Test
    void shouldFindFileWhenUrlIsGiteaSourceView() {
        // When
        Optional<String> path = Runbooks.fileOf(
                "https://gitea.internal.example/team/calc",
                "https://gitea.internal.example/team/calc/src/branch/main/RUNBOOK.md");

        // Then
        assertThat(path).contains("RUNBOOK.md");
    }

    @Test
    void shouldFindNothingWhenUrlIsAnotherRepositoryWithTheSamePrefix() {
        // When
        Optional<String> path = Runbooks.fileOf(
                "https://gitlab.internal.example/team/calc.git",
                "https://gitlab.internal.example/team/calculator/-/blob/main/RUNBOOK.md");

        // Then
        assertThat(path).isEmpty();
    }

    @Test
    void shouldFindNothingWhenPathClimbsOut() {
        // When
        Optional<String> path = Runbooks.fileOf(
                "https://gitlab.internal.example/team/calc.git",
                "https://gitlab.internal.example/team/calc/-/blob/main/%2E%2E/secrets.md");

        // Then
        assertThat(path).isEmpty();
    }

    @Test
    void shouldTreatLoopbackAddressesAsThisMachine() {
        // When / Then
        assertThat(Runbooks.loopback("localhost")).isTrue();
        assertThat(Runbooks.loopback("127.0.0.2")).isTrue();
        assertThat(Runbooks.loopback("[::1]")).isTrue();
        assertThat(Runbooks.loopback("wiki.internal.example")).isFalse();
    }
}
