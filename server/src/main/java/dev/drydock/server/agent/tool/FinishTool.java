package dev.drydock.server.agent.tool;

import dev.drydock.server.agent.event.Action.Risk;

/**
 * {@code finish}: the droid says it is done. The droid's completion rule may refuse (tests fail) or
 * turn the arguments into an artifact. The schema comes from the droid profile because each droid's
 * result has its own shape.
 */
public final class FinishTool implements Tool {
    /** The default schema: a summary only. */
    public static final String SUMMARY_ONLY =
            Schemas.object(Schemas.prop("summary", "string", "what you did and why"), "summary");

    private final ToolSpec spec;

    public FinishTool(String description, String schema) {
        this.spec = new ToolSpec("finish", description, schema, Risk.READ_ONLY);
    }

    public FinishTool() {
        this("Finish the task with a summary. For code changes, the tests must pass first.", SUMMARY_ONLY);
    }

    @Override
    public ToolSpec spec() {
        return spec;
    }

    @Override
    public Effect execute(Args args, ToolContext context) {
        return new Effect.Finish(args.optString("summary").orElse(""), args);
    }
}
