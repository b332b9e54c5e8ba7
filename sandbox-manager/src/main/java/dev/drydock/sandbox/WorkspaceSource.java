package dev.drydock.sandbox;

import java.nio.file.Path;
import java.util.List;

/**
 * Where a workspace comes from: the server's own mirror of a repository (a local path, never a
 * network URL) checked out at one commit. That commit is the base of {@link Sandbox#diff()}.
 *
 * <p>Paths matching {@code withheld} never reach the sandbox: the workspace then holds a one-commit
 * snapshot of the commit without them (its git has no history, so no older version of a withheld
 * file either), the diff is taken against that snapshot, and a withheld path the sandbox creates
 * anyway is left out of the diff.
 */
public record WorkspaceSource(Path mirror, String commit, List<PathPattern> withheld) {
    public WorkspaceSource {
        if (mirror == null) {
            throw new InvalidSpecException("workspace source needs the path of a local mirror");
        }
        if (commit == null || !commit.matches("[0-9a-f]{7,64}|[A-Za-z0-9._/-]{1,200}")) {
            throw new InvalidSpecException("workspace source commit is invalid: '" + commit + "'");
        }
        withheld = withheld == null ? List.of() : List.copyOf(withheld);
    }

    public WorkspaceSource(Path mirror, String commit) {
        this(mirror, commit, List.of());
    }

    /** True when {@code path} (relative to the workspace root) is withheld from the sandbox. */
    public boolean withholds(String path) {
        return PathPattern.anyMatches(withheld, path);
    }
}
