package dev.drydock.server.agent.tool;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Detects how a repository runs its tests, from its rules files and build files, in this order: an
 * explicit override, {@code test-command:} in {@code .drydock/rules.md} or {@code AGENTS.md}, Maven,
 * Gradle, npm, pytest, unittest, Go, Make. Deterministic: only file names and contents matter.
 */
public final class TestCommands {
    private static final Pattern RULE =
            Pattern.compile("(?im)^\\s*[-*]?\\s*test[- _]command\\s*:\\s*`?([^`\\n]+?)`?\\s*$");

    /** Repository files whose {@code test-command:} line names the test command. */
    static final java.util.List<String> RULES_FILES = java.util.List.of(".drydock/rules.md", "AGENTS.md", "CLAUDE.md");

    /** Requirement files whose {@code pytest} line makes pytest the test runner (a setup step installs them: {@code pip install -r …}). */
    private static final java.util.List<String> REQUIREMENTS = java.util.List.of(
            "requirements-dev.txt", "requirements-test.txt", "dev-requirements.txt", "requirements.txt");

    private static final Pattern PYTEST_REQUIREMENT = Pattern.compile("(?im)^\\s*pytest\\s*([=<>~!;\\[].*)?$");

    private TestCommands() {}

    private static boolean requiresPytest(FileTree ws) {
        return REQUIREMENTS.stream()
                .anyMatch(f ->
                        ws.isFile(f) && PYTEST_REQUIREMENT.matcher(ws.read(f)).find());
    }

    public static TestCommand detect(FileTree ws, Optional<String> override) {
        if (override.isPresent() && !override.get().isBlank()) {
            return new TestCommand(override.get().strip(), "override");
        }
        for (String rules : RULES_FILES) {
            if (ws.isFile(rules)) {
                Matcher m = RULE.matcher(ws.read(rules));
                if (m.find()) {
                    return new TestCommand(m.group(1).strip(), rules);
                }
            }
        }
        if (ws.isFile("pom.xml")) {
            return new TestCommand(ws.isFile("mvnw") ? "./mvnw -B -q -o test" : "mvn -B -q -o test", "pom.xml");
        }
        for (String gradle : new String[] {"build.gradle", "build.gradle.kts"}) {
            if (ws.isFile(gradle)) {
                return new TestCommand(
                        ws.isFile("gradlew") ? "./gradlew test --offline -q" : "gradle test --offline -q", gradle);
            }
        }
        if (ws.isFile("package.json") && ws.read("package.json").contains("\"test\"")) {
            return new TestCommand("npm test --silent", "package.json");
        }
        if (ws.isFile("pytest.ini")
                || ws.isFile("conftest.py")
                || requiresPytest(ws)
                || (ws.isFile("pyproject.toml") && ws.read("pyproject.toml").contains("[tool.pytest"))
                || (ws.isFile("setup.cfg") && ws.read("setup.cfg").contains("[tool:pytest]"))) {
            return new TestCommand(
                    "python3 -m pytest -q",
                    ws.isFile("pytest.ini")
                            ? "pytest.ini"
                            : ws.isFile("conftest.py")
                                    ? "conftest.py"
                                    : requiresPytest(ws)
                                            ? REQUIREMENTS.stream()
                                                    .filter(ws::isFile)
                                                    .findFirst()
                                                    .orElseThrow()
                                            : "pyproject.toml");
        }
        if (ws.isFile("go.mod")) {
            return new TestCommand("go test ./...", "go.mod");
        }
        if (ws.isFile("Makefile")
                && Pattern.compile("(?m)^test\\s*:")
                        .matcher(ws.read("Makefile"))
                        .find()) {
            return new TestCommand("make test", "Makefile");
        }
        boolean pythonTests = ws.list(".").stream()
                .anyMatch(
                        e -> !e.directory() && e.name().toLowerCase(Locale.ROOT).matches("test_.*\\.py"));
        if (pythonTests) {
            return new TestCommand("python3 -m unittest discover -q", "test_*.py");
        }
        if (ws.list(".").stream().anyMatch(e -> e.directory() && e.name().equals("tests"))
                && ws.list("tests").stream().anyMatch(e -> e.name().matches("test_.*\\.py"))) {
            return new TestCommand("python3 -m unittest discover -s tests -t . -q", "tests/test_*.py");
        }
        return TestCommand.NONE;
    }
}
