package dev.drydock.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.server.droid.GitMirrorPublisher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The push from the server's mirror to a real git smart-HTTP server ({@code git http-backend}). */
class GitPushTest {
    static final String DIFF =
            "diff --git a/calc.py b/calc.py\n--- a/calc.py\n+++ b/calc.py\n@@ -1,2 +1,2 @@\n def add(a, b):\n-    return a - b\n+    return a + b\n";

    @TempDir
    Path dir;

    GitHttpBackend server;
    Path mirror;
    String base;

    @BeforeEach
    void upstreamAndMirror() throws Exception {
        Path work = dir.resolve("work");
        try (Git git =
                Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            Files.writeString(work.resolve("calc.py"), "def add(a, b):\n    return a - b\n");
            git.add().addFilepattern(".").call();
            base = git.commit()
                    .setMessage("calc")
                    .setAuthor("t", "t@example.test")
                    .setCommitter("t", "t@example.test")
                    .call()
                    .name();
        }
        Path root = Files.createDirectories(dir.resolve("srv"));
        Git.cloneRepository()
                .setURI(work.toUri().toString())
                .setDirectory(root.resolve("calc.git").toFile())
                .setBare(true)
                .call()
                .close();
        server = new GitHttpBackend(root, "deploy", "s3cret");
        mirror = dir.resolve("mirror.git");
        Git.cloneRepository()
                .setURI(server.url("calc.git").toString())
                .setDirectory(mirror.toFile())
                .setBare(true)
                .call()
                .close();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldPushAgentRefToDrydockBranchWhenCredentialIsValid() throws Exception {
        // Given
        new GitMirrorPublisher(mirror, base, "mike", "default", s -> Optional.of("ab".repeat(32)))
                .publish("s1", DIFF, "Fix add()", "python3 -m unittest");
        ObjectId agent = Git.open(mirror.toFile()).getRepository().resolve(GitMirrorPublisher.ref("s1"));

        // When
        GitPush.Outcome outcome = GitPush.push(
                mirror,
                GitMirrorPublisher.ref("s1"),
                server.url("calc.git").toString(),
                "drydock/s1",
                new DeliveryCredentials.Credential("deploy", "s3cret"));

        // Then
        assertThat(outcome.status()).isEqualTo(GitPush.Status.PUSHED);
        assertThat(server.pushes).containsExactly("deploy");
        try (Git upstream = Git.open(dir.resolve("srv/calc.git").toFile())) {
            assertThat(upstream.getRepository().resolve("refs/heads/drydock/s1"))
                    .isEqualTo(agent);
            assertThat(upstream.getRepository().resolve("refs/heads/main").name())
                    .isEqualTo(base);
        }
    }

    @Test
    void shouldFailWithoutTouchingUpstreamWhenCredentialIsWrong() throws Exception {
        // Given
        new GitMirrorPublisher(mirror, base, "mike", "default", s -> Optional.empty())
                .publish("s1", DIFF, "Fix add()", "");

        // When / Then
        assertThatThrownBy(() -> GitPush.push(
                        mirror,
                        GitMirrorPublisher.ref("s1"),
                        server.url("calc.git").toString(),
                        "drydock/s1",
                        new DeliveryCredentials.Credential("deploy", "wrong")))
                .isInstanceOf(TransportException.class);
        try (Git upstream = Git.open(dir.resolve("srv/calc.git").toFile())) {
            assertThat(upstream.getRepository().resolve("refs/heads/drydock/s1"))
                    .isNull();
        }
    }

    @Test
    void shouldFastForwardPushedBranchWhenSessionPublishesAgain() throws Exception {
        // Given
        GitMirrorPublisher publisher = new GitMirrorPublisher(mirror, base, "mike", "default", s -> Optional.empty());
        publisher.publish("s1", DIFF, "Fix add()", "make test");
        GitPush.push(
                mirror,
                GitMirrorPublisher.ref("s1"),
                server.url("calc.git").toString(),
                "drydock/s1",
                new DeliveryCredentials.Credential("deploy", "s3cret"));
        String more = DIFF.replace("+    return a + b\n", "+    return a + b  # fixed\n");
        publisher.publish("s1", more, "Fix add(), with a comment", "make test");

        // When
        GitPush.Outcome outcome = GitPush.push(
                mirror,
                GitMirrorPublisher.ref("s1"),
                server.url("calc.git").toString(),
                "drydock/s1",
                new DeliveryCredentials.Credential("deploy", "s3cret"));

        // Then
        assertThat(outcome.status()).isEqualTo(GitPush.Status.PUSHED);
        AgentCommits agent =
                AgentCommits.read(mirror, GitMirrorPublisher.ref("s1"), "s1").orElseThrow();
        assertThat(agent.commits()).isEqualTo(2);
        assertThat(agent.base()).isEqualTo(base);
        assertThat(agent.files()).containsExactly("calc.py");
        assertThat(agent.trailers())
                .containsEntry("Drydock-Session", "s1")
                .containsEntry("Drydock-Test-Command", "make test")
                .containsEntry("Drydock-Test-Result", "passed")
                .containsEntry("Drydock-Delegated-By", "mike")
                .containsEntry("Drydock-Model", "default");
    }

    @Test
    void shouldPushWithBearerHeaderWhenTokenIsBearerOnly() throws Exception {
        // Given
        new GitMirrorPublisher(mirror, base, "mike", "default", s -> Optional.empty())
                .publish("s1", DIFF, "Fix add()", "");
        server.alsoAccepted = "BBDC-minted"::equals;

        // When
        GitPush.Outcome outcome = GitPush.push(
                mirror,
                GitMirrorPublisher.ref("s1"),
                server.url("calc.git").toString(),
                "drydock/s1",
                new DeliveryCredentials.Credential("", "BBDC-minted"),
                true);

        // Then
        assertThat(outcome.status()).isEqualTo(GitPush.Status.PUSHED);
        assertThat(server.pushes).containsExactly("minted:bearer");
    }
}
