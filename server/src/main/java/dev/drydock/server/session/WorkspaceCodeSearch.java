package dev.drydock.server.session;

import dev.drydock.server.agent.tool.CodeSearchPort;
import dev.drydock.server.agent.tool.Workspace;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.WorkspaceMembership;
import dev.drydock.server.auth.WorkspaceRole;
import dev.drydock.server.repository.RepositoryContent;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * {@code search_code} over the hybrid index of every ready repository of the session's workspace
 * (the repository feature's search, on behalf of the person who delegated the session, who was a
 * member of the workspace when it was created). Falls back to grep in the sandbox when the workspace
 * has no indexed repository or the index has no hit.
 */
final class WorkspaceCodeSearch implements CodeSearchPort {
    private static final Logger LOG = Logger.getLogger(WorkspaceCodeSearch.class);
    private final RepositoryContent repositories;
    private final String workspace;
    private final String repo;
    private final String username;
    private final Workspace files;
    private final CodeSearchPort fallback;

    WorkspaceCodeSearch(
            RepositoryContent repositories,
            String workspace,
            String repo,
            String username,
            Workspace files,
            CodeSearchPort fallback) {
        this.repositories = repositories;
        this.workspace = workspace;
        this.repo = repo;
        this.username = username;
        this.files = files;
        this.fallback = fallback;
    }

    @Override
    public List<Hit> search(String query, int limit) {
        List<dev.drydock.search.Hit> hits;
        try {
            Principal onBehalf = new Principal(
                    username,
                    username,
                    username,
                    null,
                    List.of(),
                    List.of(new WorkspaceMembership(workspace, WorkspaceRole.VIEWER)));
            hits = QuarkusTransaction.requiringNew()
                    .call(() -> repositories.search(onBehalf, workspace, query, Math.max(1, Math.min(50, limit))));
        } catch (RuntimeException e) {
            LOG.debugf("workspace search failed, using grep: %s", e.getMessage());
            hits = List.of();
        }
        if (hits.isEmpty()) {
            return fallback.search(query, limit);
        }
        List<Hit> out = new ArrayList<>();
        for (dev.drydock.search.Hit h : hits) {
            out.add(new Hit(
                    h.repo(),
                    h.path(),
                    h.startLine(),
                    h.endLine(),
                    h.repo().equals(repo) ? IndexedCodeSearch.snippet(files, h) : h.symbol()));
        }
        return out;
    }
}
