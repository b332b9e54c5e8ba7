package dev.drydock.search.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangeHistoryTest {
    @TempDir
    Path tmp;

    private static RevCommit commit(Git git, Path repo, String message, String... files) throws Exception {
        for (String file : files) {
            Path p = repo.resolve(file);
            Files.createDirectories(p.getParent());
            Files.writeString(p, message + " " + file + "\n");
        }
        git.add().addFilepattern(".").call();
        return git.commit()
                .setMessage(message)
                .setSign(false)
                .setAuthor("t", "t@example.com")
                .setCommitter("t", "t@example.com")
                .call();
    }

    @Test
    void shouldMineCoChangeAndRecencyOnlyUpToTheIndexedCommitWhenLaterCommitsExist() throws Exception {
        // Given
        Path repo = tmp.resolve("repo");
        RevCommit indexed;
        try (Git git =
                Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            commit(git, repo, "init", "a/Api.java", "a/Impl.java", "b/Other.java");
            commit(git, repo, "one", "a/Api.java", "a/Impl.java");
            indexed = commit(git, repo, "two", "a/Api.java", "a/Impl.java");
            commit(git, repo, "later", "a/Api.java", "b/Other.java");
            commit(git, repo, "later2", "a/Api.java", "b/Other.java");
            commit(git, repo, "later3", "a/Api.java", "b/Other.java");
        }

        // When
        ChangeHistory history;
        try (var repository = dev.drydock.search.ingest.GitSourceTree.openRepository(repo);
                RevWalk walk = new RevWalk(repository)) {
            history = ChangeHistory.mine(repository, walk.parseCommit(indexed));
        }

        // Then
        assertThat(history.coChanged().get("a/Api.java")).first().isEqualTo("a/Impl.java");
        assertThat(history.recency().get("a/Api.java"))
                .isGreaterThan(history.recency().getOrDefault("b/Other.java", 0.0));
        assertThat(ChangeHistory.parse(history.serialize())).isEqualTo(history);
    }
}
