package dev.drydock.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.bundle.image.ImageBuilder;
import dev.drydock.bundle.image.TestImages;
import dev.drydock.installer.bundle.BundleFormat;
import dev.drydock.installer.bundle.BundleManifest;
import dev.drydock.installer.helm.Helm;
import dev.drydock.installer.helm.RenderedChart;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.StreamSupport;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation install's images (drydock/postgres, drydock/keycloak; reduced, see TestImages) as Jib
 * builds them, read back with skopeo, and in a bundle: listed in the manifest and pinned for the chart.
 */
class EvaluationBundleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void shouldBuildPostgresAndKeycloakImagesAsNonRootWithTheChartsEntrypointsWhenBuilt() throws Exception {
        // Given
        TestImages images = TestImages.get();

        // When
        List<ImageBuilder.Built> built = images.evaluationImages();

        // Then
        JsonNode postgres =
                skopeo("inspect", "--config", "oci:" + built.get(0).layout()).path("config");
        assertThat(postgres.path("User").asText()).isEqualTo("10001:10001");
        assertThat(strings(postgres.path("Entrypoint"))).containsExactly("/bin/bash", "/etc/drydock-postgres/start.sh");
        assertThat(postgres.path("ExposedPorts").has("5432/tcp")).isTrue();
        JsonNode keycloak =
                skopeo("inspect", "--config", "oci:" + built.get(1).layout()).path("config");
        assertThat(keycloak.path("User").asText()).isEqualTo("10001:10001");
        assertThat(strings(keycloak.path("Entrypoint")))
                .startsWith("/bin/bash", "-c")
                .anyMatch(s -> s.endsWith("exec /bin/bash /opt/keycloak/bin/kc.sh \"$@\""));
        assertThat(strings(keycloak.path("Env"))).contains("JAVA_HOME=/opt/java/jre", "HOME=/tmp");
        assertThat(keycloak.path("ExposedPorts").has("9000/tcp")).isTrue();
    }

    @Test
    void shouldExitNamingTheMissingCommandWhenKeycloakImageStartsOnABaseWithoutSed() throws Exception {
        // Given: the reduced test base has bash and coreutils but not sed or xargs, without which kc.sh drops
        // every argument and prints its usage instead of starting (what a bare base did before)
        TestImages images = TestImages.get();
        ImageBuilder.Built keycloak = images.evaluationImages().get(1);
        Path bundle = dir.resolve("keycloak");
        new ProcessBuilder(List.of(
                        "umoci", "unpack", "--rootless", "--image", keycloak.layout() + ":test", bundle.toString()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("umoci.log").toFile())
                .start()
                .waitFor();
        JsonNode config =
                skopeo("inspect", "--config", "oci:" + keycloak.layout()).path("config");
        List<String> command = new ArrayList<>(List.of(
                "bwrap",
                "--unshare-user",
                "--unshare-pid",
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
                "--clearenv"));
        for (String env : strings(config.path("Env"))) {
            command.addAll(
                    List.of("--setenv", env.substring(0, env.indexOf('=')), env.substring(env.indexOf('=') + 1)));
        }
        command.add("--");
        command.addAll(strings(config.path("Entrypoint")));
        command.addAll(List.of("start", "--optimized", "--import-realm"));

        // When
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int exit = p.waitFor();

        // Then
        assertThat(exit).as(output).isEqualTo(127);
        assertThat(output)
                .contains("drydock/keycloak: the image lacks sed, which kc.sh needs")
                .doesNotContain("stand-in");
    }

    @Test
    void shouldListAndPinTheEvaluationImagesWhenTheyAreBundled() throws Exception {
        // Given
        TestImages images = TestImages.get();
        List<ImageBuilder.Built> all = new ArrayList<>(List.of(images.serverBuilt, images.sandboxBuilt));
        all.addAll(images.evaluationImages());
        Map<String, Path> layouts = new TreeMap<>();
        all.forEach(b -> layouts.put(b.repository(), b.layout()));
        BundleFixture fixture = new BundleFixture(dir.resolve("fixture"));

        // When
        BundleBuilder.Result result = fixture.build(
                new BundleBuilder.Inputs(BundleFixture.CHART, BundleFixture.REALM, fixture.models, layouts, false),
                dir.resolve("b.tar"));

        // Then
        assertThat(result.manifest().images())
                .extracting(BundleManifest.Image::repository, BundleManifest.Image::digest)
                .containsExactlyInAnyOrderElementsOf(all.stream()
                        .map(b -> Tuple.tuple(b.repository(), b.digest()))
                        .toList());
        Map<String, byte[]> entries = BundleFixture.entries(result.bundle());
        Path chart = dir.resolve("drydock-0.1.0.tgz");
        Files.write(chart, entries.get("chart/drydock-0.1.0.tgz"));
        Path pins = dir.resolve("values-images.yaml");
        Files.write(pins, entries.get(BundleFormat.IMAGE_VALUES));
        Path values = dir.resolve("render-values.yaml");
        try (InputStream in = BundleBuilder.class.getResourceAsStream(BundleBuilder.RENDER_VALUES)) {
            Files.copy(in, values);
        }
        Path evaluation = Files.writeString(dir.resolve("evaluation.yaml"), "evaluation:\n  enabled: true\n");
        Helm.Result rendered =
                Helm.pinned().template(chart, "drydock", "drydock", List.of(values, pins, evaluation), Map.of());
        assertThat(rendered.ok()).as(rendered.stderr()).isTrue();
        assertThat(RenderedChart.parse(rendered.stdout()).images())
                .hasSize(4)
                .allSatisfy(i ->
                        assertThat(all).anyMatch(b -> i.endsWith(b.repository() + ":0.1.0-SNAPSHOT@" + b.digest())));
    }

    private static JsonNode skopeo(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("skopeo"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("skopeo " + String.join(" ", args) + " failed: " + err);
        }
        return JSON.readTree(out);
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false)
                .map(JsonNode::asText)
                .toList();
    }
}
