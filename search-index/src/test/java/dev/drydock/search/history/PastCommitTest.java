package dev.drydock.search.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PastCommitTest {
    @TempDir
    Path tmp;

    @Test
    void shouldRankFilesOfFocusedCommitsFirstWhenCommitsMatchEquallyWell() {
        // Given: equal scores; one commit changed one file, the other four
        List<PastCommit.Match> matches = List.of(
                new PastCommit.Match(4.0, List.of("a/Wide1.java", "a/Wide2.java", "a/Wide3.java", "a/Focused.java")),
                new PastCommit.Match(4.0, List.of("b/Only.java")));

        // When
        List<String> files = PastCommit.rankFiles(matches, path -> true, 10);

        // Then: Only.java scores 4.0, each file of the wide commit 1.0
        assertThat(files).first().isEqualTo("b/Only.java");
        assertThat(files)
                .containsExactlyInAnyOrder(
                        "b/Only.java", "a/Wide1.java", "a/Wide2.java", "a/Wide3.java", "a/Focused.java");
    }

    @Test
    void shouldAddUpEvidenceAndHonourFilterAndLimitWhenFilesRecurAcrossCommits() {
        // Given
        List<PastCommit.Match> matches = List.of(
                new PastCommit.Match(3.0, List.of("x/Hot.java", "x/Cold.java", "docs/notes.md")),
                new PastCommit.Match(2.0, List.of("x/Hot.java")),
                new PastCommit.Match(1.0, List.of("x/Warm.java")));

        // When
        List<String> files = PastCommit.rankFiles(matches, path -> !path.endsWith(".md"), 2);

        // Then: Hot = 1 + 2, Cold = 1, Warm = 1 (first-seen order breaks the tie), the .md is filtered out
        assertThat(files).containsExactly("x/Hot.java", "x/Cold.java");
        assertThat(matches.get(0).paths()).hasSize(3);
    }

    @Test
    void shouldReadOnlyFocusedCommitsUpToTheIndexedOneWhenLaterAndBroadCommitsExist() throws Exception {
        // Given
        Path repo = tmp.resolve("repo");
        RevCommit indexed;
        try (Git git =
                Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            commit(
                    git,
                    repo,
                    "initial import",
                    "a/A.java",
                    "a/B.java",
                    "a/C.java",
                    "a/D.java",
                    "a/E.java",
                    "a/F.java",
                    "a/G.java",
                    "a/H.java",
                    "a/I.java");
            commit(git, repo, "Fix retry backoff overflow", "a/A.java");
            indexed = commit(git, repo, "Tune connection pool", "a/B.java", "a/C.java");
            commit(git, repo, "Later work that must stay unseen", "a/D.java");
        }

        // When
        List<PastCommit> commits;
        try (var repository = dev.drydock.search.ingest.GitSourceTree.openRepository(repo);
                RevWalk walk = new RevWalk(repository)) {
            commits = PastCommit.read(repository, walk.parseCommit(indexed));
        }

        // Then: newest first; the 9-file import is too broad; the later commit is not reachable
        assertThat(commits)
                .extracting(PastCommit::message)
                .containsExactly("Tune connection pool", "Fix retry backoff overflow");
        assertThat(commits.get(0).paths()).containsExactlyInAnyOrder("a/B.java", "a/C.java");
    }

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
}
