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
}
