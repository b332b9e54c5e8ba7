package dev.drydock.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.bundle.image.ImageBuilder;
import dev.drydock.bundle.image.ImageSbom;
import dev.drydock.bundle.image.TestImages;
import dev.drydock.installer.bundle.BundleFormat;
import dev.drydock.installer.bundle.BundleManifest;
import dev.drydock.installer.helm.Helm;
import dev.drydock.installer.helm.RenderedChart;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bundle of the images Jib built (reduced, see TestImages) and their SBOMs: the chart's pins, the manifest and the layouts agree. */
class BundleWithImagesTest {
    @TempDir
    Path dir;

    @Test
    void shouldPinTheRenderedChartToTheBuiltImagesAndShipTheirSbomsWhenBundled() throws Exception {
        // Given
        TestImages images = TestImages.get();
        BundleFixture fixture = new BundleFixture(dir.resolve("fixture"));
        Map<String, Path> layouts = new TreeMap<>(
                Map.of("drydock/server", images.serverBuilt.layout(), "drydock/sandbox", images.sandboxBuilt.layout()));
        Map<String, Path> sboms = new TreeMap<>();
        for (ImageBuilder.Built b : List.of(images.serverBuilt, images.sandboxBuilt)) {
            String name = b.repository().replace('/', '_') + ".cdx.json";
            ImageSbom.write(b, "test", dir.resolve(name));
            sboms.put(name, dir.resolve(name));
        }

        // When
        BundleBuilder.Result built = fixture.build(
                new BundleBuilder.Inputs(
                        BundleFixture.CHART, BundleFixture.REALM, fixture.models, layouts, false, sboms),
                dir.resolve("b.tar"));

        // Then
        BundleManifest manifest = built.manifest();
        assertThat(manifest.images())
                .extracting(BundleManifest.Image::repository, BundleManifest.Image::digest)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("drydock/server", images.serverBuilt.digest()),
                        org.assertj.core.groups.Tuple.tuple("drydock/sandbox", images.sandboxBuilt.digest()));
        assertThat(manifest.files())
                .extracting(BundleManifest.FileEntry::path)
                .contains(
                        BundleFormat.SBOM_DIR + "drydock_server.cdx.json",
                        BundleFormat.SBOM_DIR + "drydock_sandbox.cdx.json",
                        "images/drydock_server/blobs/sha256/"
                                + images.serverBuilt.digest().substring(7));
        Map<String, byte[]> entries = BundleFixture.entries(built.bundle());
        Path chart = dir.resolve("drydock-0.1.0.tgz");
        Files.write(chart, entries.get("chart/drydock-0.1.0.tgz"));
        Path pins = dir.resolve("values-images.yaml");
        Files.write(pins, entries.get(BundleFormat.IMAGE_VALUES));
        Path values = dir.resolve("render-values.yaml");
        try (InputStream in = BundleBuilder.class.getResourceAsStream(BundleBuilder.RENDER_VALUES)) {
            Files.copy(in, values);
        }
        Helm.Result rendered = Helm.pinned().template(chart, "drydock", "drydock", List.of(values, pins), Map.of());
        assertThat(rendered.ok()).as(rendered.stderr()).isTrue();
        assertThat(RenderedChart.parse(rendered.stdout()).images())
                .hasSize(2)
                .allSatisfy(i -> assertThat(i)
                        .satisfiesAnyOf(
                                s -> assertThat(s)
                                        .endsWith("drydock/server:0.1.0-SNAPSHOT@" + images.serverBuilt.digest()),
                                s -> assertThat(s)
                                        .endsWith("drydock/sandbox:0.1.0-SNAPSHOT@" + images.sandboxBuilt.digest())));
    }
}
