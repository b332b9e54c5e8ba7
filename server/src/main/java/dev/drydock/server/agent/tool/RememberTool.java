package dev.drydock.server.agent.tool;

import dev.drydock.server.agent.event.Action.Risk;
import java.util.Locale;

/**
 * {@code remember}: keeps a fact for later sessions of this repository or workspace. A fact for the
 * whole workspace enters the prompt of every later session there, whatever its repository: it is
 * rated {@link Risk#DESTRUCTIVE} (it outlives the session and escapes its repository), so every
 * autonomy level but full-auto asks a person first (read-only blocks it). A fact for the repository
 * stays a read-only action.
 */
public final class RememberTool implements Tool {
    private static final ToolSpec SPEC = new ToolSpec(
            "remember",
            "Keep a short fact for future sessions (how to build, a convention, a pitfall). scope is 'repo' (default) or 'workspace'.",
            Schemas.object(
                    Schemas.prop("text", "string", "the fact, one or two sentences") + ","
                            + "\"scope\":{\"type\":\"string\",\"enum\":[\"repo\",\"workspace\"]}",
                    "text"),
            Risk.READ_ONLY);

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public Risk risk(Args args) {
        return switch (scope(args)) {
            case REPO -> Risk.READ_ONLY;
            case WORKSPACE -> Risk.DESTRUCTIVE;
        };
    }

    private static Memory.Scope scope(Args args) {
        return switch (args.optString("scope").orElse("repo").toLowerCase(Locale.ROOT)) {
            case "repo" -> Memory.Scope.REPO;
            case "workspace" -> Memory.Scope.WORKSPACE;
            default -> throw new Args.BadArguments("scope must be 'repo' or 'workspace'");
        };
    }

    @Override
    public Effect execute(Args args, ToolContext context) {
        Memory.Scope s = scope(args);
        String scope = s.name().toLowerCase(Locale.ROOT);
        String text = args.string("text").strip();
        if (text.isEmpty() || text.length() > 2000) {
            throw new Args.BadArguments("text must be 1-2000 characters");
        }
        context.memory().remember(s, text);
        return new Effect.Output("remembered for this " + scope);
    }
}
