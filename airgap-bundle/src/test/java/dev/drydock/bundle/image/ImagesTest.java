package dev.drydock.bundle.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server and sandbox images, built with Jib on a small Debian base (reduced: a jlinked runtime, no
 * Maven, a stand-in server), read back with {@code skopeo inspect}, which nobody here wrote.
 */
class ImagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void shouldWriteSandboxLayoutThatSkopeoReadsAsNonRootRunnerWhenBuilt() throws Exception {
        // Given
        TestImages images = TestImages.get();

        // When
        JsonNode config = skopeo("inspect", "--config", "oci:" + images.sandboxBuilt.layout())
                .path("config");

        // Then
        assertThat(config.path("User").asText()).isEqualTo("10001:10001");
        assertThat(strings(config.path("Entrypoint")))
                .startsWith("/opt/java/jdk/bin/java")
                .endsWith("dev.drydock.sandbox.runner.ToolRunner");
        assertThat(strings(config.path("Env"))).contains("HOME=/tmp", "JAVA_HOME=/opt/java/jdk");
        assertThat(config.path("WorkingDir").asText()).isEqualTo("/workspace");
        assertThat(config.path("ExposedPorts").has("7070/tcp")).isTrue();
    }

    @Test
    void shouldWriteServerLayoutWithQuarkusEntrypointAndDigestSkopeoAgreesWithWhenBuilt() throws Exception {
        // Given
        TestImages images = TestImages.get();

        // When
        JsonNode inspect = skopeo("inspect", "oci:" + images.serverBuilt.layout());

        // Then
        assertThat(inspect.path("Digest").asText()).isEqualTo(images.serverBuilt.digest());
        assertThat(inspect.path("Os").asText()).isEqualTo("linux");
        assertThat(inspect.path("Layers")).hasSize(4); // base + runtime, libraries, application
        JsonNode config = skopeo("inspect", "--config", "oci:" + images.serverBuilt.layout())
                .path("config");
        assertThat(config.path("User").asText()).isEqualTo("10001:10001");
        assertThat(strings(config.path("Entrypoint")))
                .containsSubsequence("/opt/java/jre/bin/java", "-jar", "/opt/drydock/app/quarkus-run.jar");
        assertThat(config.path("WorkingDir").asText()).isEqualTo("/etc/drydock");
    }

    @Test
    void shouldGiveTheSameDigestWhenTheSameInputsAreBuiltAgain() throws Exception {
        // Given
        TestImages images = TestImages.get();

        // When
        ImageBuilder.Built again = images.builder.build(images.sandbox, dir.resolve("again"));

        // Then
        assertThat(again.digest()).isEqualTo(images.sandboxBuilt.digest());
    }

    @Test
    void shouldListDebianPackagesJarsAndJavaRuntimeWhenSbomIsWritten() throws Exception {
        // Given
        TestImages images = TestImages.get();

        // When
        JsonNode sbom = ImageSbom.write(images.serverBuilt, "test", dir.resolve("server.cdx.json"));

        // Then
        assertThat(sbom.path("bomFormat").asText()).isEqualTo("CycloneDX");
        assertThat(sbom.path("metadata")
                        .path("component")
                        .path("hashes")
                        .get(0)
                        .path("content")
                        .asText())
                .isEqualTo(images.serverBuilt.digest().substring(7));
        List<String> purls = StreamSupport.stream(sbom.path("components").spliterator(), false)
                .map(c -> c.path("purl").asText())
                .toList();
        assertThat(purls)
                .anyMatch(p -> p.startsWith("pkg:deb/debian/libc6@"))
                .anyMatch(p -> p.startsWith("pkg:deb/debian/bash@"))
                .contains("pkg:maven/com.fasterxml.jackson.core/jackson-databind@"
                        + com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION + "?type=jar");
        assertThat(sbom.path("components"))
                .anyMatch(c -> c.path("type").asText().equals("platform")
                        && c.path("name").asText().contains("Java runtime"));
    }

    @Test
    void shouldServeRunnerHealthAsNonRootOnReadOnlyRootWhenSandboxImageIsStarted() throws Exception {
        // Given
        TestImages images = TestImages.get();
        Path bundle = dir.resolve("bundle");
        ImageBuilder.run(List.of(
                "umoci", "unpack", "--rootless", "--image", images.sandboxBuilt.layout() + ":test", bundle.toString()));
        JsonNode config = skopeo("inspect", "--config", "oci:" + images.sandboxBuilt.layout())
                .path("config");
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path workspace = Files.createDirectories(dir.resolve("workspace"));
        List<String> command = new ArrayList<>(List.of(
                "bwrap",
                "--unshare-user",
                "--unshare-pid",
                "--unshare-ipc",
                "--die-with-parent",
                "--uid",
                "10001",
                "--gid",
                "10001",
                "--ro-bind",
                bundle.resolve("rootfs").toString(),
                "/",
                "--proc",
                "/proc",
                "--dev",
                "/dev",
                "--tmpfs",
                "/tmp",
                "--bind",
                workspace.toString(),
                "/workspace",
                "--chdir",
                "/workspace",
                "--clearenv"));
        for (String env : strings(config.path("Env"))) {
            int eq = env.indexOf('=');
            command.addAll(List.of("--setenv", env.substring(0, eq), env.substring(eq + 1)));
        }
        command.addAll(List.of(
                "--setenv",
                "DRYDOCK_RUNNER_TOKEN",
                "a-token-of-sixteen-chars-or-more",
                "--setenv",
                "DRYDOCK_RUNNER_PORT",
                String.valueOf(port),
                "--"));
        command.addAll(strings(config.path("Entrypoint")));
        Process runner = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("runner.log").toFile())
                .start();
        try {
            // When
            String health = awaitHealth(port, runner);

            // Then
            assertThat(health).isEqualTo("ok");
            String whoami = new String(new ProcessBuilder(List.of(
                            "bwrap",
                            "--unshare-user",
                            "--unshare-pid",
                            "--unshare-ipc",
                            "--uid",
                            "10001",
                            "--gid",
                            "10001",
                            "--ro-bind",
                            bundle.resolve("rootfs").toString(),
                            "/",
                            "--proc",
                            "/proc",
                            "--dev",
                            "/dev",
                            "--setenv",
                            "PATH",
                            "/usr/bin:/bin",
                            "--",
                            "/bin/bash",
                            "-c",
                            "id -u; touch /opt/x 2>&1 || echo read-only"))
                    .redirectErrorStream(true)
                    .start()
                    .getInputStream()
                    .readAllBytes());
            assertThat(whoami).startsWith("10001").contains("read-only");
        } finally {
            runner.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private String awaitHealth(int port, Process runner) throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        var request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/v1/health"))
                .timeout(java.time.Duration.ofSeconds(2))
                .build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!runner.isAlive()) {
                throw new AssertionError(
                        "the runner exited " + runner.exitValue() + ": " + Files.readString(dir.resolve("runner.log")));
            }
            try {
                var response = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return response.body();
                }
            } catch (IOException notYet) {
                // the runner is still starting: wait for its port
            }
            runner.waitFor(100, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("no health answer within 60 s: " + Files.readString(dir.resolve("runner.log")));
    }

    static JsonNode skopeo(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("skopeo"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("skopeo " + String.join(" ", args) + " failed: " + err);
        }
        return JSON.readTree(out);
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false)
                .map(JsonNode::asText)
                .toList();
    }
}
