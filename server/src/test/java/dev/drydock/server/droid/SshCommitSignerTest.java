package dev.drydock.server.droid;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Droid commits signed with the appliance's key, verified by the real {@code git} command line. */
class SshCommitSignerTest {
    @TempDir
    Path dir;

    @Test
    void shouldSignDroidCommitSoThatGitVerifiesItWhenKeyIsAllowed() throws Exception {
        // Given a mirror, the appliance's key, and an allowed-signers file naming the droid's address
        Path work = dir.resolve("work");
        String base;
        try (Git git =
                Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            Files.writeString(work.resolve("calc.py"), "def add(a, b):\n    return a - b\n");
            git.add().addFilepattern(".").call();
            base = git.commit()
                    .setMessage("calc")
                    .setAuthor("t", "t@example.test")
                    .setCommitter("t", "t@example.test")
                    .setSign(false)
                    .call()
                    .name();
        }
        Path mirror = dir.resolve("mirror.git");
        Git.cloneRepository()
                .setURI(work.toUri().toString())
                .setDirectory(mirror.toFile())
                .setBare(true)
                .call()
                .close();
        KeyPair key = ApplianceSigningKey.load(dir.resolve("signing"));
        SshCommitSigner signer = new SshCommitSigner(key);
        Path allowed = Files.writeString(
                dir.resolve("allowed_signers"), GitMirrorPublisher.EMAIL + " " + signer.publicKey("") + "\n");
        String diff =
                "diff --git a/calc.py b/calc.py\n--- a/calc.py\n+++ b/calc.py\n@@ -1,2 +1,2 @@\n def add(a, b):\n-    return a - b\n+    return a + b\n";

        // When
        new GitMirrorPublisher(mirror, base, "mike", "default", s -> Optional.empty(), signer)
                .publish("s1", diff, "Fix add()", "make test");

        // Then
        ObjectId commit;
        try (Git git = Git.open(mirror.toFile())) {
            commit = git.getRepository().resolve(GitMirrorPublisher.ref("s1"));
        }
        Process verify = new ProcessBuilder(
                        "git",
                        "-c",
                        "gpg.format=ssh",
                        "-c",
                        "gpg.ssh.allowedSignersFile=" + allowed,
                        "verify-commit",
                        "-v",
                        commit.name())
                .directory(mirror.toFile())
                .redirectErrorStream(true)
                .start();
        assertThat(verify.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(verify.exitValue()).as(output).isZero();
        assertThat(output).contains("Good \"git\" signature for " + GitMirrorPublisher.EMAIL);
        assertThat(ApplianceSigningKey.load(dir.resolve("signing")).getPublic())
                .as("the key is kept, not made anew")
                .isEqualTo(key.getPublic());
    }
}
