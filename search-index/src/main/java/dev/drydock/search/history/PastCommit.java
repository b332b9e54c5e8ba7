package dev.drydock.search.history;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.util.io.DisabledOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * A commit of the indexed history (never a later one) as a document: its message and the files it
 * changed. A new task that reads like an old commit message likely touches the files that commit
 * touched (the "similar past reports" signal of bug localisation).
 *
 * @param id the commit id
 * @param message the full message
 * @param paths files the commit added or modified (not deleted)
 */
public record PastCommit(String id, String message, List<String> paths) {
    /** Commits read, newest first. */
    public static final int MAX_COMMITS = 2000;
    /** Commits touching more files are refactors or bulk edits, not evidence for one task. */
    public static final int MAX_FILES = 8;

    public PastCommit {
        paths = List.copyOf(paths);
    }

    /** A past commit matched by a query: its retrieval score and the files it changed. */
    public record Match(double score, List<String> paths) {
        public Match {
            paths = List.copyOf(paths);
        }
    }

    /**
     * Files of the matched commits, best first: each file scores Σ score / (files the commit
     * changed) over the commits that changed it, so a focused commit says more about each of its
     * files than a broad one. Only files {@code keep} accepts; at most {@code limit}; ties keep
     * first-seen order. A pure function.
     */
    public static List<String> rankFiles(List<Match> matches, Predicate<String> keep, int limit) {
        Map<String, Double> scores = new LinkedHashMap<>();
        for (Match match : matches) {
            if (match.paths().isEmpty()) {
                continue;
            }
            double share = match.score() / match.paths().size();
            for (String path : match.paths()) {
                if (keep.test(path)) {
                    scores.merge(path, share, Double::sum);
                }
            }
        }
        List<String> out = new ArrayList<>(scores.keySet());
        out.sort(Comparator.comparingDouble((String path) -> scores.get(path)).reversed());
        return List.copyOf(out.subList(0, Math.min(limit, out.size())));
    }

    /** The non-merge commits reachable from {@code head} that changed 1–{@value #MAX_FILES} files, newest first. */
    public static List<PastCommit> read(Repository repository, RevCommit head) throws IOException {
        return read(repository, head, null);
    }

    /**
     * Like {@link #read(Repository, RevCommit)}, but only the commits not reachable from
     * {@code since} (an earlier indexed commit, an ancestor of {@code head}): an update reads only
     * what is new.
     */
    public static List<PastCommit> read(Repository repository, RevCommit head, @Nullable ObjectId since)
            throws IOException {
        List<PastCommit> out = new ArrayList<>();
        try (RevWalk walk = new RevWalk(repository);
                DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
            diff.setRepository(repository);
            walk.markStart(walk.parseCommit(head));
            if (since != null) {
                walk.markUninteresting(walk.parseCommit(since));
            }
            int seen = 0;
            for (RevCommit commit : walk) {
                if (seen++ >= MAX_COMMITS) {
                    break;
                }
                if (commit.getParentCount() != 1) {
                    continue;
                }
                List<String> paths = CommitPaths.of(diff, commit, MAX_FILES);
                if (!paths.isEmpty()
                        && paths.size() <= MAX_FILES
                        && !commit.getFullMessage().isBlank()) {
                    out.add(new PastCommit(commit.getName(), commit.getFullMessage(), paths));
                }
            }
        }
        return out;
    }

    /**
     * {@code revision} as a commit when it is an ancestor of (or equal to) {@code head}; null when it
     * is null, not a commit of this repository, or on another line of history (then everything must
     * be read again, so no commit later than {@code head} stays indexed).
     */
    public static @Nullable ObjectId ancestor(Repository repository, @Nullable String revision, RevCommit head)
            throws IOException {
        if (revision == null || !ObjectId.isId(revision)) {
            return null;
        }
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit old = walk.parseCommit(ObjectId.fromString(revision));
            return walk.isMergedInto(old, walk.parseCommit(head)) ? old.copy() : null;
        } catch (org.eclipse.jgit.errors.MissingObjectException
                | org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
            return null;
        }
    }
}
