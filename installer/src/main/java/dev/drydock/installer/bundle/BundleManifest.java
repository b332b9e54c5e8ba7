package dev.drydock.installer.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;

/**
 * What a bundle holds: the chart, the images (by digest, as the rendered chart names them) and every
 * file of the tar with its SHA-256. Written as YAML with no timestamps, so the same inputs give the
 * same bytes.
 *
 * @param format {@link BundleFormat#FORMAT}
 * @param drydockVersion the Drydock version the bundle installs
 * @param chart the chart package
 * @param images every image the rendered chart uses, each with its OCI layout in the bundle
 * @param files every file of the tar except the manifest and its signature, sorted by path
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BundleManifest(
        String format, String drydockVersion, Chart chart, List<Image> images, List<FileEntry> files) {
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    public BundleManifest {
        images = List.copyOf(images == null ? List.of() : images);
        files = files == null
                ? List.of()
                : files.stream().sorted(Comparator.comparing(FileEntry::path)).toList();
    }

    /** The chart package: {@code file} is its path in the bundle. */
    public record Chart(String name, String version, String file) {}

    /**
     * An image: the reference the chart renders ({@code repository[:tag]@digest}, registry removed),
     * its manifest digest and the folder of its OCI layout in the bundle.
     */
    public record Image(String repository, String reference, String digest, String layout) {}

    /** One file of the bundle. */
    public record FileEntry(String path, String sha256, long size) {}

    /** The manifest's bytes: what the signature covers. */
    public byte[] toBytes() {
        try {
            return YAML.writeValueAsString(this).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the bundle manifest", e);
        }
    }

    /** Reads a manifest; a malformed one is a {@link BundleRejectedException}. */
    public static BundleManifest parse(byte[] bytes) {
        try {
            BundleManifest m = YAML.readValue(bytes, BundleManifest.class);
            if (m == null || !BundleFormat.FORMAT.equals(m.format())) {
                throw new BundleRejectedException(
                        BundleFormat.MANIFEST,
                        "unknown bundle format " + (m == null ? "(empty)" : m.format()) + ", expected "
                                + BundleFormat.FORMAT);
            }
            return m;
        } catch (java.io.IOException e) {
            throw new BundleRejectedException(BundleFormat.MANIFEST, "unreadable manifest: " + e.getMessage());
        }
    }
}
