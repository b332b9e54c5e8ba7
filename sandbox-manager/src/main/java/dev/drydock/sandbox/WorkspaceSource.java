package dev.drydock.sandbox;

import java.nio.file.Path;

/**
 * Where a workspace comes from: the server's own mirror of a repository (a local path, never a
 * network URL) checked out at one commit. That commit is the base of {@link Sandbox#diff()}.
 */
public record WorkspaceSource(Path mirror, String commit) {
    public WorkspaceSource {
        if (mirror == null) {
            throw new InvalidSpecException("workspace source needs the path of a local mirror");
        }
        if (commit == null || !commit.matches("[0-9a-f]{7,64}|[A-Za-z0-9._/-]{1,200}")) {
            throw new InvalidSpecException("workspace source commit is invalid: '" + commit + "'");
        }
    }
}
