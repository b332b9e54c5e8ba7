package dev.drydock.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.drydock.bundle.image.DrydockImages;
import dev.drydock.installer.bundle.BundleFormat;
import dev.drydock.installer.bundle.BundleManifest;
import dev.drydock.installer.bundle.BundleSignature;
import dev.drydock.installer.bundle.CanonicalTar;
import dev.drydock.installer.helm.Helm;
import dev.drydock.installer.helm.RenderedChart;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Builds a bundle: packages the chart, pins its images to the given OCI layouts, renders the chart
 * to find every image it uses (each must be in the bundle, by digest; with the evaluation install on when
 * its PostgreSQL or Keycloak image is given), adds the realm and the model
 * files, writes and signs the manifest, and writes one canonical tar. The same inputs give the same
 * bytes.
 */
public final class BundleBuilder {
    /** Values the chart needs to render at all, for listing its images only; never installed. */
    static final String RENDER_VALUES = "render-values.yaml";

    private final Helm helm;

    public BundleBuilder(Helm helm) {
        this.helm = helm;
    }

    /**
     * What goes into a bundle.
     *
     * @param chartDir the chart folder (k8s/drydock)
     * @param realm the Keycloak realm JSON
     * @param models model files by their name in the bundle
     * @param images OCI layouts by repository; empty together with {@code withoutImages}
     * @param withoutImages build a bundle without images (no image has been built yet)
     */
    public record Inputs(
            Path chartDir,
            Path realm,
            Map<String, Path> models,
            Map<String, Path> images,
            boolean withoutImages,
            Map<String, Path> sboms) {
        /** Inputs without SBOMs. */
        public Inputs(
                Path chartDir, Path realm, Map<String, Path> models, Map<String, Path> images, boolean withoutImages) {
            this(chartDir, realm, models, images, withoutImages, Map.of());
        }
    }

    /** What was built. */
    public record Result(Path bundle, BundleManifest manifest, long bytes) {}

    /** Builds the bundle into {@code out} (written to a temporary file next to it, then moved). */
    public Result build(Inputs in, PrivateKey key, PublicKey publicKey, Path out) throws IOException {
        ChartPackage chart = ChartPackage.of(in.chartDir());
        Map<String, Content> files = new TreeMap<>();
        files.put(BundleFormat.CHART_DIR + chart.fileName(), Content.of(chart.bytes()));
        files.put(BundleFormat.REALM, Content.of(in.realm()));
        for (Map.Entry<String, Path> m : in.models().entrySet()) {
            files.put(BundleFormat.MODELS_DIR + m.getKey(), Content.of(m.getValue()));
        }
        for (Map.Entry<String, Path> sbom : in.sboms().entrySet()) {
            files.put(BundleFormat.SBOM_DIR + sbom.getKey(), Content.of(sbom.getValue()));
        }
        List<BundleManifest.Image> images = new ArrayList<>();
        if (in.withoutImages()) {
            if (!in.images().isEmpty()) {
                throw new IllegalArgumentException("--without-images and --image exclude each other");
            }
        } else {
            Map<String, OciLayout> layouts = new TreeMap<>();
            for (Map.Entry<String, Path> i : in.images().entrySet()) {
                layouts.put(i.getKey(), OciLayout.read(i.getKey(), i.getValue()));
            }
            byte[] imageValues = imageValues(in.chartDir(), layouts);
            files.put(BundleFormat.IMAGE_VALUES, Content.of(imageValues));
            images.addAll(chartImages(in.chartDir(), imageValues, layouts));
            for (OciLayout layout : layouts.values()) {
                for (Path f : layout.files()) {
                    files.put(
                            layout.bundleDir() + f.toString().replace('\\', '/'),
                            Content.of(layout.dir().resolve(f)));
                }
            }
        }
        List<BundleManifest.FileEntry> entries = new ArrayList<>();
        for (Map.Entry<String, Content> f : files.entrySet()) {
            entries.add(new BundleManifest.FileEntry(
                    f.getKey(), f.getValue().sha256(), f.getValue().size()));
        }
        BundleManifest manifest = new BundleManifest(
                BundleFormat.FORMAT,
                chart.appVersion(),
                new BundleManifest.Chart(chart.name(), chart.version(), BundleFormat.CHART_DIR + chart.fileName()),
                images,
                entries);
        byte[] manifestBytes = manifest.toBytes();
        byte[] signature = BundleSignature.sign(key, publicKey, manifestBytes);

        Path dir = out.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".bundle-", ".tmp");
        try {
            try (OutputStream os = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
                    CanonicalTar tar = new CanonicalTar(os)) {
                tar.add(BundleFormat.MANIFEST, manifestBytes);
                tar.add(BundleFormat.SIGNATURE, signature);
                for (Map.Entry<String, Content> f : files.entrySet()) {
                    try (InputStream content = f.getValue().open()) {
                        tar.add(f.getKey(), f.getValue().size(), content);
                    }
                }
                tar.finish();
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return new Result(out, manifest, Files.size(out));
    }

    /**
     * values-images.yaml: every map of the chart's values.yaml with a {@code repository} and a
     * {@code digest} gets the digest of the layout given for that repository.
     */
    static byte[] imageValues(Path chartDir, Map<String, OciLayout> layouts) throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        JsonNode values = yaml.readTree(chartDir.resolve("values.yaml").toFile());
        ObjectNode pins = yaml.createObjectNode();
        Set<String> used = new java.util.TreeSet<>();
        pin(values, pins, layouts, used);
        for (String repository : layouts.keySet()) {
            if (!used.contains(repository)) {
                throw new IllegalArgumentException(
                        "--image " + repository + "=…: the chart has no image with repository " + repository);
            }
        }
        String header =
                "# Pins every image of the chart to the digest of its OCI layout in this bundle. Generated by ./drydock bundle build.\n";
        return (header
                        + yaml.copy()
                                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                                .writeValueAsString(pins))
                .getBytes(StandardCharsets.UTF_8);
    }

    private static boolean pin(JsonNode values, ObjectNode pins, Map<String, OciLayout> layouts, Set<String> used) {
        boolean any = false;
        if (values.has("repository")
                && values.has("digest")
                && layouts.containsKey(values.get("repository").asText())) {
            String repository = values.get("repository").asText();
            pins.put("digest", Objects.requireNonNull(layouts.get(repository)).digest()); // containsKey above
            used.add(repository);
            any = true;
        }
        for (Map.Entry<String, JsonNode> field : values.properties()) {
            if (field.getValue().isObject()) {
                ObjectNode child = pins.objectNode();
                if (pin(field.getValue(), child, layouts, used)) {
                    pins.set(field.getKey(), child);
                    any = true;
                }
            }
        }
        return any;
    }

    /** Renders the chart with the pins and checks that every image it uses is one of the layouts, by digest. */
    private List<BundleManifest.Image> chartImages(Path chartDir, byte[] imageValues, Map<String, OciLayout> layouts)
            throws IOException {
        Path work = Files.createTempDirectory("drydock-bundle-");
        try {
            Path renderValues = work.resolve(RENDER_VALUES);
            try (InputStream in = BundleBuilder.class.getResourceAsStream(RENDER_VALUES)) {
                Files.copy(java.util.Objects.requireNonNull(in, RENDER_VALUES), renderValues);
            }
            Path pins = work.resolve("values-images.yaml");
            Files.write(pins, imageValues);
            List<Path> valueFiles = new ArrayList<>(List.of(renderValues, pins));
            if (layouts.containsKey(DrydockImages.POSTGRES) || layouts.containsKey(DrydockImages.KEYCLOAK)) {
                // The evaluation install's images: render with it on, so they are checked and listed too.
                Path evaluation = work.resolve("evaluation-values.yaml");
                Files.writeString(evaluation, "evaluation:\n  enabled: true\n");
                valueFiles.add(evaluation);
            }
            Helm.Result rendered = helm.template(chartDir, "drydock", "drydock", valueFiles, Map.of());
            if (!rendered.ok()) {
                throw new IllegalArgumentException("the chart does not render with the given images: "
                        + rendered.stderr().strip()
                        + (layouts.isEmpty()
                                ? " (give every image as --image REPOSITORY=OCI_LAYOUT_DIR, or build with --without-images)"
                                : ""));
            }
            Map<String, BundleManifest.Image> images = new LinkedHashMap<>();
            for (String reference : RenderedChart.parse(rendered.stdout()).images()) {
                ImageReference ref = ImageReference.parse(reference);
                OciLayout layout = layouts.get(ref.repository());
                if (layout == null) {
                    throw new IllegalArgumentException(
                            "the chart uses " + reference + " but no OCI layout was given for " + ref.repository()
                                    + " (--image " + ref.repository() + "=DIR)");
                }
                if (!layout.digest().equals(ref.digest().orElse(""))) {
                    throw new IllegalArgumentException("the chart uses " + reference + " but the layout of "
                            + ref.repository() + " holds " + layout.digest());
                }
                images.put(
                        ref.repository(),
                        new BundleManifest.Image(
                                ref.repository(), ref.withoutRegistry(), layout.digest(), layout.bundleDir()));
            }
            return List.copyOf(images.values());
        } finally {
            try (var walk = Files.walk(work)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** An image reference split into registry, repository, tag and digest. */
    record ImageReference(Optional<String> registry, String repository, Optional<String> tag, Optional<String> digest) {
        static ImageReference parse(String reference) {
            String rest = reference;
            Optional<String> digest = Optional.empty();
            int at = rest.indexOf('@');
            if (at >= 0) {
                digest = Optional.of(rest.substring(at + 1));
                rest = rest.substring(0, at);
            }
            Optional<String> registry = Optional.empty();
            int slash = rest.indexOf('/');
            if (slash > 0) {
                String first = rest.substring(0, slash);
                if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                    registry = Optional.of(first);
                    rest = rest.substring(slash + 1);
                }
            }
            Optional<String> tag = Optional.empty();
            int colon = rest.lastIndexOf(':');
            if (colon > 0) {
                tag = Optional.of(rest.substring(colon + 1));
                rest = rest.substring(0, colon);
            }
            return new ImageReference(registry, rest, tag, digest);
        }

        String withoutRegistry() {
            return repository
                    + tag.map(t -> ":" + t).orElse("")
                    + digest.map(d -> "@" + d).orElse("");
        }
    }

    /** A file's content, from disk or memory, with its size and SHA-256. */
    private record Content(
            long size, String sha256, @Nullable Path file, byte @Nullable [] bytes) {
        static Content of(byte[] bytes) {
            return new Content(
                    bytes.length, HexFormat.of().formatHex(newDigest().digest(bytes)), null, bytes);
        }

        static Content of(Path file) throws IOException {
            if (!Files.isRegularFile(file)) {
                throw new IOException(file + " is not a file");
            }
            try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), newDigest())) {
                long size = in.transferTo(OutputStream.nullOutputStream());
                return new Content(
                        size, HexFormat.of().formatHex(in.getMessageDigest().digest()), file, null);
            }
        }

        InputStream open() throws IOException {
            return bytes != null ? new ByteArrayInputStream(bytes) : Files.newInputStream(Objects.requireNonNull(file));
        }

        private static MessageDigest newDigest() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
