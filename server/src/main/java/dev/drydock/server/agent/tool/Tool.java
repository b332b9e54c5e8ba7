package dev.drydock.server.agent.tool;

import dev.drydock.server.agent.event.Action.Risk;

/** One tool: its spec and one method that runs a call. */
public interface Tool {
    ToolSpec spec();

    /** The risk of this particular call, by rules; the spec's risk unless the tool looks closer. */
    default Risk risk(Args args) {
        return spec().risk();
    }

    /**
     * The risk of this call in this session, for tools whose risk depends on what the session holds
     * (such as the repository's own test command); {@link #risk(Args)} unless the tool overrides it.
     */
    default Risk risk(Args args, ToolContext context) {
        return risk(args);
    }

    /**
     * Runs the call. Expected failures are thrown as {@link ToolFailure} (or returned as {@link
     * Effect.Failed}); bad arguments as {@link Args.BadArguments}. Anything else is a bug.
     */
    Effect execute(Args args, ToolContext context);
}
