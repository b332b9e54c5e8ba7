package dev.drydock.server.agent.tool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.server.agent.InMemoryWorkspace;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Test commands of Gradle, Python and Go projects (issue #18), as the build-tool mirror tests run them in sandboxes. */
class BuildToolTestCommandsTest {
    static TestCommand detect(Map<String, String> files) {
        return TestCommands.detect(
                new InMemoryWorkspace(files, (c, f) -> new Workspace.CommandResult(0, "", false)), Optional.empty());
    }

    @Test
    void shouldRunPytestWhenRequirementsListPytest() {
        // Given a Python project whose requirements name pytest (a setup step installs them), and one whose do not
        Map<String, String> withPytest =
                Map.of("requirements.txt", "demo-math==1.0.0\npytest>=8\n", "test_calc.py", "");
        Map<String, String> without =
                Map.of("requirements.txt", "demo-math==1.0.0\npytest-cov-like==1\n", "test_calc.py", "");

        // When
        TestCommand pytest = detect(withPytest);

        // Then pytest runs the first; the second keeps unittest (its requirement only starts with "pytest")
        assertThat(pytest).isEqualTo(new TestCommand("python3 -m pytest -q", "requirements.txt"));
        assertThat(detect(without)).isEqualTo(new TestCommand("python3 -m unittest discover -q", "test_*.py"));
    }

    @Test
    void shouldRunGradleOfflineAndGoTestWhenBuildFilesSayGradleOrGo() {
        // Given a Gradle project without a wrapper, one with, and a Go module
        // When / Then: offline Gradle (the setup step filled its cache through the mirror), go test over every package
        assertThat(detect(Map.of("build.gradle", "apply plugin: 'java'\n")).command())
                .isEqualTo("gradle test --offline -q");
        assertThat(detect(Map.of("build.gradle.kts", "", "gradlew", "")).command())
                .isEqualTo("./gradlew test --offline -q");
        assertThat(detect(Map.of("go.mod", "module example.test/calc\n")).command())
                .isEqualTo("go test ./...");
    }
}
