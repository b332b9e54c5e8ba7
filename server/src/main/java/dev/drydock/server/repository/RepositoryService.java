package dev.drydock.server.repository;

import dev.drydock.search.FileHit;
import dev.drydock.search.Hit;
import dev.drydock.search.IndexProgress;
import dev.drydock.search.IndexReport;
import dev.drydock.search.IndexRequest;
import dev.drydock.search.SearchMode;
import dev.drydock.search.SearchQuery;
import dev.drydock.search.fusion.Fused;
import dev.drydock.search.fusion.RankedList;
import dev.drydock.search.fusion.ReciprocalRankFusion;
import dev.drydock.server.agent.context.ProjectOverview;
import dev.drydock.server.agent.tool.TestCommands;
import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.WorkspaceAccess;
import dev.drydock.server.auth.WorkspaceRole;
import dev.drydock.server.problem.Problem;
import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.classification.Classification;
import dev.drydock.server.secret.WorkspaceSecrets;
import dev.drydock.server.workspace.WorkspaceService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Repositories of a workspace: registration (allow-listed hosts or local roots only), the server's
 * mirror, incremental indexing after each fetch, and search limited to the workspace's repositories.
 */
@ApplicationScoped
public class RepositoryService {
    private static final Logger LOG = Logger.getLogger(RepositoryService.class);

    @Inject RepositoryConfig config;
    @Inject WorkspaceService workspaces;
    @Inject AuditTrail audit;
    @Inject RepositorySummaries summaries;
    @Inject OpenIndexes openIndexes;
    @Inject dev.drydock.server.egress.EgressGuard egress;
    @Inject RepositorySources sources;
    @Inject WorkspaceSecrets secrets;
    @Inject RepositoryIndexing indexing;

    private final ExecutorService syncs = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("repo-sync-", 0).factory());
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Map<String, Future<?>> running = new ConcurrentHashMap<>();

    /** Body of a registration. Exactly one of url and path. */
    public record Registration(String name, @Nullable String url, @Nullable String path, @Nullable String branch,
            @Nullable String classification, @Nullable String credentialsSecret, @Nullable String testCommand,
            @Nullable List<PathLabels.Label> pathLabels) {}

    public RepositoryView register(Principal caller, String workspace, Registration r) {
        WorkspaceAccess.require(caller, workspace, WorkspaceRole.ADMIN);
        if (r == null) {
            throw ProblemException.badRequest("a body with name and url or path is required");
        }
        if (r.name() == null || !r.name().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}") || r.name().contains("..")) {
            throw ProblemException.badRequest("name must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if ((r.url() == null) == (r.path() == null)) {
            throw ProblemException.badRequest("give exactly one of url (a git server on the allow-list) or path (a folder under a configured local root)");
        }
        String branch = r.branch() == null || r.branch().isBlank() ? "main" : r.branch().strip();
        if (!branch.matches("[A-Za-z0-9][A-Za-z0-9._/-]{0,199}") || branch.contains("..")) {
            throw ProblemException.badRequest("branch '" + branch + "' is not a valid branch name");
        }
        String workspaceClassification = workspaces.find(workspace).classification;
        String classification = r.classification() == null ? workspaceClassification : r.classification();
        if (Classification.parse(classification).isEmpty()) {
            throw ProblemException.badRequest("classification must be one of public, internal, confidential, secret");
        }
        PathLabels pathLabels = PathLabels.validated(Classification.parse(classification).orElseThrow(), r.pathLabels());
        String credentialsSecret = r.credentialsSecret() == null || r.credentialsSecret().isBlank() ? null : r.credentialsSecret().strip();
        if (credentialsSecret != null) {
            checkCredentials(workspace, credentialsSecret, r.url());
        }
        String testCommand = r.testCommand() == null || r.testCommand().isBlank() ? null : r.testCommand().strip();
        if (testCommand != null && (testCommand.length() > 500 || testCommand.contains("\n") || testCommand.contains("\0"))) {
            throw ProblemException.badRequest("testCommand must be one line of at most 500 characters");
        }
        String url = r.url() == null ? null : checkUrl(r.url());
        String path = r.path() == null ? null : checkPath(workspace, r.path()).toString();
        RepositoryEntity saved = QuarkusTransaction.requiringNew().call(() -> {
            if (RepositoryEntity.find("workspace = ?1 and name = ?2", workspace, r.name()).firstResult() != null) {
                throw ProblemException.conflict("Repository '" + r.name() + "' already exists in workspace '" + workspace + "'.");
            }
            RepositoryEntity e = new RepositoryEntity();
            e.workspace = workspace;
            e.name = r.name();
            e.sourceUrl = url;
            e.sourcePath = path;
            e.branch = branch;
            e.classification = classification;
            e.credentialsSecret = credentialsSecret;
            e.testCommand = testCommand;
            e.pathLabels = pathLabels.toJson();
            e.status = "registered";
            e.createdAt = Instant.now();
            e.updatedAt = e.createdAt;
            e.persist();
            return e;
        });
        audit.append(AuditEntry.of(caller.subject(), "repository.registered", workspace + "/" + r.name()).inWorkspace(workspace)
                .with("source", RepositoryMirror.describe(Objects.requireNonNull(url != null ? url : path, "a repository has a url or a path"))).with("branch", branch).with("classification", classification)
                .with("pathLabels", pathLabels.toJson()));
        discardLeftovers(workspace, r.name());
        scheduleSync(workspace, r.name());
        return RepositoryView.of(saved);
    }

    /**
     * A new registration starts from nothing: a mirror or index left under its name by an earlier
     * registration the database no longer knows (a restored database, a reinstall) may belong to
     * another source or an older index format, and is removed before the first sync.
     */
    private void discardLeftovers(String workspace, String name) {
        ReentrantLock lock = lockOf(workspace, name);
        lock.lock();
        try {
            deleteFiles(workspace, name);
        } catch (IOException e) {
            LOG.warnf("could not remove files left by an earlier %s/%s: %s", workspace, name, e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /** The mirror and the index of a repository; callers hold its lock. */
    private void deleteFiles(String workspace, String name) throws IOException {
        RepositoryMirror.deleteTree(mirrorPath(workspace, name));
        indexing.delete(workspace, name);
    }

    public List<RepositoryView> list(Principal caller, String workspace) {
        WorkspaceAccess.require(caller, workspace, WorkspaceRole.VIEWER);
        return QuarkusTransaction.requiringNew().call(() ->
                RepositoryEntity.<RepositoryEntity>list("workspace = ?1 order by name", workspace).stream().map(this::view).toList());
    }

    public RepositoryView get(Principal caller, String workspace, String name) {
        WorkspaceAccess.require(caller, workspace, WorkspaceRole.VIEWER);
        return view(find(workspace, name));
    }

    private RepositoryView view(RepositoryEntity e) {
        return RepositoryView.of(e, indexing.vectors(e.workspace, e.name).orElse(null));
    }

    /** Starts a fetch + incremental re-index (webhook or button); members and automation accounts in the workspace. */
    public RepositoryView requestSync(Principal caller, String workspace, String name) {
        WorkspaceAccess.require(caller, workspace, WorkspaceRole.MEMBER);
        RepositoryEntity e = find(workspace, name);
        audit.append(AuditEntry.of(caller.subject(), "repository.sync-requested", workspace + "/" + name).inWorkspace(workspace));
        scheduleSync(workspace, name);
        return RepositoryView.of(e);
    }

    public void delete(Principal caller, String workspace, String name) {
        WorkspaceAccess.require(caller, workspace, WorkspaceRole.ADMIN);
        find(workspace, name);
        ReentrantLock lock = lockOf(workspace, name);
        lock.lock();
        try {
            QuarkusTransaction.requiringNew().run(() -> RepositoryEntity.delete("workspace = ?1 and name = ?2", workspace, name));
            deleteFiles(workspace, name);
        } catch (IOException e) {
            LOG.warnf("could not remove the files of %s/%s: %s", workspace, name, e.getMessage());
        } finally {
            lock.unlock();
        }
        audit.append(AuditEntry.of(caller.subject(), "repository.deleted", workspace + "/" + name).inWorkspace(workspace));
    }

    /**
     * Replaces the classification labels on a repository's paths (workspace admins). The stored
     * project overview was classified with the old labels, so it is recomputed by a sync started
     * here; sessions started from now on withhold and classify by the new labels.
     */
    public RepositoryView updatePathLabels(Principal caller, String workspace, String name, @Nullable List<PathLabels.Label> requested) {
        WorkspaceAccess.require(caller, workspace, WorkspaceRole.ADMIN);
        if (requested == null) {
            throw ProblemException.badRequest("the body is a JSON list of {\"path\": glob, \"classification\": label}; [] removes every label");
        }
        RepositoryEntity e = find(workspace, name);
        PathLabels labels = PathLabels.validated(Classification.parse(e.classification).orElseThrow(), requested);
        QuarkusTransaction.requiringNew().run(() -> RepositoryEntity.update(
                "pathLabels = ?1, overview = null, overviewClassification = null, updatedAt = ?2 where workspace = ?3 and name = ?4",
                labels.toJson(), Instant.now(), workspace, name));
        audit.append(AuditEntry.of(caller.subject(), "repository.path-labels-changed", workspace + "/" + name).inWorkspace(workspace)
                .with("before", e.pathLabels).with("after", labels.toJson()));
        scheduleSync(workspace, name);
        return RepositoryView.of(find(workspace, name));
    }

    /** Names of the repositories registered in {@code workspace}, sorted (no access check: callers check theirs). */
    public List<String> registeredNames(String workspace) {
        return QuarkusTransaction.requiringNew().call(() -> RepositoryEntity.<RepositoryEntity>list("workspace = ?1 order by name", workspace)
                .stream().map(e -> e.name).toList());
    }

    /** The labels of a registered repository and its paths. */
    public Optional<PathLabels> pathLabels(String workspace, String name) {
        return entity(workspace, name).map(RepositoryView::labels);
    }

    /**
     * What a session at {@code commit} whose models are cleared up to {@code clearance} may hold: the
     * paths to withhold from its sandbox (labelled above the clearance), and the highest label among
     * the files it does get, which is the classification of anything a command in its sandbox prints.
     * Empty when the repository is not registered (then it has no labels).
     */
    public Optional<SessionContent> sessionContent(String workspace, String name, String commit, Classification clearance) {
        return pathLabels(workspace, name).map(labels -> sessionContent(workspace, name, commit, labels, clearance));
    }

    private SessionContent sessionContent(String workspace, String name, String commit, PathLabels labels, Classification clearance) {
        List<dev.drydock.sandbox.PathPattern> withheld = labels.above(clearance);
        if (labels.labels().isEmpty()) {
            return new SessionContent(labels, withheld, labels.base(), 0);
        }
        try (Repository repo = new FileRepositoryBuilder().setGitDir(mirrorPath(workspace, name).toFile()).setMustExist(true).build()) {
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
    public record SessionContent(PathLabels labels, List<dev.drydock.sandbox.PathPattern> withheld, Classification highestPresent, int withheldFiles) {}

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
            try (OpenIndexes.Lease index = openIndexes.lease(indexPath(workspace, repo))) {
                List<String> files = new ArrayList<>();
                for (Hit h : index.search().passages(new SearchQuery(text, Set.of(repo), k, SearchMode.HYBRID), CHUNKS_PER_FILE)) {
                    String file = h.repo() + "\0" + h.path();
                    if (!byFile.containsKey(file)) {
                        files.add(file);
                    }
                    byFile.computeIfAbsent(file, f -> new ArrayList<>()).add(h);
                }
                lists.add(new RankedList<>(repo, 1.0, files));
            }
        }
        return ReciprocalRankFusion.fuse(lists, ReciprocalRankFusion.DEFAULT_K).stream().limit(k)
                .flatMap(f -> Objects.requireNonNull(byFile.get(f.item())).stream()).toList();
    }

    /** File-level view: which files to open for this task. */
    public List<FileHit> searchFiles(Principal caller, String workspace, String text, int k) {
        WorkspaceAccess.require(caller, workspace, WorkspaceRole.VIEWER);
        validateQuery(text, k);
        List<RankedList<FileHit>> lists = new ArrayList<>();
        for (String repo : readyRepos(workspace)) {
            try (OpenIndexes.Lease index = openIndexes.lease(indexPath(workspace, repo))) {
                lists.add(new RankedList<>(repo, 1.0, index.search().searchFiles(new SearchQuery(text, Set.of(repo), k, SearchMode.HYBRID))));
            }
        }
        return ReciprocalRankFusion.fuse(lists, ReciprocalRankFusion.DEFAULT_K).stream().limit(k).map(Fused::item).toList();
    }

    /** The server's bare mirror of a repository (sandboxes are filled from here). */
    public Path mirrorPath(String workspace, String name) {
        return Path.of(config.dataDir()).toAbsolutePath().resolve("mirrors").resolve(workspace).resolve(name + ".git");
    }

    Path indexPath(String workspace, String name) {
        return indexing.indexPath(workspace, name);
    }

    /**
     * The project overview of one commit of the mirror, from git objects (no checkout); what droids
     * get as context. It is classified by the files it was written from, and the model summary is
     * requested at that classification.
     */
    private Overview overview(RepositoryEntity e, String commit) throws IOException {
        try (Repository repo = new FileRepositoryBuilder().setGitDir(mirrorPath(e.workspace, e.name).toFile()).setMustExist(true).build()) {
            LabelledTree tree = new LabelledTree(new GitTree(repo, commit), RepositoryView.labels(e));
            String facts = ProjectOverview.compute(tree, TestCommands.detect(tree, Optional.ofNullable(e.testCommand)));
            String readme = tree.isFile("README.md") ? tree.read("README.md") : "";
            Classification level = tree.highestRead();
            String text = summaries.summarize(e.workspace, e.name, level, facts, readme)
                    .map(summary -> facts + "\n## Summary (written by a model when the repository was indexed)\n\n" + summary + "\n")
                    .orElse(facts);
            return new Overview(text, level);
        }
    }

    /** A stored project overview and the classification of the files it was written from. */
    public record Overview(String text, Classification classification) {}

    /**
     * Where a registered repository comes from: its git URL (null for a local path), its default
     * branch and the name of its credential (never the credential).
     */
    public record Upstream(@Nullable String url, @Nullable String path, String defaultBranch, @Nullable String credentialsSecret) {}

    /** The upstream of a registered repository (delivery pushes there). */
    public Optional<Upstream> upstream(String workspace, String name) {
        return entity(workspace, name).map(e -> new Upstream(e.sourceUrl, e.sourcePath, e.branch, e.credentialsSecret));
    }

    /** A URL of a git server (its web API too) whose host is on the git allow-list, or a 4xx problem. */
    public String checkServerUrl(String url) {
        return checkUrl(url);
    }

    /** The test command a workspace admin set for a registered repository, overriding detection. */
    public Optional<String> testCommand(String workspace, String name) {
        return entity(workspace, name).map(e -> e.testCommand);
    }

    /** The stored overview of a repository's indexed commit, for sessions that start from that commit. */
    public Optional<Overview> indexedOverview(String workspace, String name, String commit) {
        return entity(workspace, name).filter(e -> commit.equals(e.indexedCommit) && e.overview != null)
                .map(e -> new Overview(Objects.requireNonNull(e.overview), Classification.parse(Objects.requireNonNullElse(e.overviewClassification, e.classification)).orElseThrow()));
    }

    /** Fetches every remote repository on the configured interval; re-indexes when a branch moved. */
    @Scheduled(every = "${drydock.repos.fetch-interval:15m}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void fetchAll() {
        List<RepositoryEntity> all = QuarkusTransaction.requiringNew().call(() -> RepositoryEntity.<RepositoryEntity>listAll());
        for (RepositoryEntity e : all) {
            scheduleSync(e.workspace, e.name);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        syncs.shutdownNow();
    }

    /** Runs (or joins) the sync of one repository in the background; returns its future. */
    public Future<?> scheduleSync(String workspace, String name) {
        return scheduleSync(workspace, name, 1);
    }

    private Future<?> scheduleSync(String workspace, String name, int attempt) {
        String key = workspace + "/" + name;
        return running.compute(key, (k, current) -> current != null && !current.isDone() ? current : syncs.submit(() -> {
            if (!sync(workspace, name, attempt) && attempt < SYNC_RETRIES.size() + 1) {
                Duration delay = SYNC_RETRIES.get(attempt - 1);
                CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS, syncs).execute(() -> scheduleSync(workspace, name, attempt + 1));
            }
        }));
    }

    /** Pauses before each automatic retry of a failed sync; after the last, the next scheduled fetch or a manual sync tries again. */
    static final List<Duration> SYNC_RETRIES = List.of(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2));

    /** Returns false when the sync failed (its status then says why). */
    private boolean sync(String workspace, String name, int attempt) {
        ReentrantLock lock = lockOf(workspace, name);
        lock.lock();
        try {
            RepositoryEntity e = entity(workspace, name).orElse(null);
            if (e == null) {
                return true;
            }
            status(workspace, name, "fetching", null, 0);
            String source = e.sourceUrl != null ? e.sourceUrl : Path.of(e.sourcePath).toUri().toString();
            if (e.sourceUrl != null) {
                checkUrl(e.sourceUrl);
                egress.check(URI.create(e.sourceUrl), "git fetch " + workspace + "/" + name);
            } else {
                checkPath(workspace, Objects.requireNonNull(e.sourcePath, "a repository has a url or a path"));
            }
            String token = null;
            if (e.credentialsSecret != null) {
                checkCredentials(workspace, e.credentialsSecret, e.sourceUrl);
                token = secrets.reveal(workspace, e.credentialsSecret).orElseThrow(() -> ProblemException.badRequest(
                        "the workspace secret '" + e.credentialsSecret + "' no longer exists; store it again (PUT /api/workspaces/" + workspace + "/secrets/"
                                + e.credentialsSecret + ")"));
            }
            String head = RepositoryMirror.sync(mirrorPath(workspace, name), source, e.branch, token);
            QuarkusTransaction.requiringNew().run(() -> RepositoryEntity.update("mirrorCommit = ?1, updatedAt = ?2 where workspace = ?3 and name = ?4", head, Instant.now(), workspace, name));
            if (head.equals(e.indexedCommit) && Files.isDirectory(indexPath(workspace, name))) {
                if (e.overview == null) {
                    Overview overview = overview(e, head);
                    QuarkusTransaction.requiringNew().run(() -> RepositoryEntity.update("overview = ?1, overviewClassification = ?2 where workspace = ?3 and name = ?4",
                            overview.text(), overview.classification().label(), workspace, name));
                }
                status(workspace, name, "ready", "up to date at " + head.substring(0, 12), 1);
                indexing.scheduleVectors(workspace, name, indexRequest(workspace, name, head));
                return true;
            }
            status(workspace, name, "indexing", null, 0);
            IndexRequest request = indexRequest(workspace, name, head);
            IndexProgress progress = (done, total, seconds) -> progress(workspace, name, total == 0 ? 0 : (double) done / total);
            IndexReport report = indexing.index(workspace, name, request, progress);
            Overview overview = overview(e, head);
            QuarkusTransaction.requiringNew().run(() -> RepositoryEntity.update(
                    "indexedCommit = ?1, files = ?2, chunks = ?3, status = 'ready', statusDetail = ?4, progress = 1, updatedAt = ?5, overview = ?8, overviewClassification = ?9 where workspace = ?6 and name = ?7",
                    head, report.files(), report.chunks(),
                    String.format("indexed %s: %d files (%d changed, %d deleted, %d skipped%s) in %.1f s", head.substring(0, 12), report.files(), report.changed(), report.deleted(),
                            report.skippedTotal(), skipReasons(report), report.seconds()),
                    Instant.now(), workspace, name, overview.text(), overview.classification().label()));
            audit.append(AuditEntry.of("system", "repository.indexed", workspace + "/" + name).inWorkspace(workspace).with("commit", head).with("files", report.files()));
            indexing.scheduleVectors(workspace, name, request);
            return true;
        } catch (Exception ex) {
            String detail = ex instanceof ProblemException p ? p.problem().detail() : failure(ex);
            String retry = attempt <= SYNC_RETRIES.size()
                    ? "; retrying in " + SYNC_RETRIES.get(attempt - 1).toSeconds() + " s (attempt " + (attempt + 1) + " of " + (SYNC_RETRIES.size() + 1) + ")"
                    : "; gave up after " + attempt + " attempts: sync again once the cause is fixed";
            LOG.warnf(ex, "sync of %s/%s failed (attempt %d): %s", workspace, name, attempt, detail);
            status(workspace, name, "failed", detail + retry, 0);
            return false;
        } finally {
            lock.unlock();
        }
    }

    private IndexRequest indexRequest(String workspace, String name, String head) {
        return new IndexRequest(mirrorPath(workspace, name), name, head, dev.drydock.search.ingest.IngestPolicy.defaults(), config.indexThreads());
    }

    /** The skipped files by reason, e.g. {@code ": 3 binary, 2 object missing (partial clone)"}; empty when none. */
    private static String skipReasons(IndexReport report) {
        if (report.skipped().isEmpty()) {
            return "";
        }
        return ": " + String.join(", ", new java.util.TreeMap<>(report.skipped()).entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey().label()).toList());
    }

    /**
     * A failure in words: each distinct message along the cause chain, and the kind of error where a
     * cause has no message (an I/O error without text used to show as "null").
     */
    static String failure(@Nullable Throwable ex) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = ex; t != null && parts.size() < 4; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null || t.getMessage().isBlank() || t.getMessage().equals("null")
                    ? describeKind(t) : t.getMessage().replace(": null", "");
            if (parts.stream().noneMatch(p -> p.contains(message))) {
                parts.add(message);
            }
        }
        return String.join(": ", parts);
    }

    private static String describeKind(Throwable t) {
        return switch (t) {
            case java.nio.channels.ClosedByInterruptException e -> "reading was interrupted";
            case java.nio.file.NoSuchFileException e -> "file not found";
            case java.nio.file.AccessDeniedException e -> "permission denied";
            case IOException e -> "I/O error (" + t.getClass().getSimpleName() + ")";
            default -> t.getClass().getSimpleName();
        };
    }

    private void status(String workspace, String name, String status, @Nullable String detail, double progress) {
        QuarkusTransaction.requiringNew().run(() -> RepositoryEntity.update("status = ?1, statusDetail = ?2, progress = ?3, updatedAt = ?4 where workspace = ?5 and name = ?6",
                status, detail, progress, Instant.now(), workspace, name));
    }

    private void progress(String workspace, String name, double fraction) {
        QuarkusTransaction.requiringNew().run(() -> RepositoryEntity.update("progress = ?1 where workspace = ?2 and name = ?3", fraction, workspace, name));
    }

    private List<String> readyRepos(String workspace) {
        return QuarkusTransaction.requiringNew().call(() -> RepositoryEntity.<RepositoryEntity>list("workspace = ?1 and indexedCommit is not null order by name", workspace)
                .stream().map(e -> e.name).filter(n -> Files.isDirectory(indexPath(workspace, n))).toList());
    }

    private RepositoryEntity find(String workspace, String name) {
        return entity(workspace, name).orElseThrow(() -> ProblemException.notFound("Repository '" + name + "' in workspace '" + workspace + "'"));
    }

    private Optional<RepositoryEntity> entity(String workspace, String name) {
        return QuarkusTransaction.requiringNew().call(() -> RepositoryEntity.<RepositoryEntity>find("workspace = ?1 and name = ?2", workspace, name).firstResultOptional());
    }

    private ReentrantLock lockOf(String workspace, String name) {
        return locks.computeIfAbsent(workspace + "/" + name, k -> new ReentrantLock());
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

    /** A git URL whose host is on the allow-list, over https, ssh or git. */
    String checkUrl(String url) {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("url is not a valid URL: " + e.getMessage());
        }
        String scheme = String.valueOf(uri.getScheme());
        if (!Set.of("https", "http", "ssh", "git").contains(scheme) || uri.getHost() == null) {
            throw ProblemException.badRequest("url must be an https://, ssh:// or git:// URL of an internal git server");
        }
        List<String> allowed = sources.allowedHosts();
        if (!allowed.contains(uri.getHost().toLowerCase(java.util.Locale.ROOT))) {
            audit.append(AuditEntry.of("system", "egress.refused", uri.getHost()).with("purpose", "repository"));
            throw new ProblemException(Problem.of(422, "host-not-allowed", "Host not allowed",
                    "Git host '" + uri.getHost() + "' is not on the allow-list (drydock.repos.allowed-hosts, or Sources in the portal's admin pages). Drydock contacts no other host."));
        }
        if (uri.getUserInfo() != null) {
            throw ProblemException.badRequest("do not put credentials in the url; name a secret in credentialsSecret instead");
        }
        return uri.toString();
    }

    /**
     * A repository credential names a secret the workspace itself stores, and is only ever sent over
     * an encrypted, authenticated channel: https:// or ssh:// (http:// only to this machine's loopback
     * interface, where it never crosses a network).
     */
    private void checkCredentials(String workspace, String secret, @Nullable String url) {
        if (url == null) {
            throw credentialsProblem("a repository registered by server path needs no credentials: leave credentialsSecret out");
        }
        if (!WorkspaceSecrets.NAME.matcher(secret).matches() || !secrets.exists(workspace, secret)) {
            throw credentialsProblem("workspace '" + workspace + "' has no secret '" + secret + "': credentialsSecret names a secret of this workspace"
                    + " (store it first with PUT /api/workspaces/" + workspace + "/secrets/{name}), not a server environment variable");
        }
        String scheme;
        String host;
        try {
            URI uri = URI.create(url.strip());
            scheme = String.valueOf(uri.getScheme()).toLowerCase(java.util.Locale.ROOT);
            host = String.valueOf(uri.getHost()).toLowerCase(java.util.Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("url is not a valid URL: " + e.getMessage());
        }
        boolean loopback = Set.of("localhost", "127.0.0.1", "[::1]").contains(host);
        if (!scheme.equals("https") && !scheme.equals("ssh") && !(scheme.equals("http") && loopback)) {
            throw credentialsProblem("credentials are only sent over https:// or ssh://; " + scheme + ":// would send them in the clear");
        }
    }

    private static ProblemException credentialsProblem(String message) {
        return new ProblemException(Problem.of(400, "invalid-repository-credentials", "Invalid repository credentials", message)
                .withErrors(List.of(new Problem.FieldError("credentialsSecret", message))));
    }

    /**
     * A folder under a local root that serves {@code workspace}; symbolic links may not lead out of
     * the root, and the repository's git objects, refs, alternates, gitdir and commondir may not lead
     * out of the folder ({@link GitDirContainment}).
     */
    Path checkPath(String workspace, String path) {
        List<String> roots = sources.localRootsFor(workspace);
        if (roots.isEmpty()) {
            throw new ProblemException(Problem.of(422, "path-not-allowed", "Local paths not allowed",
                    "Registering repositories by server path is switched off for workspace '" + workspace
                            + "': no local root serves it (drydock.repos.local-roots, or Sources in the portal's admin pages)."));
        }
        Path requested = Path.of(path);
        if (!requested.isAbsolute()) {
            throw ProblemException.badRequest("path must be absolute");
        }
        Path real;
        try {
            real = requested.toRealPath();
        } catch (IOException e) {
            throw ProblemException.badRequest("path '" + path + "' does not exist or is not readable");
        }
        for (String root : roots) {
            try {
                Path realRoot = Path.of(root).toRealPath();
                if (real.startsWith(realRoot) && Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
                    GitDirContainment.outside(real).ifPresent(escape -> {
                        throw new ProblemException(Problem.of(422, "path-not-allowed", "Repository leads out of its folder",
                                "the repository at '" + path + "' is refused: " + escape + ". Register a self-contained clone (git clone --no-local --no-shared)."));
                    });
                    return real;
                }
            } catch (IOException e) {
                // a configured root that does not exist allows nothing
            }
        }
        throw new ProblemException(Problem.of(422, "path-not-allowed", "Path not allowed",
                "path must be a folder under one of the local roots (drydock.repos.local-roots, or Sources in the portal's admin pages); links out of them are refused"));
    }
}
