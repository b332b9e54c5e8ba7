package dev.drydock.server.delivery;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.blame.BlameResult;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.util.io.DisabledOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * Code churn of a merged droid change, counted on the server's mirror with JGit: the lines the droid's
 * commits added (diff of its base against its last pushed commit), and how many of them the default
 * branch still has, by blaming the default branch's head over the files the droid touched. A line
 * counts as the droid's when blame names one of the session's commits, or the merge request's own
 * commit when it was squashed (a one-parent merge commit). Pure JGit, no CDI.
 */
final class Churn {
    private Churn() {}

    /** Lines the droid added, and how many of them the default branch has now. */
    record Result(int linesAdded, int linesKept) {}

    /**
     * Measures, or answers empty when the mirror cannot tell yet: the pushed commit or the default
     * branch is missing, or the merge has not reached the mirror's default branch (the next sync
     * brings it).
     */
    static Optional<Result> measure(
            Path mirror, String sessionId, String pushedCommit, String defaultBranch, @Nullable String mergeCommit)
            throws IOException {
        try (Git git = Git.open(mirror.toFile());
                RevWalk walk = new RevWalk(git.getRepository())) {
            Repository repo = git.getRepository();
            ObjectId pushed = repo.resolve(pushedCommit + "^{commit}");
            ObjectId headId = repo.resolve("refs/heads/" + defaultBranch);
            if (pushed == null || headId == null) {
                return Optional.empty();
            }
            RevCommit head = walk.parseCommit(headId);
            RevCommit tip = walk.parseCommit(pushed);
            Set<ObjectId> droid = new HashSet<>();
            RevCommit base = tip;
            while (base.getParentCount() > 0
                    && sessionId.equals(
                            AgentCommits.trailers(base.getFullMessage()).get("Drydock-Session"))) {
                droid.add(base.copy());
                base = walk.parseCommit(base.getParent(0));
            }
            RevCommit merge = null;
            if (mergeCommit != null) {
                ObjectId m = repo.resolve(mergeCommit + "^{commit}");
                merge = m == null ? null : walk.parseCommit(m);
            }
            boolean landed = merge != null ? walk.isMergedInto(merge, head) : walk.isMergedInto(tip, head);
            if (!landed) {
                return Optional.empty();
            }
            if (merge != null && merge.getParentCount() == 1) {
                droid.add(merge.copy());
            }
            int added = 0;
            List<String> files = new java.util.ArrayList<>();
            try (DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
                diff.setRepository(repo);
                for (DiffEntry e : diff.scan(base.getTree(), tip.getTree())) {
                    if (e.getChangeType() == DiffEntry.ChangeType.DELETE) {
                        continue;
                    }
                    files.add(e.getNewPath());
                    for (Edit edit : diff.toFileHeader(e).toEditList()) {
                        added += edit.getLengthB();
                    }
                }
            }
            int kept = 0;
            for (String file : files) {
                BlameResult blame;
                try {
                    blame = git.blame().setStartCommit(head).setFilePath(file).call();
                } catch (GitAPIException e) {
                    throw new IOException("cannot blame " + file + ": " + e.getMessage(), e);
                }
                if (blame == null) {
                    continue; // the file is gone from the default branch
                }
                int lines = blame.getResultContents().size();
                for (int i = 0; i < lines; i++) {
                    RevCommit source = blame.getSourceCommit(i);
                    if (source != null && droid.contains(source)) {
                        kept++;
                    }
                }
            }
            return Optional.of(new Result(added, Math.min(kept, added)));
        }
    }
}
