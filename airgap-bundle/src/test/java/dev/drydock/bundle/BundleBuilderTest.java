package dev.drydock.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.installer.bundle.BundleFormat;
import dev.drydock.installer.bundle.BundleManifest;
import dev.drydock.installer.helm.Helm;
import dev.drydock.installer.helm.RenderedChart;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Building bundles from the real chart and realm with tiny image layouts. */
class BundleBuilderTest {
    @TempDir
    static Path shared;

    static BundleFixture fixture;
    static BundleBuilder.Result built;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildOnce() throws IOException {
        fixture = new BundleFixture(shared);
        built = fixture.build(shared.resolve("first.tar"));
    }

    @Test
    void shouldWriteByteIdenticalBundlesWhenInputsAreTheSame() throws IOException {
        // Given
        Path second = dir.resolve("second.tar");

        // When
        fixture.build(second);

        // Then
        assertThat(Files.mismatch(built.bundle(), second)).isEqualTo(-1L);
    }

    @Test
    void shouldListEveryImageOfTheRenderedChartByDigestWhenLayoutsAreGiven() throws IOException {
        // Given
        String server = BundleFixture.digestOf(fixture.images.get("drydock/server"));
        String sandbox = BundleFixture.digestOf(fixture.images.get("drydock/sandbox"));

        // When
        BundleManifest manifest = built.manifest();

        // Then
        assertThat(manifest.images())
                .extracting(BundleManifest.Image::repository, BundleManifest.Image::digest)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("drydock/server", server),
                        org.assertj.core.groups.Tuple.tuple("drydock/sandbox", sandbox));
        assertThat(manifest.images()).allSatisfy(i -> assertThat(i.reference()).endsWith("@" + i.digest()));
        assertThat(manifest.files())
                .extracting(BundleManifest.FileEntry::path)
                .contains(
                        "chart/drydock-0.1.0.tgz",
                        BundleFormat.IMAGE_VALUES,
                        BundleFormat.REALM,
                        "models/model.onnx",
                        "images/drydock_server/index.json",
                        "images/drydock_sandbox/blobs/sha256/" + sandbox.substring(7));
        assertThat(BundleFixture.names(BundleFixture.entries(built.bundle())).subList(0, 2))
                .containsExactly(BundleFormat.MANIFEST, BundleFormat.SIGNATURE);
    }

    @Test
    void shouldRenderThePackagedChartWithTheBundledPinsWhenInstalledFromTheBundle() throws IOException {
        // Given
        Map<String, byte[]> entries = BundleFixture.entries(built.bundle());
        Path chart = dir.resolve("drydock-0.1.0.tgz");
        Files.write(chart, entries.get("chart/drydock-0.1.0.tgz"));
        Path pins = dir.resolve("values-images.yaml");
        Files.write(pins, entries.get(BundleFormat.IMAGE_VALUES));
        Path values = dir.resolve("render-values.yaml");
        try (InputStream in = BundleBuilder.class.getResourceAsStream(BundleBuilder.RENDER_VALUES)) {
            Files.copy(in, values);
        }

        // When
        Helm.Result rendered = Helm.pinned().template(chart, "drydock", "drydock", List.of(values, pins), Map.of());

        // Then
        assertThat(rendered.ok()).as(rendered.stderr()).isTrue();
        assertThat(RenderedChart.parse(rendered.stdout()).images())
                .hasSize(2)
                .allSatisfy(i -> assertThat(built.manifest().images()).anyMatch(b -> i.endsWith(b.reference())));
        assertThat(new String(
                        entries.get("chart/drydock-0.1.0.tgz"), 0, 2, java.nio.charset.StandardCharsets.ISO_8859_1))
                .isEqualTo("\u001f\u008b");
    }

    @Test
    void shouldRefuseToBuildWhenAnImageOfTheChartHasNoLayout() {
        // Given
        Map<String, Path> onlyServer =
                new LinkedHashMap<>(Map.of("drydock/server", fixture.images.get("drydock/server")));
        BundleBuilder.Inputs inputs =
                new BundleBuilder.Inputs(BundleFixture.CHART, BundleFixture.REALM, fixture.models, onlyServer, false);

        // When / Then
        assertThatThrownBy(() -> fixture.build(inputs, dir.resolve("b.tar")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sandbox.image.digest must be set");
        assertThat(dir.resolve("b.tar")).doesNotExist();
    }

    @Test
    void shouldRefuseToBuildWhenALayoutMatchesNoImageOfTheChart() throws IOException {
        // Given
        Map<String, Path> extra = new LinkedHashMap<>(fixture.images);
        extra.put("drydock/unknown", BundleFixture.layout(dir.resolve("oci/unknown"), "unknown"));
        BundleBuilder.Inputs inputs =
                new BundleBuilder.Inputs(BundleFixture.CHART, BundleFixture.REALM, fixture.models, extra, false);

        // When / Then
        assertThatThrownBy(() -> fixture.build(inputs, dir.resolve("c.tar")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the chart has no image with repository drydock/unknown");
    }

    @Test
    void shouldShipNoImagesWhenBuiltWithoutImages() throws IOException {
        // Given
        BundleBuilder.Inputs inputs =
                new BundleBuilder.Inputs(BundleFixture.CHART, BundleFixture.REALM, fixture.models, Map.of(), true);

        // When
        BundleBuilder.Result result = fixture.build(inputs, dir.resolve("d.tar"));

        // Then
        assertThat(result.manifest().images()).isEmpty();
        assertThat(result.manifest().files())
                .extracting(BundleManifest.FileEntry::path)
                .noneMatch(p -> p.startsWith("images/") || p.equals(BundleFormat.IMAGE_VALUES));
    }
}
