package dev.drydock.server.agent.tool;

import dev.drydock.server.agent.event.Action.Risk;

/** {@code edit_file}: exact search/replace (whitespace-tolerant fallback) or a unified diff. */
public final class EditFileTool implements Tool {
    private static final ToolSpec SPEC = new ToolSpec(
            "edit_file",
            "Change an existing file. Either give old_text (copied exactly from the file, matching once) and new_text, or give diff (a unified diff"
                    + " of this one file). Errors say when old_text is missing or ambiguous.",
            Schemas.object(
                    Schemas.prop("path", "string", "file relative to the repository root") + ","
                            + Schemas.prop("old_text", "string", "exact text to replace; must occur once") + ","
                            + Schemas.prop("new_text", "string", "replacement text") + ","
                            + Schemas.prop("diff", "string", "unified diff to apply instead of old_text/new_text"),
                    "path"),
            Risk.WRITES_WORKSPACE);

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public Effect execute(Args args, ToolContext context) {
        String path = args.string("path");
        GitDirectory.refuseWrite(path);
        if (!context.workspace().isFile(path)) {
            return new Effect.Failed(path + " does not exist; use create_file for a new file");
        }
        String before = context.workspace().read(path);
        String after;
        if (args.optString("diff").isPresent()) {
            after = TextEdits.applyUnifiedDiff(before, args.string("diff"));
        } else {
            after = TextEdits.replace(
                    before, args.string("old_text"), args.optString("new_text").orElse(""));
        }
        if (after.equals(before)) {
            return new Effect.Failed("the edit changes nothing in " + path);
        }
        context.workspace().write(path, after);
        return new Effect.Changed(path, TextEdits.unifiedDiff(path, before, after));
    }
}
