package dev.drydock.bundle;

import dev.drydock.bundle.image.DrydockImages;
import dev.drydock.bundle.image.ImageCheck;
import dev.drydock.installer.helm.Helm;
import dev.drydock.installer.helm.RenderedChart;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./drydock bundle check-images --images DIR}: read what {@code bundle images} wrote, start the evaluation images. */
@Command(
        name = "check-images",
        description =
                "Check the images `bundle images` wrote: skopeo inspect of every layout and its SBOM; then start drydock/postgres and drydock/keycloak (when built) from their unpacked layers in bwrap as the evaluation chart runs them, wait for Keycloak's readiness and get a token of the drydock realm. Needs skopeo, umoci and bwrap; no cluster, no container engine.")
final class CheckImagesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--images",
            required = true,
            paramLabel = "DIR",
            description =
                    "The --out folder of bundle images (DIR/images/<repository>, DIR/sbom/<repository>.cdx.json).")
    Path images;

    @Option(
            names = "--chart",
            paramLabel = "DIR",
            description = "The chart whose evaluation install is started (default: k8s/drydock of the checkout).")
    Path chart;

    @Option(names = "--inspect-only", description = "Only read the layouts and SBOMs; start nothing.")
    boolean inspectOnly;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "900",
            description = "How long PostgreSQL and Keycloak may each take to become ready.")
    int timeout;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        Path layouts = images.resolve("images");
        if (!Files.isDirectory(layouts)) {
            spec.commandLine().getErr().println("drydock bundle check-images: " + layouts + " does not exist");
            return BundleMain.USAGE;
        }
        Map<String, Path> found = new TreeMap<>();
        try (var dirs = Files.list(layouts)) {
            dirs.filter(d -> Files.isRegularFile(d.resolve("index.json")))
                    .forEach(d -> found.put(d.getFileName().toString().replace('_', '/'), d));
        }
        int failures = 0;
        Map<String, String> digests = new TreeMap<>();
        for (Map.Entry<String, Path> e : found.entrySet()) {
            Path sbom = images.resolve("sbom").resolve(e.getValue().getFileName() + ".cdx.json");
            ImageCheck.Inspected i = ImageCheck.inspect(e.getKey(), e.getValue(), sbom);
            digests.put(e.getKey(), i.digest());
            boolean ok = i.user().matches("[1-9][0-9]*(:[0-9]+)?") && i.sbomComponents() > 0 && i.sbomNamesDigest();
            failures += ok ? 0 : 1;
            o.printf(
                    "%s %s@%s: skopeo reads the layout (user %s, %d layers, entrypoint %s); SBOM %s%n",
                    ok ? "ok  " : "FAIL",
                    i.repository(),
                    i.digest(),
                    i.user(),
                    i.layers(),
                    String.join(" ", i.entrypoint()).replaceAll("\\s+", " "),
                    i.sbomComponents() < 0
                            ? "missing"
                            : i.sbomComponents() + " components"
                                    + (i.sbomNamesDigest() ? ", names this digest" : ", names another digest"));
        }
        Path pg = found.get(DrydockImages.POSTGRES);
        Path kc = found.get(DrydockImages.KEYCLOAK);
        if (inspectOnly || pg == null || kc == null) {
            o.println(
                    inspectOnly
                            ? "started nothing (--inspect-only)"
                            : "started nothing: drydock/postgres and drydock/keycloak are not both in " + layouts);
            return failures == 0 ? BundleMain.OK : BundleMain.FAILED;
        }
        Path root = Path.of(System.getenv().getOrDefault("DRYDOCK_ROOT", "."));
        Path chartDir = chart != null ? chart : root.resolve("k8s/drydock");
        Helm.Result rendered = Helm.pinned()
                .template(
                        chartDir,
                        "drydock",
                        "drydock",
                        List.of(chartDir.resolve("ci/evaluation-values.yaml")),
                        Map.of(
                                "evaluation.postgres.image.digest", digests.get(DrydockImages.POSTGRES),
                                "evaluation.keycloak.image.digest", digests.get(DrydockImages.KEYCLOAK)));
        RenderedChart evaluation = RenderedChart.parse(rendered.orThrow());
        Path work = Files.createTempDirectory("drydock-check-images-");
        ImageCheck check = new ImageCheck(work, o);
        try {
            check.startEvaluation(pg, kc, evaluation, Duration.ofSeconds(timeout));
        } finally {
            check.close();
        }
        return failures == 0 ? BundleMain.OK : BundleMain.FAILED;
    }
}
