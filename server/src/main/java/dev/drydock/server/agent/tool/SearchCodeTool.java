package dev.drydock.server.agent.tool;

import dev.drydock.server.agent.event.Action.Risk;
import java.util.List;

/** {@code search_code}: hybrid code search over the repositories the person may read. */
public final class SearchCodeTool implements Tool {
    private static final ToolSpec SPEC = new ToolSpec(
            "search_code",
            "Search the code by meaning and by identifiers. Use this first to find where something lives; then read_file the hits.",
            Schemas.object(
                    Schemas.prop("query", "string", "what to look for: words, identifiers, an error message") + ","
                            + Schemas.prop("limit", "integer", "number of hits, default 8"),
                    "query"),
            Risk.READ_ONLY);

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public Effect execute(Args args, ToolContext context) {
        String query = args.string("query");
        int limit = Math.max(1, Math.min(30, args.optInt("limit").orElse(8)));
        List<CodeSearchPort.Hit> hits = context.search().search(query, limit);
        if (hits.isEmpty()) {
            return new Effect.Output("no hits for '" + query + "'");
        }
        StringBuilder out = new StringBuilder();
        for (CodeSearchPort.Hit h : hits) {
            out.append(h.repo().isEmpty() ? "" : h.repo() + ":").append(h.path()).append(':').append(h.startLine()).append('-').append(h.endLine())
                    .append('\n').append(h.snippet().strip()).append("\n\n");
        }
        return new Effect.Output(Schemas.clip(out.toString()));
    }
}
