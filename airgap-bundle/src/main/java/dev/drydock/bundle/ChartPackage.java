package dev.drydock.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.drydock.installer.bundle.CanonicalTar;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * A Helm chart folder packaged as {@code helm package} would (a gzip tar of {@code NAME/…}), but
 * deterministically: sorted entries, fixed times and owners, no gzip timestamp or file name.
 * Honours the simple forms of {@code .helmignore} the chart uses ({@code dir/}, {@code *.ext}, names).
 */
public record ChartPackage(String name, String version, String appVersion, byte[] bytes) {
    /** File name Helm uses: {@code NAME-VERSION.tgz}. */
    public String fileName() {
        return name + "-" + version + ".tgz";
    }

    /** Packages the chart in {@code dir}. */
    public static ChartPackage of(Path dir) throws IOException {
        Path chartYaml = dir.resolve("Chart.yaml");
        if (!Files.isRegularFile(chartYaml)) {
            throw new IOException(dir + " is not a Helm chart (no Chart.yaml)");
        }
        JsonNode chart = new YAMLMapper().readTree(chartYaml.toFile());
        String name = chart.path("name").asText();
        String version = chart.path("version").asText();
        if (name.isEmpty() || version.isEmpty()) {
            throw new IOException(chartYaml + " has no name or version");
        }
        List<String> ignore = ignorePatterns(dir.resolve(".helmignore"));
        List<Path> files;
        try (var walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(f -> !ignored(dir.relativize(f), ignore))
                    .sorted()
                    .toList();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GzipParameters gzip = new GzipParameters();
        gzip.setModificationTime(0);
        gzip.setOperatingSystem(3);
        try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(out, gzip);
                CanonicalTar tar = new CanonicalTar(gz)) {
            for (Path f : files) {
                String rel = dir.relativize(f).toString().replace('\\', '/');
                try (InputStream in = Files.newInputStream(f)) {
                    tar.add(name + "/" + rel, Files.size(f), in);
                }
            }
            tar.finish();
        }
        return new ChartPackage(name, version, chart.path("appVersion").asText(version), out.toByteArray());
    }

    private static List<String> ignorePatterns(Path helmignore) throws IOException {
        List<String> patterns = new ArrayList<>();
        if (Files.isRegularFile(helmignore)) {
            for (String line : Files.readAllLines(helmignore)) {
                String l = line.strip();
                if (!l.isEmpty() && !l.startsWith("#")) {
                    patterns.add(l);
                }
            }
        }
        return patterns;
    }

    private static boolean ignored(Path rel, List<String> patterns) {
        String path = rel.toString().replace('\\', '/');
        String fileName = rel.getFileName().toString();
        for (String p : patterns) {
            if (p.endsWith("/")
                    ? (path + "/").startsWith(p) || path.contains("/" + p)
                    : p.startsWith("*") ? fileName.endsWith(p.substring(1)) : fileName.equals(p) || path.equals(p)) {
                return true;
            }
        }
        return false;
    }
}
