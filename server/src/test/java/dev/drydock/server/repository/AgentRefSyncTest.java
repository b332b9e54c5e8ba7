package dev.drydock.server.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.server.droid.GitMirrorPublisher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A droid's agent ref lives outside {@code refs/heads/}, so the mirror's pruning fetch keeps it. */
class AgentRefSyncTest {
    @TempDir
    Path dir;

    @Test
    void shouldKeepAgentRefWhenSyncPrunesDeletedBranches() throws Exception {
        // Given an upstream with main and a feature branch, mirrored, and a droid's commit in the mirror
        Path upstream = dir.resolve("upstream");
        String base;
        try (Git git = Git.init()
                .setDirectory(upstream.toFile())
                .setInitialBranch("main")
                .call()) {
            Files.writeString(upstream.resolve("calc.py"), "def add(a, b):\n    return a - b\n");
            git.add().addFilepattern(".").call();
            base = git.commit()
                    .setMessage("calc")
                    .setAuthor("t", "t@example.test")
                    .setCommitter("t", "t@example.test")
                    .call()
                    .name();
            git.branchCreate().setName("feature").call();
        }
        Path mirror = dir.resolve("mirror.git");
        RepositoryMirror.sync(mirror, upstream.toUri().toString(), "main", null);
        new GitMirrorPublisher(mirror, base, "mike", "default", s -> Optional.empty())
                .publish(
                        "s1",
                        "diff --git a/calc.py b/calc.py\n--- a/calc.py\n+++ b/calc.py\n@@ -1,2 +1,2 @@\n def add(a, b):\n-    return a - b\n+    return a + b\n",
                        "Fix add()",
                        "");
        ObjectId agent = Git.open(mirror.toFile()).getRepository().resolve(GitMirrorPublisher.ref("s1"));
        try (Git git = Git.open(upstream.toFile())) {
            git.branchDelete().setBranchNames("feature").setForce(true).call();
        }

        // When
        RepositoryMirror.sync(mirror, upstream.toUri().toString(), "main", null);

        // Then
        try (Git git = Git.open(mirror.toFile())) {
            assertThat(agent).isNotNull();
            assertThat(git.getRepository().resolve("refs/heads/feature"))
                    .as("the upstream deleted it, the sync pruned it")
                    .isNull();
            assertThat(git.getRepository().resolve(GitMirrorPublisher.ref("s1")))
                    .isEqualTo(agent);
        }
    }
}
