package dev.drydock.server.agent.tool;

/**
 * The command that runs the repository's tests, and where it came from ({@code pom.xml},
 * {@code .drydock/rules.md}, {@code override}...). Empty command: none detected.
 */
public record TestCommand(String command, String detectedFrom) {
    public static final TestCommand NONE = new TestCommand("", "none");

    public boolean isPresent() {
        return !command.isBlank();
    }

    /**
     * Whether the repository wrote the command itself (a {@code test-command:} line of a rules file),
     * rather than a workspace admin (override) or Drydock (a fixed command for a build file).
     */
    public boolean fromRepositoryRules() {
        return TestCommands.RULES_FILES.contains(detectedFrom);
    }
}
