package dev.drydock.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.installer.InstallerMain;
import dev.drydock.installer.bundle.BundleKeys;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./drydock bundle keygen|build} as the launcher runs them, followed by {@code install verify}. */
class BundleCommandsTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    static Run run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void shouldBuildABundleThatVerifiesWhenRunFromTheCommandLine() throws Exception {
        // Given
        Path keys = dir.resolve("keys");
        assertThat(run(BundleMain.commandLine(), "keygen", "--out", keys.toString())
                        .exit())
                .isZero();
        Path server = BundleFixture.layout(dir.resolve("oci/server"), "server");
        Path sandbox = BundleFixture.layout(dir.resolve("oci/sandbox"), "sandbox");
        Path model = Files.writeString(dir.resolve("tokenizer.json"), "{}");
        Path bundle = dir.resolve("out/drydock-bundle.tar");

        // When
        Run build = run(
                BundleMain.commandLine(),
                "build",
                "--out",
                bundle.toString(),
                "--key",
                keys.resolve(BundleKeys.PRIVATE_KEY_FILE).toString(),
                "--chart",
                BundleFixture.CHART.toString(),
                "--realm",
                BundleFixture.REALM.toString(),
                "--image",
                "drydock/server=" + server,
                "--image",
                "drydock/sandbox=" + sandbox,
                "--model",
                model.toString());

        // Then
        assertThat(build.exit()).as(build.err()).isZero();
        assertThat(build.out()).contains("2 images").contains("image drydock/sandbox:0.1.0-SNAPSHOT@sha256:");
        Run verify = run(
                InstallerMain.commandLine(),
                "verify",
                bundle.toString(),
                "--key",
                keys.resolve(BundleKeys.PUBLIC_KEY_FILE).toString());
        assertThat(verify.exit()).as(verify.err()).isZero();
        assertThat(Files.getPosixFilePermissions(keys.resolve(BundleKeys.PRIVATE_KEY_FILE)))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void shouldKeepTheExistingKeyWhenKeygenRunsAgain() throws Exception {
        // Given
        Path keys = dir.resolve("keys");
        run(BundleMain.commandLine(), "keygen", "--out", keys.toString());
        byte[] before = Files.readAllBytes(keys.resolve(BundleKeys.PRIVATE_KEY_FILE));

        // When
        Run again = run(BundleMain.commandLine(), "keygen", "--out", keys.toString());

        // Then
        assertThat(again.exit()).isEqualTo(BundleMain.FAILED);
        assertThat(again.err()).contains("exists; move it away first");
        assertThat(Files.readAllBytes(keys.resolve(BundleKeys.PRIVATE_KEY_FILE)))
                .isEqualTo(before);
    }

    @Test
    void shouldExplainWhatIsMissingWhenBuildHasNoImages() throws Exception {
        // Given
        Path keys = dir.resolve("keys");
        run(BundleMain.commandLine(), "keygen", "--out", keys.toString());

        // When
        Run build = run(
                BundleMain.commandLine(),
                "build",
                "--out",
                dir.resolve("b.tar").toString(),
                "--key",
                keys.resolve(BundleKeys.PRIVATE_KEY_FILE).toString(),
                "--without-models");

        // Then
        assertThat(build.exit()).isEqualTo(BundleMain.USAGE);
        assertThat(build.err()).contains("--image REPOSITORY=OCI_LAYOUT_DIR, or --without-images");
    }
}
