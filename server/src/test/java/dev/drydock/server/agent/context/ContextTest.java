package dev.drydock.server.agent.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.server.agent.InMemoryWorkspace;
import dev.drydock.server.agent.tool.TestCommand;
import dev.drydock.server.agent.tool.TestCommands;
import dev.drydock.server.agent.tool.Workspace.CommandResult;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContextTest {
    static InMemoryWorkspace ws(Map<String, String> files) {
        return new InMemoryWorkspace(files, (c, f) -> new CommandResult(0, "", false));
    }

    @Test
    void shouldReadRulesFilesHierarchically() {
        // Given
        InMemoryWorkspace ws = ws(Map.of(
                ".drydock/rules.md",
                "drydock rules",
                "AGENTS.md",
                "agents",
                ".cursorrules",
                "cursor",
                ".github/copilot-instructions.md",
                "copilot",
                "svc/AGENTS.md",
                "svc rules",
                "svc/api/AGENTS.md",
                "api rules",
                "node_modules/x/AGENTS.md",
                "no"));

        // When
        RulesFiles.Rules rules = RulesFiles.load(ws);

        // Then
        assertThat(rules.files())
                .containsExactly(
                        ".drydock/rules.md",
                        "AGENTS.md",
                        ".cursorrules",
                        ".github/copilot-instructions.md",
                        "svc/AGENTS.md",
                        "svc/api/AGENTS.md");
        assertThat(rules.text()).contains("### svc/api/AGENTS.md\n\napi rules");
    }

    @Test
    void shouldDetectTestCommandsFromBuildAndRulesFiles() {
        assertThat(TestCommands.detect(ws(Map.of("pom.xml", "<project/>")), Optional.empty())
                        .command())
                .isEqualTo("mvn -B -q -o test");
        assertThat(TestCommands.detect(ws(Map.of("pom.xml", "<project/>", "mvnw", "")), Optional.empty())
                        .command())
                .isEqualTo("./mvnw -B -q -o test");
        assertThat(TestCommands.detect(ws(Map.of("build.gradle.kts", "")), Optional.empty())
                        .command())
                .startsWith("gradle test");
        assertThat(TestCommands.detect(
                                ws(Map.of("package.json", "{\"scripts\":{\"test\":\"jest\"}}")), Optional.empty())
                        .command())
                .isEqualTo("npm test --silent");
        assertThat(TestCommands.detect(ws(Map.of("pytest.ini", "")), Optional.empty())
                        .command())
                .isEqualTo("python3 -m pytest -q");
        assertThat(TestCommands.detect(ws(Map.of("go.mod", "module x")), Optional.empty())
                        .command())
                .isEqualTo("go test ./...");
        assertThat(TestCommands.detect(ws(Map.of("Makefile", "all:\n\ntest:\n\tcc t.c\n")), Optional.empty())
                        .command())
                .isEqualTo("make test");
        assertThat(TestCommands.detect(ws(Map.of("test_a.py", "")), Optional.empty())
                        .command())
                .isEqualTo("python3 -m unittest discover -q");
        assertThat(TestCommands.detect(
                        ws(Map.of("pom.xml", "", ".drydock/rules.md", "- test-command: `mvn -o verify -pl core`\n")),
                        Optional.empty()))
                .isEqualTo(new TestCommand("mvn -o verify -pl core", ".drydock/rules.md"));
        assertThat(TestCommands.detect(ws(Map.of("pom.xml", "")), Optional.of("make check"))
                        .detectedFrom())
                .isEqualTo("override");
        assertThat(TestCommands.detect(ws(Map.of("README.md", "")), Optional.empty())
                        .isPresent())
                .isFalse();
    }

    @Test
    void shouldComputeDeterministicOverview() {
        // Given
        InMemoryWorkspace ws = ws(Map.of(
                "pom.xml",
                "<modules><module>core</module><module>app</module></modules>",
                "core/src/A.java",
                "",
                "app/src/Main.java",
                "",
                "app/src/B.java",
                "",
                "scripts/run.py",
                ""));

        // When
        String overview = ProjectOverview.compute(ws, new TestCommand("mvn -B -q -o test", "pom.xml"));

        // Then
        assertThat(overview).isEqualTo("""
                - Languages: Java (3 files), Python (1 files)
                - Build system: Maven
                - Modules: core, app
                - Test command: `mvn -B -q -o test` (from pom.xml)
                - Entry points: app/src/Main.java
                - Files: 5
                """);
        assertThat(ProjectOverview.compute(ws, new TestCommand("mvn -B -q -o test", "pom.xml")))
                .isEqualTo(overview);
    }
}
