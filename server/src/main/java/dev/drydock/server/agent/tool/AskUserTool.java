package dev.drydock.server.agent.tool;

import dev.drydock.server.agent.event.Action.Risk;
import java.util.List;

/** {@code ask_user}: pauses the session until the person answers. */
public final class AskUserTool implements Tool {
    private static final ToolSpec SPEC = new ToolSpec(
            "ask_user",
            "Ask the person a question when the task is ambiguous and guessing would be costly. The session pauses until they answer.",
            Schemas.object(
                    Schemas.prop("question", "string", "one clear question") + ","
                            + "\"options\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"description\":\"suggested answers\"}",
                    "question"),
            Risk.READ_ONLY);

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public Effect execute(Args args, ToolContext context) {
        List<String> options =
                args.list("options").stream().map(String::valueOf).toList();
        return new Effect.Ask(args.string("question"), options);
    }
}
