package dev.drydock.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchBuildSetCommandTest {
    @TempDir
    Path repo;

    @Test
    void shouldTakeOnlyCommitsMadeAfterTheSnapshotWhenSideBranchesAreMergedLater() throws Exception {
        // Given main: base → snapshot → later; and a side branch written before the snapshot, merged after it
        try (Git git =
                Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            write("src/main/java/App.java", "class App {}\n");
            write("src/main/java/Util.java", "class Util {}\n");
            RevCommit base = commit(git, "base", 1_000);
            git.branchCreate().setName("side").setStartPoint(base).call();
            write("README.md", "readme\n");
            RevCommit snapshot = commit(git, "snapshot", 3_000);
            write("src/main/java/App.java", "class App { int later; }\n");
            commit(git, "Make App count things", 4_000);
            git.checkout().setName("side").call();
            write("src/main/java/Util.java", "class Util { int old; }\n");
            commit(git, "Old side-branch change to Util", 2_000);
            git.checkout().setName("main").call();
            git.merge()
                    .include(git.getRepository().resolve("side"))
                    .setMessage("Merge side")
                    .setCommit(true)
                    .call();

            // When
            List<ObjectNode> queries = BenchBuildSetCommand.queries(git.getRepository(), snapshot);

            // Then
            assertThat(queries).extracting(q -> q.get("query").asText()).containsExactly("Make App count things");
            assertThat(queries.getFirst().get("relevant").get(0).asText()).isEqualTo("src/main/java/App.java");
        }
    }

    private void write(String path, String text) throws Exception {
        Path file = repo.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static RevCommit commit(Git git, String message, long seconds) throws Exception {
        git.add().addFilepattern(".").call();
        PersonIdent who = new PersonIdent(
                "t", "t@example.test", Date.from(Instant.ofEpochSecond(seconds)), TimeZone.getTimeZone("UTC"));
        return git.commit()
                .setMessage(message)
                .setAuthor(who)
                .setCommitter(who)
                .setSign(false)
                .call();
    }
}
