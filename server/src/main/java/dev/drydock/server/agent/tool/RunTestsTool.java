package dev.drydock.server.agent.tool;

import dev.drydock.server.agent.event.Action.Risk;
import java.time.Duration;

/**
 * {@code run_tests}: the repository's detected test command. Running tests writes the workspace; a
 * command the repository wrote itself ({@code test-command:} in a rules file) is rated as {@link
 * CommandRisk} rates that command line when that is riskier, so a repository cannot make {@code curl
 * … | sh} its test command and have it run without approval.
 */
public final class RunTestsTool implements Tool {
    static final Duration TIMEOUT = Duration.ofMinutes(20);
    private static final ToolSpec SPEC = new ToolSpec(
            "run_tests",
            "Run the repository's test command (detected from its build files or rules). finish is refused while it fails.",
            Schemas.object(""),
            Risk.WRITES_WORKSPACE);

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public Risk risk(Args args, ToolContext context) {
        TestCommand test = context.testCommand();
        if (!test.isPresent() || !test.fromRepositoryRules()) {
            return SPEC.risk();
        }
        Risk command = CommandRisk.classify(test.command());
        return command.compareTo(SPEC.risk()) > 0 ? command : SPEC.risk();
    }

    @Override
    public Effect execute(Args args, ToolContext context) {
        TestCommand test = context.testCommand();
        if (!test.isPresent()) {
            return new Effect.Failed("no test command was detected for this repository; use run_command");
        }
        Workspace.CommandResult r = context.workspace().run(test.command(), TIMEOUT);
        String output = BuildEnvironmentProblem.in(r.exitCode(), r.output())
                        .map(p -> p.explanation() + "\n\n")
                        .orElse("")
                + r.output();
        return new Effect.CommandRan(test.command(), r.exitCode(), Schemas.clip(output), r.timedOut());
    }
}
