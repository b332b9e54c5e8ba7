package dev.drydock.server.agent.tool;

import dev.drydock.server.agent.event.Action.Risk;

/** {@code create_file}: a new file, or a full replacement when {@code overwrite} is set. */
public final class CreateFileTool implements Tool {
    private static final ToolSpec SPEC = new ToolSpec(
            "create_file",
            "Create a file with the given content (parent directories are created). Refuses to replace an existing file unless overwrite is true.",
            Schemas.object(
                    Schemas.prop("path", "string", "file relative to the repository root") + ","
                            + Schemas.prop("content", "string", "the whole content") + ","
                            + Schemas.prop("overwrite", "boolean", "replace an existing file"),
                    "path",
                    "content"),
            Risk.WRITES_WORKSPACE);

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public Effect execute(Args args, ToolContext context) {
        String path = args.string("path");
        GitDirectory.refuseWrite(path);
        String content = args.string("content");
        boolean exists = context.workspace().isFile(path);
        if (exists && !args.flag("overwrite")) {
            return new Effect.Failed(path + " already exists; use edit_file, or set overwrite to true to replace it");
        }
        String before = exists ? context.workspace().read(path) : "";
        context.workspace().write(path, content);
        return new Effect.Changed(path, TextEdits.unifiedDiff(path, before, content));
    }
}
