package dev.drydock.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.bundle.image.ImageBuilder;
import dev.drydock.bundle.image.ImageSbom;
import dev.drydock.bundle.image.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bundle check-images --inspect-only} on the reduced images (TestImages): every layout read back with skopeo
 * and its SBOM matched to its digest. Starting the evaluation images takes minutes on full bases, so that part
 * runs by hand (docs/install.md, "Check the images").
 */
class CheckImagesCommandTest {
    @TempDir
    Path dir;

    @Test
    void shouldReadEveryLayoutAndTheSbomNamingItsDigestWhenImagesAreChecked() throws Exception {
        // Given
        List<ImageBuilder.Built> all = images();
        for (ImageBuilder.Built b : all) {
            ImageSbom.write(b, "test", dir.resolve("sbom").resolve(name(b) + ".cdx.json"));
        }

        // When
        BundleCommandsTest.Run run = BundleCommandsTest.run(
                BundleMain.commandLine(), "check-images", "--images", dir.toString(), "--inspect-only");

        // Then
        assertThat(run.exit()).as(run.err()).isZero();
        for (ImageBuilder.Built b : all) {
            assertThat(run.out())
                    .contains("ok   " + b.repository() + "@" + b.digest()
                            + ": skopeo reads the layout (user 10001:10001");
        }
        assertThat(run.out()).contains("components, names this digest").contains("started nothing (--inspect-only)");
    }

    @Test
    void shouldFailNamingTheImageWhenItsSbomDescribesAnotherImage() throws Exception {
        // Given
        List<ImageBuilder.Built> all = images();
        for (ImageBuilder.Built b : all) {
            ImageBuilder.Built described = b == all.getFirst() ? all.get(1) : b;
            ImageSbom.write(described, "test", dir.resolve("sbom").resolve(name(b) + ".cdx.json"));
        }

        // When
        BundleCommandsTest.Run run = BundleCommandsTest.run(
                BundleMain.commandLine(), "check-images", "--images", dir.toString(), "--inspect-only");

        // Then
        assertThat(run.exit()).isEqualTo(BundleMain.FAILED);
        assertThat(run.out())
                .contains("FAIL " + all.getFirst().repository() + "@"
                        + all.getFirst().digest())
                .contains("names another digest");
    }

    /** The four reduced images, linked into DIR/images as bundle images writes them. */
    private List<ImageBuilder.Built> images() throws Exception {
        TestImages images = TestImages.get();
        List<ImageBuilder.Built> all = new ArrayList<>(List.of(images.serverBuilt, images.sandboxBuilt));
        all.addAll(images.evaluationImages());
        Files.createDirectories(dir.resolve("images"));
        for (ImageBuilder.Built b : all) {
            Files.createSymbolicLink(dir.resolve("images").resolve(name(b)), b.layout());
        }
        return all;
    }

    private static String name(ImageBuilder.Built b) {
        return b.repository().replace('/', '_');
    }
}
