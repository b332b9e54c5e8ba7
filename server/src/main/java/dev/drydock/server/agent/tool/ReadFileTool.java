package dev.drydock.server.agent.tool;

import dev.drydock.server.agent.event.Action.Risk;
import java.util.List;

/** {@code read_file}: numbered lines of a file, a range of them when asked. */
public final class ReadFileTool implements Tool {
    static final int DEFAULT_LINES = 400;
    private static final ToolSpec SPEC = new ToolSpec(
            "read_file",
            "Read a text file of the workspace with line numbers. Give start_line/end_line (1-based, inclusive) for a range; without them the first "
                    + DEFAULT_LINES + " lines are shown.",
            Schemas.object(
                    Schemas.prop("path", "string", "path relative to the repository root") + ","
                            + Schemas.prop("start_line", "integer", "first line, 1-based") + ","
                            + Schemas.prop("end_line", "integer", "last line, inclusive"),
                    "path"),
            Risk.READ_ONLY);

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public Effect execute(Args args, ToolContext context) {
        String path = args.string("path");
        List<String> lines = TextEdits.splitLines(context.workspace().read(path));
        int start = Math.max(1, args.optInt("start_line").orElse(1));
        int end = Math.min(lines.size(), args.optInt("end_line").orElse(start + DEFAULT_LINES - 1));
        if (lines.isEmpty()) {
            return new Effect.Output(path + " is empty");
        }
        if (start > lines.size()) {
            return new Effect.Failed(
                    path + " has only " + lines.size() + " lines; start_line " + start + " is past the end");
        }
        StringBuilder out = new StringBuilder();
        for (int n = start; n <= end; n++) {
            out.append(n).append('\t').append(lines.get(n - 1)).append('\n');
        }
        if (end < lines.size()) {
            out.append("[lines ")
                    .append(end + 1)
                    .append('-')
                    .append(lines.size())
                    .append(" not shown; ask for a range]\n");
        }
        return new Effect.Output(Schemas.clip(out.toString()));
    }
}
