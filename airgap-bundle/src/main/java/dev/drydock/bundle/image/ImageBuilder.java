package dev.drydock.bundle.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Builds an {@link ImageRecipe} with Jib (no container engine, no network unless the base is a registry
 * reference) into an OCI image layout folder. A base given as an OCI layout is turned into the
 * {@code docker-archive} tar Jib reads with {@code skopeo copy} once, and cached by its manifest digest.
 * Same inputs, same digest: Jib writes fixed times and sorted entries.
 */
public final class ImageBuilder {
    /** Modification time of every file in the layers Jib adds (2000-01-01, as the bundle's tar). */
    public static final Instant FILE_TIME = Instant.parse("2000-01-01T00:00:00Z");

    private static final FilePermissions EXECUTABLE = FilePermissions.fromOctalString("755");
    private static final FilePermissions REGULAR = FilePermissions.fromOctalString("644");

    private final Path cache;

    /** @param cache folder for converted bases and Jib's layer caches */
    public ImageBuilder(Path cache) {
        this.cache = cache;
    }

    /** What was built. */
    public record Built(String repository, Path layout, String digest, String imageId) {}

    /** Builds {@code recipe} into the OCI layout folder {@code layout} (replaced if it exists). */
    public Built build(ImageRecipe recipe, Path layout) throws IOException, InterruptedException {
        JibContainerBuilder jib;
        try {
            jib = switch (recipe.base()) {
                case BaseImage.Layout l -> Jib.from(TarImage.at(dockerArchive(l)));
                case BaseImage.Registry r -> Jib.from(RegistryImage.named(r.reference()));
            };
        } catch (com.google.cloud.tools.jib.api.InvalidImageReferenceException e) {
            throw new IllegalArgumentException("not an image reference: " + e.getMessage(), e);
        }
        for (ImageRecipe.Layer layer : recipe.layers()) {
            jib.addFileEntriesLayer(fileLayer(layer));
        }
        jib.setEntrypoint(recipe.entrypoint())
                .setProgramArguments(List.of())
                .setUser(recipe.user())
                .setWorkingDirectory(AbsoluteUnixPath.get(recipe.workingDirectory()))
                .setFormat(ImageFormat.OCI)
                .setCreationTime(FILE_TIME);
        recipe.environment().forEach(jib::addEnvironmentVariable);
        for (int port : recipe.ports()) {
            jib.addExposedPort(Port.tcp(port));
        }
        recipe.labels().forEach(jib::addLabel);
        Path tar = Files.createTempFile(Files.createDirectories(cache), "image-", ".tar");
        try {
            Containerizer to = Containerizer.to(TarImage.at(tar).named(recipe.repository() + ":" + recipe.tag()))
                    .setBaseImageLayersCache(cache.resolve("jib-base"))
                    .setApplicationLayersCache(cache.resolve("jib-app"))
                    .setAllowInsecureRegistries(recipe.base() instanceof BaseImage.Registry r && r.insecure())
                    .setOfflineMode(recipe.base() instanceof BaseImage.Layout)
                    .setToolName("drydock-bundle-images");
            JibContainer container;
            try {
                container = jib.containerize(to);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(
                        "jib could not build " + recipe.repository() + " on "
                                + recipe.base().describe() + ": " + e.getMessage(),
                        e);
            }
            deleteTree(layout);
            untar(tar, layout);
            tagOnly(layout, recipe.tag());
            return new Built(
                    recipe.repository(),
                    layout,
                    container.getDigest().toString(),
                    container.getImageId().toString());
        } catch (com.google.cloud.tools.jib.api.InvalidImageReferenceException e) {
            throw new IllegalArgumentException("not an image name: " + recipe.repository() + ":" + recipe.tag(), e);
        } finally {
            Files.deleteIfExists(tar);
        }
    }

    private static FileEntriesLayer fileLayer(ImageRecipe.Layer layer) throws IOException {
        FileEntriesLayer.Builder b = FileEntriesLayer.builder().setName(layer.name());
        List<Map.Entry<Path, String>> copies = new ArrayList<>(layer.copies().entrySet());
        copies.sort(Map.Entry.comparingByValue());
        for (Map.Entry<Path, String> copy : copies) {
            Path source = copy.getKey();
            if (!Files.exists(source)) {
                throw new IOException("layer " + layer.name() + ": " + source + " does not exist");
            }
            if (copy.getValue().equals("/")) {
                // A tree copied onto the root: its children, as Jib has no entry for "/" itself.
                try (var children = Files.list(source)) {
                    for (Path child : children.sorted().toList()) {
                        addRecursive(b, child, "/" + child.getFileName());
                    }
                }
            } else {
                addRecursive(b, source, copy.getValue());
            }
        }
        if (!layer.emptyDirectories().isEmpty()) {
            Path empty = Files.createTempDirectory("drydock-empty-");
            empty.toFile().deleteOnExit();
            for (String dir : layer.emptyDirectories()) {
                b.addEntry(empty, AbsoluteUnixPath.get(dir), EXECUTABLE, FILE_TIME);
            }
        }
        return b.build();
    }

    private static void addRecursive(FileEntriesLayer.Builder b, Path source, String target) throws IOException {
        b.addEntryRecursive(
                source,
                AbsoluteUnixPath.get(target),
                (src, t) -> Files.isDirectory(src) || Files.isExecutable(src) ? EXECUTABLE : REGULAR,
                (src, t) -> FILE_TIME);
    }

    /** The base layout as a docker-archive tar (what Jib reads), converted once with skopeo and cached by manifest digest. */
    private Path dockerArchive(BaseImage.Layout base) throws IOException, InterruptedException {
        String ref = base.dir().toAbsolutePath() + (base.tag().isEmpty() ? "" : ":" + base.tag());
        String digest = manifestDigest(base);
        Path cached = cache.resolve("bases").resolve(digest.replace(':', '-') + ".tar");
        if (Files.isRegularFile(cached)) {
            return cached;
        }
        Files.createDirectories(cached.getParent());
        Path partial = cached.resolveSibling(cached.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        run(List.of("skopeo", "copy", "--quiet", "oci:" + ref, "docker-archive:" + partial + ":base:latest"));
        Files.move(partial, cached, StandardCopyOption.ATOMIC_MOVE);
        return cached;
    }

    /** Digest of the base layout's manifest (with {@code skopeo inspect --raw} semantics: the index entry). */
    static String manifestDigest(BaseImage.Layout base) throws IOException {
        var index = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(base.dir().resolve("index.json").toFile());
        for (var m : index.path("manifests")) {
            String name = m.path("annotations")
                    .path("org.opencontainers.image.ref.name")
                    .asText("");
            if (base.tag().isEmpty() || base.tag().equals(name)) {
                return m.path("digest").asText();
            }
        }
        throw new IOException(
                base.describe() + ": no image " + (base.tag().isEmpty() ? "" : "tagged " + base.tag() + " ") + "in "
                        + base.dir().resolve("index.json"));
    }

    static void run(List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("drydock-cmd-", ".log");
        try {
            Process p;
            try {
                p = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .start();
            } catch (IOException e) {
                throw new IOException(
                        "cannot run " + command.getFirst() + " (" + e.getMessage() + "); Debian: apt-get install "
                                + command.getFirst(),
                        e);
            }
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within 10 minutes");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): "
                        + Files.readString(log).strip());
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /**
     * Jib names the image {@code repository:tag} in index.json; the OCI layout convention (skopeo's
     * {@code oci:DIR:TAG}, umoci's {@code DIR:TAG}) is the tag alone. The manifest, and so the digest, is unchanged.
     */
    private static void tagOnly(Path layout, String tag) throws IOException {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var index = (com.fasterxml.jackson.databind.node.ObjectNode)
                mapper.readTree(layout.resolve("index.json").toFile());
        for (var m : index.path("manifests")) {
            if (m.get("annotations") instanceof com.fasterxml.jackson.databind.node.ObjectNode a) {
                a.put("org.opencontainers.image.ref.name", tag);
            }
        }
        Files.write(layout.resolve("index.json"), mapper.writeValueAsBytes(index));
    }

    private static void untar(Path tar, Path dir) throws IOException {
        Files.createDirectories(dir);
        try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                Path target = dir.resolve(e.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("jib wrote an entry outside the layout: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else if (e.isFile()) {
                    Files.createDirectories(target.getParent());
                    Files.copy((InputStream) in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
