package dev.drydock.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * An image as an OCI image layout folder ({@code oci-layout}, {@code index.json}, {@code blobs/}),
 * as Jib, {@code skopeo copy … oci:DIR} or {@code umoci} write it, holding exactly one image.
 *
 * @param repository the repository the chart names the image by, e.g. {@code drydock/server}
 * @param dir the layout folder
 * @param digest the digest of the image's manifest (what the chart pins)
 * @param files the layout's regular files, relative, sorted
 */
public record OciLayout(String repository, Path dir, String digest, List<Path> files) {
    /** Reads the layout in {@code dir}; it must hold exactly one manifest whose blob is present. */
    public static OciLayout read(String repository, Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve("oci-layout")) || !Files.isRegularFile(dir.resolve("index.json"))) {
            throw new IOException(dir + " is not an OCI image layout (needs oci-layout and index.json)");
        }
        JsonNode index = new ObjectMapper().readTree(dir.resolve("index.json").toFile());
        JsonNode manifests = index.path("manifests");
        if (!manifests.isArray() || manifests.size() != 1) {
            throw new IOException(dir + "/index.json must list exactly one image manifest, found " + manifests.size());
        }
        String digest = manifests.get(0).path("digest").asText();
        if (!digest.matches("sha256:[0-9a-f]{64}")) {
            throw new IOException(dir + "/index.json: manifest digest '" + digest + "' is not a sha256 digest");
        }
        if (!Files.isRegularFile(dir.resolve("blobs/sha256/" + digest.substring(7)))) {
            throw new IOException(dir + ": the manifest blob " + digest + " is missing");
        }
        List<Path> files;
        try (var walk = Files.walk(dir)) {
            List<Path> all = walk.filter(p -> !p.equals(dir)).toList();
            for (Path p : all) {
                if (Files.isSymbolicLink(p)
                        || !(Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                                || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))) {
                    throw new IOException(p + ": only regular files and folders may be in an image layout");
                }
            }
            files = all.stream()
                    .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .map(dir::relativize)
                    .sorted()
                    .toList();
        }
        return new OciLayout(repository, dir, digest, files);
    }

    /** Folder of this layout inside the bundle: {@code images/<repository with / as _>/}. */
    public String bundleDir() {
        return dev.drydock.installer.bundle.BundleFormat.IMAGES_DIR + repository.replace('/', '_') + "/";
    }
}
