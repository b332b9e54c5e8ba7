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
        // Whole hits, best first, while they fit the tool's output budget: dropping the last hits
        // keeps the ranking's best, where clipping the middle would cut a hit in two.
        StringBuilder out = new StringBuilder();
        int shown = 0;
        for (CodeSearchPort.Hit h : hits) {
            String one = (h.repo().isEmpty() ? "" : h.repo() + ":") + h.path() + ':' + h.startLine() + '-' + h.endLine()
                    + '\n' + h.snippet().strip() + "\n\n";
            if (shown > 0 && out.length() + one.length() > Schemas.MAX_OUTPUT - 100) {
                out.append("[")
                        .append(hits.size() - shown)
                        .append(" more hits omitted; narrow the query or read_file the hits above]\n");
                break;
            }
            out.append(one);
            shown++;
        }
        return new Effect.Output(Schemas.clip(out.toString()));
    }
}
