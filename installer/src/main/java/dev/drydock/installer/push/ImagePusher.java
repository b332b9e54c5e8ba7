package dev.drydock.installer.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pushes one image from an OCI layout: every blob its manifest names (skipping those the registry
 * has), then the manifest under its digest and, if given, a tag. The registry's digest must equal
 * the layout's: the image is pulled by that digest.
 */
public final class ImagePusher {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RegistryClient registry;

    public ImagePusher(RegistryClient registry) {
        this.registry = registry;
    }

    /** What one push did. */
    public record Pushed(String repository, String digest, int blobsUploaded, int blobsPresent) {}

    public Pushed push(Path layout, String repository, Optional<String> tag) throws IOException {
        JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
        JsonNode descriptor = index.path("manifests").path(0);
        String digest = descriptor.path("digest").asText();
        String mediaType = descriptor.path("mediaType").asText("application/vnd.oci.image.manifest.v1+json");
        if (index.path("manifests").size() != 1 || !digest.startsWith("sha256:")) {
            throw new IOException(layout + ": expected exactly one image manifest in index.json");
        }
        if (mediaType.contains("index") || mediaType.contains("manifest.list")) {
            throw new IOException(layout + ": " + mediaType
                    + " (a multi-platform index) is not supported yet; give a single-platform image");
        }
        byte[] manifest = Files.readAllBytes(blob(layout, digest));
        JsonNode m = JSON.readTree(manifest);
        List<String> blobs = new ArrayList<>();
        blobs.add(m.path("config").path("digest").asText());
        m.path("layers").forEach(l -> blobs.add(l.path("digest").asText()));
        int uploaded = 0;
        int present = 0;
        for (String b : blobs) {
            if (registry.hasBlob(repository, b)) {
                present++;
            } else {
                registry.uploadBlob(repository, b, blob(layout, b));
                uploaded++;
            }
        }
        String stored = registry.putManifest(repository, digest, mediaType, manifest);
        if (!stored.isEmpty() && !stored.equals(digest)) {
            throw new IOException(repository + ": the registry stored the manifest as " + stored + ", not " + digest);
        }
        if (tag.isPresent()) {
            registry.putManifest(repository, tag.get(), mediaType, manifest);
        }
        return new Pushed(repository, digest, uploaded, present);
    }

    private static Path blob(Path layout, String digest) throws IOException {
        if (!digest.matches("sha256:[0-9a-f]{64}")) {
            throw new IOException(layout + ": invalid digest " + digest);
        }
        Path p = layout.resolve("blobs/sha256").resolve(digest.substring(7));
        if (!Files.isRegularFile(p)) {
            throw new IOException(layout + ": blob " + digest + " is missing");
        }
        return p;
    }
}
