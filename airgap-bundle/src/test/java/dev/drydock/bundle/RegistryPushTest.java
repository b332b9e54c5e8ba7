package dev.drydock.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.installer.InstallerMain;
import dev.drydock.installer.bundle.BundleManifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./drydock install push} into a real registry on loopback, checked with skopeo (which Drydock did not write). */
class RegistryPushTest {
    @TempDir
    static Path shared;

    static BundleFixture fixture;
    static BundleBuilder.Result built;
    static LocalRegistry registry;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        fixture = new BundleFixture(shared.resolve("fixture"));
        built = fixture.build(shared.resolve("bundle.tar"));
        Files.createDirectories(shared.resolve("registry"));
        registry = LocalRegistry.start(shared.resolve("registry"));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (registry != null) {
            registry.close();
        }
    }

    record Run(int exit, String out, String err) {}

    static Run push(Path bundle, String target) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = InstallerMain.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(
                "push",
                bundle.toString(),
                "--key",
                fixture.publicKey().toString(),
                "--registry",
                target,
                "--plain-http");
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void shouldServeEveryImageByItsDigestWhenBundleIsPushed() throws Exception {
        // Given
        String target = registry.address() + "/mirror";

        // When
        Run run = push(built.bundle(), target);

        // Then
        assertThat(run.exit()).as(run.err()).isZero();
        for (BundleManifest.Image image : built.manifest().images()) {
            JsonNode byDigest = skopeoInspect("docker://" + target + "/" + image.repository() + "@" + image.digest());
            assertThat(byDigest.path("Digest").asText()).isEqualTo(image.digest());
            assertThat(byDigest.path("Layers")).hasSize(1);
            String tag = image.reference()
                    .substring(
                            image.reference().lastIndexOf(':', image.reference().indexOf('@')) + 1,
                            image.reference().indexOf('@'));
            assertThat(skopeoInspect("docker://" + target + "/" + image.repository() + ":" + tag)
                            .path("Digest")
                            .asText())
                    .isEqualTo(image.digest());
        }
        assertThat(run.out()).contains("install with: --set global.imageRegistry=" + target);
    }

    @Test
    void shouldPushNothingWhenBundleFailsVerification() throws IOException {
        // Given
        var entries = BundleFixture.entries(built.bundle());
        String layer = entries.keySet().stream()
                .filter(p -> p.startsWith("images/drydock_sandbox/blobs/"))
                .findFirst()
                .orElseThrow();
        entries.put(layer, "tampered layer".getBytes(StandardCharsets.UTF_8));
        Path tampered = dir.resolve("tampered.tar");
        BundleFixture.write(entries, tampered);
        String target = registry.address() + "/tampered";

        // When
        Run run = push(tampered, target);

        // Then
        assertThat(run.exit()).isEqualTo(InstallerMain.REJECTED);
        assertThat(run.err()).contains("REJECTED " + layer).contains("nothing pushed");
        String server = built.manifest().images().getFirst().repository();
        assertThat(skopeo(
                                "inspect",
                                "--tls-verify=false",
                                "docker://" + target + "/" + server + "@"
                                        + built.manifest().images().getFirst().digest())
                        .exit())
                .isNotZero();
    }

    private static JsonNode skopeoInspect(String reference) throws Exception {
        Run r = skopeo("inspect", "--tls-verify=false", reference);
        assertThat(r.exit()).as("skopeo inspect %s: %s", reference, r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    private static Run skopeo(String... args) {
        try {
            List<String> command = new java.util.ArrayList<>(List.of("skopeo"));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            var out = p.getInputStream().readAllBytes();
            var err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return new Run(
                    p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot run skopeo (apt-get install skopeo): " + e.getMessage(), e);
        }
    }
}
