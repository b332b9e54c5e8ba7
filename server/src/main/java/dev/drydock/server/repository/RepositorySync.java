package dev.drydock.server.repository;

import dev.drydock.search.IndexProgress;
import dev.drydock.search.IndexReport;
import dev.drydock.search.IndexRequest;
import dev.drydock.server.agent.context.ProjectOverview;
import dev.drydock.server.agent.tool.TestCommands;
import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.classification.Classification;
import dev.drydock.server.egress.EgressGuard;
import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.secret.WorkspaceSecrets;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * Keeps each registered repository's bare mirror and index current: a sync fetches into the mirror
 * ({@link RepositoryMirror}), re-indexes incrementally when the branch moved ({@link
 * RepositoryIndexing}) and stores the project overview of the indexed commit. Syncs run on virtual
 * threads, one at a time per repository, on request and on the configured fetch interval, with
 * bounded retries.
 */
@ApplicationScoped
public class RepositorySync {
    private static final Logger LOG = Logger.getLogger(RepositorySync.class);

    @Inject
    RepositoryConfig config;

    @Inject
    AuditTrail audit;

    @Inject
    RepositorySummaries summaries;

    @Inject
    EgressGuard egress;

    @Inject
    WorkspaceSecrets secrets;

    @Inject
    RepositoryIndexing indexing;

    @Inject
    RepositorySourceChecks checks;

    private final ExecutorService syncs = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("repo-sync-", 0).factory());
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Map<String, Future<?>> running = new ConcurrentHashMap<>();

    /** The server's bare mirror of a repository (sandboxes are filled from here). */
    public Path mirrorPath(String workspace, String name) {
        return Path.of(config.dataDir())
                .toAbsolutePath()
                .resolve("mirrors")
                .resolve(workspace)
                .resolve(name + ".git");
    }

    /**
     * Removes the mirror and the index of a repository, under its sync lock, after {@code first} ran
     * under the same lock (a removal deletes the registration there). A new registration calls this
     * with nothing first: a mirror or index left under its name by an earlier registration the
     * database no longer knows (a restored database, a reinstall) may belong to another source or an
     * older index format.
     */
    void removeFiles(String workspace, String name, Runnable first) {
        ReentrantLock lock = lockOf(workspace, name);
        lock.lock();
        try {
            first.run();
            RepositoryMirror.deleteTree(mirrorPath(workspace, name));
            indexing.delete(workspace, name);
        } catch (IOException e) {
            LOG.warnf("could not remove the files of %s/%s: %s", workspace, name, e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /** Fetches every remote repository on the configured interval; re-indexes when a branch moved. */
    @Scheduled(
            every = "${drydock.repos.fetch-interval}",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void fetchAll() {
        outages.run(() -> {
            List<RepositoryEntity> all =
                    QuarkusTransaction.requiringNew().call(() -> RepositoryEntity.<RepositoryEntity>listAll());
            for (RepositoryEntity e : all) {
                scheduleSync(e.workspace, e.name);
            }
        });
    }

    private final dev.drydock.server.problem.OutageLog outages =
            new dev.drydock.server.problem.OutageLog(LOG, "repository fetch schedule");

    void stop(@Observes ShutdownEvent event) {
        syncs.shutdownNow();
    }

    /** Runs (or joins) the sync of one repository in the background; returns its future. */
    public Future<?> scheduleSync(String workspace, String name) {
        return scheduleSync(workspace, name, 1);
    }

    /** The sync of one repository running now, if any (a push webhook waits for it, then syncs again). */
    public Optional<Future<?>> runningSync(String workspace, String name) {
        Future<?> current = running.get(workspace + "/" + name);
        return current == null || current.isDone() ? Optional.empty() : Optional.of(current);
    }

    private Future<?> scheduleSync(String workspace, String name, int attempt) {
        String key = workspace + "/" + name;
        return running.compute(
                key,
                (k, current) -> current != null && !current.isDone()
                        ? current
                        : syncs.submit(() -> {
                            if (!sync(workspace, name, attempt) && attempt < SYNC_RETRIES.size() + 1) {
                                Duration delay = SYNC_RETRIES.get(attempt - 1);
                                CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS, syncs)
                                        .execute(() -> scheduleSync(workspace, name, attempt + 1));
                            }
                        }));
    }

    /** Pauses before each automatic retry of a failed sync; after the last, the next scheduled fetch or a manual sync tries again. */
    static final List<Duration> SYNC_RETRIES =
            List.of(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2));

    /** Returns false when the sync failed (its status then says why). */
    private boolean sync(String workspace, String name, int attempt) {
        ReentrantLock lock = lockOf(workspace, name);
        lock.lock();
        try {
            RepositoryEntity e = RepositoryEntity.byName(workspace, name).orElse(null);
            if (e == null) {
                return true;
            }
            status(workspace, name, "fetching", null, 0);
            String source = e.sourceUrl != null
                    ? e.sourceUrl
                    : Path.of(e.sourcePath).toUri().toString();
            if (e.sourceUrl != null) {
                checks.url(e.sourceUrl);
                egress.check(URI.create(e.sourceUrl), "git fetch " + workspace + "/" + name);
            } else {
                checks.path(
                        workspace,
                        java.util.Objects.requireNonNull(e.sourcePath, "a repository without a url has a path"));
            }
            String token = null;
            if (e.credentialsSecret != null) {
                checks.credentials(workspace, e.credentialsSecret, e.sourceUrl);
                token = secrets.reveal(workspace, e.credentialsSecret)
                        .orElseThrow(() -> ProblemException.badRequest("the workspace secret '" + e.credentialsSecret
                                + "' no longer exists; store it again (PUT /api/workspaces/" + workspace + "/secrets/"
                                + e.credentialsSecret + ")"));
            }
            String head = RepositoryMirror.sync(mirrorPath(workspace, name), source, e.branch, token);
            QuarkusTransaction.requiringNew()
                    .run(() -> RepositoryEntity.update(
                            "mirrorCommit = ?1, updatedAt = ?2 where workspace = ?3 and name = ?4",
                            head,
                            Instant.now(),
                            workspace,
                            name));
            if (head.equals(e.indexedCommit) && Files.isDirectory(indexing.indexPath(workspace, name))) {
                if (e.overview == null) {
                    RepositoryContent.Overview overview = overview(e, head);
                    QuarkusTransaction.requiringNew()
                            .run(() -> RepositoryEntity.update(
                                    "overview = ?1, overviewClassification = ?2 where workspace = ?3 and name = ?4",
                                    overview.text(),
                                    overview.classification().label(),
                                    workspace,
                                    name));
                }
                status(workspace, name, "ready", "up to date at " + head.substring(0, 12), 1);
                indexing.scheduleVectors(workspace, name, indexRequest(workspace, name, head));
                return true;
            }
            status(workspace, name, "indexing", null, 0);
            IndexRequest request = indexRequest(workspace, name, head);
            IndexProgress progress =
                    (done, total, seconds) -> progress(workspace, name, total == 0 ? 0 : (double) done / total);
            IndexReport report = indexing.index(workspace, name, request, progress);
            RepositoryContent.Overview overview = overview(e, head);
            QuarkusTransaction.requiringNew()
                    .run(() -> RepositoryEntity.update(
                            "indexedCommit = ?1, files = ?2, chunks = ?3, status = 'ready', statusDetail = ?4, progress = 1, updatedAt = ?5, overview = ?8, overviewClassification = ?9 where workspace = ?6 and name = ?7",
                            head,
                            report.files(),
                            report.chunks(),
                            String.format(
                                    "indexed %s: %d files (%d changed, %d deleted, %d skipped%s) in %.1f s",
                                    head.substring(0, 12),
                                    report.files(),
                                    report.changed(),
                                    report.deleted(),
                                    report.skippedTotal(),
                                    skipReasons(report),
                                    report.seconds()),
                            Instant.now(),
                            workspace,
                            name,
                            overview.text(),
                            overview.classification().label()));
            audit.append(AuditEntry.of("system", "repository.indexed", workspace + "/" + name)
                    .inWorkspace(workspace)
                    .with("commit", head)
                    .with("files", report.files()));
            indexing.scheduleVectors(workspace, name, request);
            return true;
        } catch (Exception ex) {
            String detail = ex instanceof ProblemException p ? p.problem().detail() : failure(ex);
            String retry = attempt <= SYNC_RETRIES.size()
                    ? "; retrying in " + SYNC_RETRIES.get(attempt - 1).toSeconds() + " s (attempt " + (attempt + 1)
                            + " of " + (SYNC_RETRIES.size() + 1) + ")"
                    : "; gave up after " + attempt + " attempts: sync again once the cause is fixed";
            // the reason in words; the stack trace only for whoever turns on debug logging
            LOG.warnf("sync of %s/%s failed (attempt %d): %s", workspace, name, attempt, detail);
            LOG.debugf(ex, "sync of %s/%s failed", workspace, name);
            status(workspace, name, "failed", detail + retry, 0);
            return false;
        } finally {
            lock.unlock();
        }
    }

    private IndexRequest indexRequest(String workspace, String name, String head) {
        return new IndexRequest(
                mirrorPath(workspace, name),
                name,
                head,
                dev.drydock.search.ingest.IngestPolicy.defaults(),
                config.indexThreads());
    }

    /** The skipped files by reason, e.g. {@code ": 3 binary, 2 object missing (partial clone)"}; empty when none. */
    private static String skipReasons(IndexReport report) {
        if (report.skipped().isEmpty()) {
            return "";
        }
        return ": "
                + String.join(
                        ", ",
                        new java.util.TreeMap<>(report.skipped())
                                .entrySet().stream()
                                        .map(e ->
                                                e.getValue() + " " + e.getKey().label())
                                        .toList());
    }

    /**
     * A failure in words: each distinct message along the cause chain, and the kind of error where a
     * cause has no message (an I/O error without text used to show as "null").
     */
    static String failure(Throwable ex) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = ex; t != null && parts.size() < 4; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null
                            || t.getMessage().isBlank()
                            || t.getMessage().equals("null")
                    ? describeKind(t)
                    : t.getMessage().replace(": null", "");
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

    /**
     * The project overview of one commit of the mirror, from git objects (no checkout); what droids
     * get as context. It is classified by the files it was written from, and the model summary is
     * requested at that classification.
     */
    private RepositoryContent.Overview overview(RepositoryEntity e, String commit) throws IOException {
        try (Repository repo = new FileRepositoryBuilder()
                .setGitDir(mirrorPath(e.workspace, e.name).toFile())
                .setMustExist(true)
                .build()) {
            LabelledTree tree = new LabelledTree(new GitTree(repo, commit), RepositoryView.labels(e));
            String facts = ProjectOverview.compute(tree, TestCommands.detect(tree, Optional.ofNullable(e.testCommand)));
            String readme = tree.isFile("README.md") ? tree.read("README.md") : "";
            Classification level = tree.highestRead();
            String text = summaries
                    .summarize(e.workspace, e.name, level, facts, readme)
                    .map(summary -> facts + "\n## Summary (written by a model when the repository was indexed)\n\n"
                            + summary + "\n")
                    .orElse(facts);
            return new RepositoryContent.Overview(text, level);
        }
    }

    private void status(String workspace, String name, String status, @Nullable String detail, double progress) {
        QuarkusTransaction.requiringNew()
                .run(() -> RepositoryEntity.update(
                        "status = ?1, statusDetail = ?2, progress = ?3, updatedAt = ?4 where workspace = ?5 and name = ?6",
                        status,
                        detail,
                        progress,
                        Instant.now(),
                        workspace,
                        name));
    }

    private void progress(String workspace, String name, double fraction) {
        QuarkusTransaction.requiringNew()
                .run(() -> RepositoryEntity.update(
                        "progress = ?1 where workspace = ?2 and name = ?3", fraction, workspace, name));
    }

    private ReentrantLock lockOf(String workspace, String name) {
        return locks.computeIfAbsent(workspace + "/" + name, k -> new ReentrantLock());
    }
}
