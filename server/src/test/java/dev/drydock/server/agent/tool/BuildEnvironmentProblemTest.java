package dev.drydock.server.agent.tool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BuildEnvironmentProblemTest {
    @Test
    void shouldNameDependencyResolutionWhenMavenCannotResolve() {
        // Given
        String out =
                "[ERROR] Failed to execute goal on project calc: Could not resolve dependencies for project demo:calc:jar:1: "
                        + "Cannot access central (https://repo.maven.apache.org/maven2) in offline mode and the artifact x:y:jar:1 has not been downloaded from it before.\n";

        // When / Then
        assertThat(BuildEnvironmentProblem.in(1, out)).get().satisfies(p -> {
            assertThat(p.kind()).isEqualTo("dependency-resolution");
            assertThat(p.evidence()).contains("x:y:jar:1");
        });
    }

    @Test
    void shouldNameDependencyResolutionWhenGoCannotReachModule() {
        // Given
        String out = "calc.go:3:8: no required module provides package mirror.test/mathx; to add it:\n"
                + "go: mirror.test/mathx@v1.0.0: reading http://go.corp/go/mirror.test/mathx/@v/v1.0.0.zip: 404 Not Found\n";

        // When / Then
        assertThat(BuildEnvironmentProblem.in(1, out)).get().satisfies(p -> {
            assertThat(p.kind()).isEqualTo("dependency-resolution");
            assertThat(p.evidence()).contains("mirror.test/mathx@v1.0.0");
        });
    }

    @Test
    void shouldFindNoProblemWhenTestsFail() {
        // Given
        String out =
                "[ERROR] Tests run: 1, Failures: 1, Errors: 0, Skipped: 0\n[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.5.2:test: There are test failures.\n";

        // When / Then
        assertThat(BuildEnvironmentProblem.in(1, out)).isEmpty();
        assertThat(BuildEnvironmentProblem.in(0, "Could not resolve dependencies"))
                .isEmpty();
    }

    @Test
    void shouldNameMissingToolWhenShellCannotFindCommand() {
        // When / Then
        assertThat(BuildEnvironmentProblem.in(127, "sh: 1: gradle: not found\n"))
                .get()
                .extracting(BuildEnvironmentProblem::kind)
                .isEqualTo("missing-tool");
        assertThat(BuildEnvironmentProblem.in(
                        1, "npm error code E404\nnpm error 404 Not Found - GET https://registry/x\n"))
                .get()
                .extracting(BuildEnvironmentProblem::kind)
                .isEqualTo("network");
    }
}
