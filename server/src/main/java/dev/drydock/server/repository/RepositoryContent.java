package dev.drydock.server.repository;

import dev.drydock.search.FileHit;
import dev.drydock.search.Hit;
import dev.drydock.search.SearchMode;
import dev.drydock.search.SearchQuery;
import dev.drydock.search.fusion.Fused;
import dev.drydock.search.fusion.RankedList;
import dev.drydock.search.fusion.ReciprocalRankFusion;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.WorkspaceAccess;
import dev.drydock.server.auth.WorkspaceRole;
import dev.drydock.server.classification.Classification;
import dev.drydock.server.problem.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * What sessions, the API and the portal read of registered repositories: the content a session may
 * hold (paths withheld above its clearance, the highest label present), workspace-scoped search over
 * the indexes, the stored project overview of the indexed commit and the configured test command.
 */
@ApplicationScoped
public class RepositoryContent {
    @Inject
    OpenIndexes openIndexes;

    @Inject
    RepositoryIndexing indexing;

    @Inject
    RepositorySync sync;

    /**
     * What a session at {@code commit} whose models are cleared up to {@code clearance} may hold: the
     * paths to withhold from its sandbox (labelled above the clearance), and the highest label among
     * the files it does get, which is the classification of anything a command in its sandbox prints.
     * Empty when the repository is not registered (then it has no labels).
     */
    public Optional<SessionContent> sessionContent(
            String workspace, String name, String commit, Classification clearance) {
        return RepositoryEntity.byName(workspace, name)
                .map(RepositoryView::labels)
                .map(labels -> sessionContent(workspace, name, commit, labels, clearance));
    }

    private SessionContent sessionContent(
            String workspace, String name, String commit, PathLabels labels, Classification clearance) {
        List<dev.drydock.sandbox.PathPattern> withheld = labels.above(clearance);
        if (labels.labels().isEmpty()) {
            return new SessionContent(labels, withheld, labels.base(), 0);
        }
        try (Repository repo = new FileRepositoryBuilder()
                .setGitDir(sync.mirrorPath(workspace, name).toFile())
                .setMustExist(true)
                .build()) {
            org.eclipse.jgit.lib.ObjectId id = repo.resolve((commit.isEmpty() ? "HEAD" : commit) + "^{commit}");
            if (id == null) {
                throw ProblemException.notFound("Commit '" + commit + "' of " + workspace + "/" + name);
            }
            Classification present = labels.base();
            int withheldFiles = 0;
            for (String path : new GitTree(repo, id.name()).paths()) {
                if (dev.drydock.sandbox.PathPattern.anyMatches(withheld, path)) {
                    withheldFiles++;
                } else {
                    present = present.max(labels.of(path));
                }
            }
            return new SessionContent(labels, withheld, present, withheldFiles);
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException("cannot read the mirror of " + workspace + "/" + name, ex);
        }
    }

    /**
     * @param withheld paths kept out of the session's sandbox
     * @param highestPresent the highest label of a file the sandbox holds
     * @param withheldFiles how many files of the commit are withheld
     */
    public record SessionContent(
            PathLabels labels,
            List<dev.drydock.sandbox.PathPattern> withheld,
            Classification highestPresent,
            int withheldFiles) {}

    /** Best chunks given per file by {@link #search}. */
    public static final int CHUNKS_PER_FILE = 2;

    /**
     * Searches every ready repository of the workspace, the one retrieval path of the API, the portal
     * and droids: per repository the file ranking with the best chunks of each file
     * ({@code CodeSearch.passages}), repositories fused by file; at most {@code k} files, each with its
     * line ranges, best first. The readable set is the workspace's own repositories, so no hit from
     * another workspace can appear.
     */
    public List<Hit> search(Principal caller, String workspace, String text, int k) {
        WorkspaceAccess.require(caller, workspace, WorkspaceRole.VIEWER);
        validateQuery(text, k);
        List<RankedList<String>> lists = new ArrayList<>();
        Map<String, List<Hit>> byFile = new java.util.HashMap<>();
        for (String repo : readyRepos(workspace)) {
            try (OpenIndexes.Lease index = openIndexes.lease(indexing.indexPath(workspace, repo))) {
                List<String> files = new ArrayList<>();
                for (Hit h : index.search()
                        .passages(new SearchQuery(text, Set.of(repo), k, SearchMode.HYBRID), CHUNKS_PER_FILE)) {
                    String file = h.repo() + "\0" + h.path();
                    if (!byFile.containsKey(file)) {
                        files.add(file);
                    }
                    byFile.computeIfAbsent(file, f -> new ArrayList<>()).add(h);
                }
                lists.add(new RankedList<>(repo, 1.0, files));
            }
        }
        return ReciprocalRankFusion.fuse(lists, ReciprocalRankFusion.DEFAULT_K).stream()
                .limit(k)
                .flatMap(f -> byFile.getOrDefault(f.item(), List.of()).stream())
                .toList();
    }

    /** File-level view: which files to open for this task. */
    public List<FileHit> searchFiles(Principal caller, String workspace, String text, int k) {
        WorkspaceAccess.require(caller, workspace, WorkspaceRole.VIEWER);
        validateQuery(text, k);
        List<RankedList<FileHit>> lists = new ArrayList<>();
        for (String repo : readyRepos(workspace)) {
            try (OpenIndexes.Lease index = openIndexes.lease(indexing.indexPath(workspace, repo))) {
                lists.add(new RankedList<>(
                        repo,
                        1.0,
                        index.search().searchFiles(new SearchQuery(text, Set.of(repo), k, SearchMode.HYBRID))));
            }
        }
        return ReciprocalRankFusion.fuse(lists, ReciprocalRankFusion.DEFAULT_K).stream()
                .limit(k)
                .map(Fused::item)
                .toList();
    }

    /** A file of a repository at its indexed commit, as the portal's code view shows it. */
    public record IndexedFile(String workspace, String repo, String path, String commit, String text) {}

    /**
     * The file {@code path} of {@code repo} at the commit its index was built from (what search hits
     * point at), for a caller who may read the workspace (outsiders 404, as for search). A repository
     * not yet indexed, a path that is not a file of that commit or a file over 1 MiB is a 404/400.
     */
    public IndexedFile indexedFile(Principal caller, String workspace, String repo, String path) {
        WorkspaceAccess.require(caller, workspace, WorkspaceRole.VIEWER);
        String commit = QuarkusTransaction.requiringNew()
                .call(() -> RepositoryEntity.byName(workspace, repo)
                        .filter(e -> e.indexedCommit != null)
                        .map(e -> Objects.requireNonNull(e.indexedCommit)))
                .orElseThrow(() -> ProblemException.notFound(
                        "Repository '" + repo + "' of workspace '" + workspace + "' with an indexed commit"));
        try (Repository git = new FileRepositoryBuilder()
                .setGitDir(sync.mirrorPath(workspace, repo).toFile())
                .setMustExist(true)
                .build()) {
            GitTree tree = new GitTree(git, commit);
            if (path.isBlank() || !tree.isFile(path)) {
                throw ProblemException.notFound("File '" + path + "' of " + workspace + "/" + repo + " at " + commit);
            }
            return new IndexedFile(workspace, repo, path, commit, tree.read(path));
        } catch (dev.drydock.server.agent.tool.ToolFailure e) {
            throw ProblemException.badRequest(Objects.requireNonNullElse(e.getMessage(), "invalid path"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the mirror of " + workspace + "/" + repo, e);
        }
    }

    /** A stored project overview and the classification of the files it was written from. */
    public record Overview(String text, Classification classification) {}

    /** The test command a workspace admin set for a registered repository, overriding detection. */
    public Optional<String> testCommand(String workspace, String name) {
        return RepositoryEntity.byName(workspace, name).map(e -> e.testCommand);
    }

    /** The stored overview of a repository's indexed commit, for sessions that start from that commit. */
    public Optional<Overview> indexedOverview(String workspace, String name, String commit) {
        return RepositoryEntity.byName(workspace, name)
                .filter(e -> commit.equals(e.indexedCommit) && e.overview != null)
                .map(e -> new Overview(
                        java.util.Objects.requireNonNull(e.overview),
                        Classification.parse(Objects.requireNonNullElse(e.overviewClassification, e.classification))
                                .orElseThrow()));
    }

    private List<String> readyRepos(String workspace) {
        return QuarkusTransaction.requiringNew()
                .call(() -> RepositoryEntity.<RepositoryEntity>list(
                                "workspace = ?1 and indexedCommit is not null order by name", workspace)
                        .stream()
                        .map(e -> e.name)
                        .filter(n -> Files.isDirectory(indexing.indexPath(workspace, n)))
                        .toList());
    }

    private static void validateQuery(String text, int k) {
        if (text == null || text.isBlank()) {
            throw ProblemException.badRequest("q (the search text) is required");
        }
        if (text.length() > 10_000) {
            throw ProblemException.badRequest("q is too long (" + text.length() + " characters; at most 10000)");
        }
        if (k < 1 || k > 100) {
            throw ProblemException.badRequest("k must be between 1 and 100");
        }
    }
}
