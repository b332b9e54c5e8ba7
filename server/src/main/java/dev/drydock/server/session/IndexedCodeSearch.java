package dev.drydock.server.session;

import dev.drydock.search.CodeSearch;
import dev.drydock.search.SearchMode;
import dev.drydock.search.SearchQuery;
import dev.drydock.server.agent.tool.CodeSearchPort;
import dev.drydock.server.agent.tool.FileTree;
import dev.drydock.server.agent.tool.TextEdits;
import dev.drydock.server.agent.tool.ToolFailure;
import dev.drydock.server.agent.tool.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code search_code} over the server's search index (search-index), restricted to the repositories
 * the session may read; snippets come from the session's own workspace so they match its files.
 * Lexical ranking unless the index has vectors and an embedder is wired, then hybrid.
 */
final class IndexedCodeSearch implements CodeSearchPort {
    private final CodeSearch index;
    private final Set<String> readableRepos;
    private final Workspace workspace;

    IndexedCodeSearch(CodeSearch index, Set<String> readableRepos, Workspace workspace) {
        this.index = index;
        this.readableRepos = Set.copyOf(readableRepos);
        this.workspace = workspace;
    }

    @Override
    public List<CodeSearchPort.Hit> search(String query, int limit) {
        SearchMode mode = index.hasVectors() ? SearchMode.HYBRID : SearchMode.LEXICAL;
        List<CodeSearchPort.Hit> out = new ArrayList<>();
        SearchQuery q = new SearchQuery(query, readableRepos, Math.max(1, Math.min(SearchQuery.MAX_K, limit)), mode);
        for (dev.drydock.search.Hit h :
                index.passages(q, dev.drydock.server.repository.RepositoryContent.CHUNKS_PER_FILE)) {
            out.add(new CodeSearchPort.Hit(h.repo(), h.path(), h.startLine(), h.endLine(), snippet(workspace, h)));
        }
        return out;
    }

    /** The hit's symbol and its first lines (at most 8, numbered) as the workspace has them; the symbol alone when unreadable. */
    static String snippet(FileTree workspace, dev.drydock.search.Hit h) {
        try {
            List<String> lines = TextEdits.splitLines(workspace.read(h.path()));
            StringBuilder b = new StringBuilder(h.symbol().isBlank() ? "" : h.symbol() + "\n");
            for (int n = h.startLine(); n <= Math.min(h.endLine(), h.startLine() + 7) && n <= lines.size(); n++) {
                b.append(n).append(": ").append(lines.get(n - 1)).append('\n');
            }
            return b.toString();
        } catch (ToolFailure e) {
            return h.symbol();
        }
    }
}
