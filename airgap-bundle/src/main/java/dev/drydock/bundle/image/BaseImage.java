package dev.drydock.bundle.image;

import java.nio.file.Path;

/**
 * The image an image is built on: an OCI image layout on disk ({@code oci:DIR[:TAG]}), as
 * {@code airgap-bundle/bases/debian-base.sh} or {@code skopeo copy … oci:DIR} write it, or an image in a
 * registry the platform team mirrors ({@code docker://HOST/REPO@sha256:…} or just {@code HOST/REPO…}).
 */
public sealed interface BaseImage {
    /** An OCI image layout folder and the tag (ref name) of the image in it. */
    record Layout(Path dir, String tag) implements BaseImage {}

    /** A registry reference; {@code insecure} allows plain HTTP (a registry on loopback). */
    record Registry(String reference, boolean insecure) implements BaseImage {}

    /** Parses {@code oci:DIR[:TAG]}, {@code docker://REF} or {@code REF}. */
    static BaseImage parse(String value, boolean insecure) {
        if (value.startsWith("oci:")) {
            String rest = value.substring(4);
            int colon = rest.lastIndexOf(':');
            if (colon > 0 && !rest.substring(colon + 1).contains("/")) {
                return new Layout(Path.of(rest.substring(0, colon)), rest.substring(colon + 1));
            }
            return new Layout(Path.of(rest), "");
        }
        String ref = value.startsWith("docker://") ? value.substring("docker://".length()) : value;
        if (ref.isBlank()) {
            throw new IllegalArgumentException("empty base image reference");
        }
        return new Registry(ref, insecure);
    }

    /** How this base is written on a command line. */
    default String describe() {
        return switch (this) {
            case Layout l -> "oci:" + l.dir() + (l.tag().isEmpty() ? "" : ":" + l.tag());
            case Registry r -> "docker://" + r.reference();
        };
    }
}
