package dev.drydock.server.agent.tool;

import dev.drydock.server.agent.event.Action.Risk;

/** {@code git_diff}: the session's changes so far. */
public final class GitDiffTool implements Tool {
    private static final ToolSpec SPEC = new ToolSpec(
            "git_diff",
            "Show the unified diff of every change made in this session so far.",
            Schemas.object(""),
            Risk.READ_ONLY);

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public Effect execute(Args args, ToolContext context) {
        String diff = context.workspace().diff();
        return new Effect.Output(diff.isBlank() ? "no changes" : Schemas.clip(diff));
    }
}
