package dev.drydock.installer.command;

import dev.drydock.installer.release.ReleaseRequest;
import dev.drydock.installer.release.ValuesQuestionnaire;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options render, install and upgrade share: chart, release, namespace, values. */
public final class ReleaseOptions {
    @Option(
            names = "--bundle-dir",
            paramLabel = "DIR",
            defaultValue = "bundle",
            description =
                    "An extracted, verified bundle (install extract): its chart/drydock-*.tgz and chart/values-images.yaml are used (default: ${DEFAULT-VALUE}).")
    Path bundleDir;

    @Option(
            names = "--chart",
            paramLabel = "CHART",
            description = "The chart (.tgz or folder) instead of the bundle's.")
    Path chart;

    @Option(names = "--release", defaultValue = "drydock", description = "Release name (default: ${DEFAULT-VALUE}).")
    String release;

    @Option(
            names = {"-n", "--namespace"},
            defaultValue = "drydock",
            description = "Release namespace (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(
            names = {"-f", "--values"},
            paramLabel = "FILE",
            description = "A values file (after the bundle's values-images.yaml; later files win). Repeatable.")
    List<Path> values = new ArrayList<>();

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "A value, as helm --set takes it (applied last). Repeatable.")
    Map<String, String> set = new LinkedHashMap<>();

    @Option(
            names = "--ask",
            description =
                    "Ask the few values every site decides (registry, database, Keycloak, host, runtime class) and write them to --write-values.")
    boolean ask;

    @Option(
            names = "--write-values",
            paramLabel = "FILE",
            defaultValue = "site-values.yaml",
            description = "Where --ask writes its answers (default: ${DEFAULT-VALUE}).")
    Path writeValues;

    @Option(names = "--context", description = "kubeconfig context (default: the current one).")
    String context;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "600",
            description = "Seconds Helm waits for the release to be ready (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    /** The request these options describe; with --ask, asks first. */
    ReleaseRequest request(BufferedReader in, PrintWriter out) throws IOException {
        List<Path> files = new ArrayList<>();
        Path chartPath = chart;
        if (chartPath == null) {
            Path chartDir = bundleDir.resolve("chart");
            try (var list = Files.list(chartDir)) {
                chartPath = list.filter(p -> p.getFileName().toString().matches("drydock-.*\\.tgz"))
                        .sorted()
                        .findFirst()
                        .orElseThrow(
                                () -> new IllegalArgumentException(
                                        chartDir
                                                + " holds no drydock-*.tgz: give --chart, or extract a bundle there (install extract)"));
            } catch (java.nio.file.NoSuchFileException e) {
                throw new IllegalArgumentException(
                        chartDir + " does not exist: extract a verified bundle (install extract … --out " + bundleDir
                                + ") or give --chart");
            }
            Path pins = chartDir.resolve("values-images.yaml");
            if (Files.isRegularFile(pins)) {
                files.add(pins);
            }
        }
        files.addAll(values);
        if (ask) {
            Files.writeString(writeValues, ValuesQuestionnaire.ask(in, out));
            out.println("wrote " + writeValues);
            files.add(writeValues);
        }
        return new ReleaseRequest(
                chartPath,
                release,
                namespace,
                files,
                set,
                Duration.ofSeconds(timeoutSeconds),
                Optional.ofNullable(context));
    }
}
