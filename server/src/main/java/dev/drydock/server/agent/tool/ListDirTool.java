package dev.drydock.server.agent.tool;

import dev.drydock.server.agent.event.Action.Risk;

/** {@code list_dir}: the entries of one directory. */
public final class ListDirTool implements Tool {
    private static final ToolSpec SPEC = new ToolSpec(
            "list_dir",
            "List one directory of the workspace (not recursive). Directories end with '/'.",
            Schemas.object(
                    Schemas.prop("path", "string", "directory relative to the repository root; '.' for the root")),
            Risk.READ_ONLY);

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public Effect execute(Args args, ToolContext context) {
        String path = args.optString("path").orElse(".");
        StringBuilder out = new StringBuilder();
        for (Workspace.Entry e : context.workspace().list(path)) {
            if (e.name().equals(".git")) {
                continue;
            }
            out.append(e.name())
                    .append(e.directory() ? "/" : "  (" + e.size() + " bytes)")
                    .append('\n');
        }
        return new Effect.Output(out.isEmpty() ? path + " is empty" : Schemas.clip(out.toString()));
    }
}
