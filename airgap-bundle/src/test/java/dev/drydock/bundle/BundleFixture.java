package dev.drydock.bundle;

import dev.drydock.installer.bundle.BundleKeys;
import dev.drydock.installer.bundle.CanonicalTar;
import dev.drydock.installer.helm.Helm;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** A small real bundle: the real chart and realm, two tiny OCI layouts, one model file, fresh keys. */
final class BundleFixture {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path CHART = ROOT.resolve("k8s/drydock");
    static final Path REALM = ROOT.resolve("server/src/main/resources/realm/drydock-realm.json");

    final Path dir;
    final Path keys;
    final Map<String, Path> images = new LinkedHashMap<>();
    final Map<String, Path> models = new LinkedHashMap<>();

    BundleFixture(Path dir) throws IOException {
        this.dir = dir;
        this.keys = dir.resolve("keys");
        BundleKeys.generate(keys);
        images.put("drydock/server", layout(dir.resolve("oci/server"), "server"));
        images.put("drydock/sandbox", layout(dir.resolve("oci/sandbox"), "sandbox"));
        Path model = dir.resolve("model.onnx");
        Files.writeString(model, "not really a model, but bytes to ship and hash");
        models.put("model.onnx", model);
    }

    BundleBuilder.Inputs inputs() {
        return new BundleBuilder.Inputs(CHART, REALM, models, images, false);
    }

    /** Builds the bundle with the fixture's keys. */
    BundleBuilder.Result build(Path out) throws IOException {
        return build(inputs(), out);
    }

    BundleBuilder.Result build(BundleBuilder.Inputs inputs, Path out) throws IOException {
        return new BundleBuilder(Helm.pinned())
                .build(inputs, BundleKeys.readPrivate(privateKey()), BundleKeys.readPublic(publicKey()), out);
    }

    Path privateKey() {
        return keys.resolve(BundleKeys.PRIVATE_KEY_FILE);
    }

    Path publicKey() {
        return keys.resolve(BundleKeys.PUBLIC_KEY_FILE);
    }

    /** The entries of a bundle, in order. */
    static Map<String, byte[]> entries(Path bundle) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(bundle))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                out.put(e.getName(), tar.readAllBytes());
            }
        }
        return out;
    }

    /** Writes entries as a canonical tar (how a tampered bundle is made). */
    static void write(Map<String, byte[]> entries, Path bundle) throws IOException {
        try (OutputStream os = Files.newOutputStream(bundle);
                CanonicalTar tar = new CanonicalTar(os)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                tar.add(e.getKey(), e.getValue());
            }
            tar.finish();
        }
    }

    /** A minimal OCI image layout with one manifest, one config and one layer blob. */
    static Path layout(Path dir, String name) throws IOException {
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        String layer = blob(dir, ("layer of " + name).getBytes(StandardCharsets.UTF_8));
        String config = blob(
                dir,
                ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:"
                                + layer + "\"]}}")
                        .getBytes(StandardCharsets.UTF_8));
        String manifestJson = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:" + config
                + "\",\"size\":" + Files.size(dir.resolve("blobs/sha256/" + config)) + "},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"sha256:" + layer
                + "\",\"size\":" + Files.size(dir.resolve("blobs/sha256/" + layer)) + "}]}";
        byte[] manifest = manifestJson.getBytes(StandardCharsets.UTF_8);
        String digest = blob(dir, manifest);
        Files.writeString(
                dir.resolve("index.json"),
                "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:"
                        + digest + "\",\"size\":" + manifest.length + "}]}");
        return dir;
    }

    static String digestOf(Path layout) throws IOException {
        return OciLayout.read("x", layout).digest();
    }

    private static String blob(Path dir, byte[] content) throws IOException {
        try {
            String hex = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(content));
            Files.write(dir.resolve("blobs/sha256/" + hex), content);
            return hex;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> names(Map<String, byte[]> entries) {
        return new ArrayList<>(entries.keySet());
    }
}
