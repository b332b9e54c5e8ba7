package dev.drydock.server.agent.tool;

import dev.drydock.server.agent.event.Action.Risk;
import java.time.Duration;

/** {@code run_command}: a shell command in the sandbox; its risk is classified by {@link CommandRisk}. */
public final class RunCommandTool implements Tool {
    private static final ToolSpec SPEC = new ToolSpec(
            "run_command",
            "Run a shell command in the repository root inside the sandbox (no network). Returns exit code and output.",
            Schemas.object(
                    Schemas.prop("command", "string", "the command line") + ","
                            + Schemas.prop("timeout_seconds", "integer", "wall-clock limit, default 120, at most 1800"),
                    "command"),
            Risk.WRITES_WORKSPACE);

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public Risk risk(Args args) {
        return CommandRisk.classify(args.string("command"));
    }

    @Override
    public Effect execute(Args args, ToolContext context) {
        String command = args.string("command");
        int timeout = Math.max(1, Math.min(1800, args.optInt("timeout_seconds").orElse(120)));
        Workspace.CommandResult r = context.workspace().run(command, Duration.ofSeconds(timeout));
        return new Effect.CommandRan(command, r.exitCode(), Schemas.clip(r.output()), r.timedOut());
    }
}
