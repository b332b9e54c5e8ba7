package dev.drydock.sandbox.bubblewrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.sandbox.ExecRequest;
import dev.drydock.sandbox.FileEntry;
import dev.drydock.sandbox.PathPattern;
import dev.drydock.sandbox.Sandbox;
import dev.drydock.sandbox.SandboxOptions;
import dev.drydock.sandbox.WorkspaceSource;
import dev.drydock.sandbox.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paths withheld by classification never enter a real bubblewrap sandbox, now or in its git history. */
class BubblewrapWithheldPathsTest {
    @TempDir
    Path workRoot;

    @TempDir
    Path mirrorDir;

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    SandboxOptions options;
    BubblewrapSandboxBackend backend;

    @BeforeEach
    void setUp() {
        options = LocalFixture.options(workRoot);
        backend = new BubblewrapSandboxBackend(options, clock);
    }

    @AfterEach
    void tearDown() {
        backend.close();
    }

    @Test
    void shouldLeaveWithheldFilesAndTheirHistoryOutOfTheWorkspaceWhenSourceWithholdsPaths() throws Exception {
        // Given a mirror whose secret file changed across two commits, and a certificate deep down
        List<ObjectId> withheldBlobs = new ArrayList<>();
        String head;
        try (Git git = Git.init()
                .setDirectory(mirrorDir.toFile())
                .setInitialBranch("main")
                .call()) {
            write("secrets/db.txt", "password=one\n");
            write("src/app.py", "print('v1')\n");
            head = commit(git, "first");
            withheldBlobs.add(blob(git, head, "secrets/db.txt"));
            write("secrets/db.txt", "password=two\n");
            write("deploy/tls/server.pem", "-----BEGIN PRIVATE KEY-----\n");
            write("deploy/app.yml", "replicas: 2\n");
            head = commit(git, "second");
            withheldBlobs.add(blob(git, head, "secrets/db.txt"));
            withheldBlobs.add(blob(git, head, "deploy/tls/server.pem"));
        }
        WorkspaceSource source =
                new WorkspaceSource(mirrorDir, head, List.of(new PathPattern("secrets"), new PathPattern("**/*.pem")));
        // When
        Sandbox sandbox = backend.create(LocalFixture.spec(options, "s1").withSource(source));
        // Then the files are absent, the rest is there
        assertThat(sandbox.list(""))
                .extracting(FileEntry::path)
                .contains("src", "deploy")
                .doesNotContain("secrets");
        assertThat(sandbox.list("deploy")).extracting(FileEntry::path).containsExactly("deploy/app.yml");
        assertThat(new String(sandbox.readFile("src/app.py"), StandardCharsets.UTF_8))
                .isEqualTo("print('v1')\n");
        // and the sandbox's own git knows one snapshot commit and none of the withheld blobs, old or new
        String objects = sandbox.exec(
                        ExecRequest.of("git", "cat-file", "--batch-all-objects", "--batch-check=%(objectname)"))
                .stdout()
                .text();
        assertThat(objects).isNotBlank();
        for (ObjectId id : withheldBlobs) {
            assertThat(objects).doesNotContain(id.name());
        }
        assertThat(sandbox.exec(ExecRequest.of("git", "rev-list", "--count", "HEAD"))
                        .stdout()
                        .text())
                .isEqualTo("1\n");
        assertThat(sandbox.exec(ExecRequest.of("git", "status", "--porcelain"))
                        .stdout()
                        .text())
                .isEmpty();
    }

    @Test
    void shouldDiffOnlyTheChangesWhenPathsAreWithheld() throws Exception {
        // Given
        String head;
        try (Git git = Git.init()
                .setDirectory(mirrorDir.toFile())
                .setInitialBranch("main")
                .call()) {
            write("secrets/db.txt", "password=one\n");
            write("src/app.py", "print('v1')\n");
            head = commit(git, "first");
        }
        Sandbox sandbox = backend.create(LocalFixture.spec(options, "s1")
                .withSource(new WorkspaceSource(mirrorDir, head, List.of(new PathPattern("secrets/")))));
        // When the sandbox edits a file and creates one under the withheld folder anyway
        sandbox.exec(ExecRequest.of(
                "sh", "-c", "echo \"print('v2')\" > src/app.py; mkdir -p secrets; echo leak > secrets/new.txt"));
        String diff = sandbox.diff();
        // Then the diff holds the edit only: no deletion of the withheld file, no withheld addition
        assertThat(diff)
                .contains("diff --git a/src/app.py b/src/app.py", "+print('v2')")
                .doesNotContain("secrets");
    }

    private void write(String path, String content) throws Exception {
        Path file = mirrorDir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static String commit(Git git, String message) throws Exception {
        git.add().addFilepattern(".").call();
        return git.commit()
                .setMessage(message)
                .setAuthor("t", "t@example.com")
                .setCommitter("t", "t@example.com")
                .setSign(false)
                .call()
                .name();
    }

    private static ObjectId blob(Git git, String commit, String path) throws Exception {
        RevCommit c = git.getRepository().parseCommit(git.getRepository().resolve(commit));
        try (TreeWalk walk = TreeWalk.forPath(git.getRepository(), path, c.getTree())) {
            return walk.getObjectId(0);
        }
    }
}
