package dev.drydock.search.history;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.revwalk.RevCommit;

/** The files a single-parent commit added or modified (deletions left out): what the history signals read. */
final class CommitPaths {
    private CommitPaths() {}

    /**
     * The paths {@code commit} changed against its only parent, in diff order; the scan stops once
     * more than {@code max} are found, so a caller that skips larger commits pays for {@code max + 1}.
     */
    static List<String> of(DiffFormatter diff, RevCommit commit, int max) throws IOException {
        List<String> paths = new ArrayList<>();
        for (DiffEntry entry : diff.scan(commit.getParent(0).getTree(), commit.getTree())) {
            if (entry.getChangeType() != DiffEntry.ChangeType.DELETE) {
                paths.add(entry.getNewPath());
            }
            if (paths.size() > max) {
                break;
            }
        }
        return paths;
    }
}
