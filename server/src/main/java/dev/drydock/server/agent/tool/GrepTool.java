package dev.drydock.server.agent.tool;

import dev.drydock.server.agent.event.Action.Risk;
import java.time.Duration;

/** {@code grep}: a regular-expression search over workspace files, in the sandbox. */
public final class GrepTool implements Tool {
    private static final ToolSpec SPEC = new ToolSpec(
            "grep",
            "Search workspace files for a regular expression (extended syntax). Returns file:line:text, at most 200 lines.",
            Schemas.object(
                    Schemas.prop("pattern", "string", "extended regular expression") + ","
                            + Schemas.prop("path", "string", "file or directory to search, default '.'") + ","
                            + Schemas.prop("ignore_case", "boolean", "case-insensitive match"),
                    "pattern"),
            Risk.READ_ONLY);

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public Effect execute(Args args, ToolContext context) {
        String pattern = args.string("pattern");
        String path = args.optString("path").orElse(".");
        String cmd = "grep -rnIE " + (args.flag("ignore_case") ? "-i " : "") + "--exclude-dir=.git -e "
                + Schemas.shellQuote(pattern) + " -- " + Schemas.shellQuote(path) + " | head -n 200";
        Workspace.CommandResult r = context.workspace().run(cmd, Duration.ofSeconds(30));
        String out = r.output().strip();
        return new Effect.Output(out.isEmpty() ? "no match for /" + pattern + "/ in " + path : Schemas.clip(out));
    }
}
