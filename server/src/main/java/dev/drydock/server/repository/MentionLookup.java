package dev.drydock.server.repository;

import dev.drydock.search.lookup.Mention;
import dev.drydock.search.lookup.MentionIndex;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.WorkspaceAccess;
import dev.drydock.server.auth.WorkspaceRole;
import dev.drydock.server.problem.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Completes {@code @}-mentions (repositories, paths, symbol names) over the indexed repositories of
 * one workspace: each repository's {@link MentionIndex}, kept with its open index, answers for its own
 * repository only, and the answers merge in {@link Mention#ORDER}.
 */
@ApplicationScoped
public class MentionLookup {
    /** The most completions one lookup returns. */
    public static final int MAX_LIMIT = 50;

    @Inject
    OpenIndexes openIndexes;

    @Inject
    RepositoryIndexing indexing;

    /** One completion as the API gives it; {@code insert} is the text that mentions it in a task. */
    public record MentionView(
            String kind, String repo, String path, @Nullable String symbol, int definers, String match, String insert) {
        static MentionView of(Mention m) {
            return new MentionView(
                    m.kind().name().toLowerCase(java.util.Locale.ROOT),
                    m.repo(),
                    m.path(),
                    m.symbol(),
                    m.definers(),
                    m.match().name().toLowerCase(java.util.Locale.ROOT),
                    m.text());
        }
    }

    /** The best {@code limit} completions of {@code query} among the workspace's indexed repositories. */
    public List<MentionView> lookup(Principal caller, String workspace, @Nullable String query, int limit) {
        WorkspaceAccess.require(caller, workspace, WorkspaceRole.VIEWER);
        String q = query == null ? "" : query;
        if (q.length() > MentionIndex.MAX_QUERY_CHARS) {
            throw ProblemException.badRequest(
                    "q is too long (" + q.length() + " characters; at most " + MentionIndex.MAX_QUERY_CHARS + ")");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ProblemException.badRequest("limit must be between 1 and " + MAX_LIMIT);
        }
        List<List<Mention>> lists = new ArrayList<>();
        for (String repo : indexedRepos(workspace)) {
            try (OpenIndexes.Lease index = openIndexes.lease(indexing.indexPath(workspace, repo))) {
                lists.add(index.search().mentions().lookup(q, Set.of(repo), limit));
            }
        }
        return MentionIndex.merge(lists, limit).stream().map(MentionView::of).toList();
    }

    /**
     * Files of {@code repo} (a repository of {@code workspace}, for a session that may read it) that
     * declare a type or function named exactly {@code name}, or none when the repository has no index.
     * The caller has checked access: this is for the session runner.
     */
    public List<String> definingFiles(String workspace, String repo, String name) {
        if (!indexedRepos(workspace).contains(repo)) {
            return List.of();
        }
        try (OpenIndexes.Lease index = openIndexes.lease(indexing.indexPath(workspace, repo))) {
            return index.search().mentions().definingFiles(name, repo);
        }
    }

    /** The workspace's repositories that have an index (the readable set: nothing of another workspace). */
    private List<String> indexedRepos(String workspace) {
        return QuarkusTransaction.requiringNew()
                .call(() -> RepositoryEntity.<RepositoryEntity>list(
                                "workspace = ?1 and indexedCommit is not null order by name", workspace)
                        .stream()
                        .map(e -> e.name)
                        .filter(n -> Files.isDirectory(indexing.indexPath(workspace, n)))
                        .toList());
    }
}
