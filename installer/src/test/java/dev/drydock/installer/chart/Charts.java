package dev.drydock.installer.chart;

import dev.drydock.installer.helm.Helm;
import dev.drydock.installer.helm.RenderedChart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The chart under test, its value sets (k8s/drydock/ci) and renders cached per JVM. */
final class Charts {
    static final Path CHART = Path.of("..", "k8s", "drydock").toAbsolutePath().normalize();
    static final String NAMESPACE = "drydock";
    static final String RELEASE = "dd";
    /** The value sets every rendering check runs over. */
    static final List<String> VALUE_SETS = List.of("minimal", "external", "openshift", "evaluation");

    private static Helm helm;
    private static final Map<String, String> RENDERED = new ConcurrentHashMap<>();

    private Charts() {}

    static synchronized Helm helm() {
        if (helm == null) {
            try {
                helm = Helm.pinned();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return helm;
    }

    static Path values(String set) {
        Path p = CHART.resolve("ci").resolve(set + "-values.yaml");
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("no value set " + p);
        }
        return p;
    }

    /** {@code helm template} of a value set, as YAML. */
    static String renderYaml(String set) {
        return RENDERED.computeIfAbsent(set, s -> {
            try {
                return helm().template(CHART, RELEASE, NAMESPACE, List.of(values(s)), Map.of())
                        .orThrow();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static RenderedChart render(String set) {
        try {
            return RenderedChart.parse(renderYaml(set));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code helm template} of a value set with extra {@code --set-string} values. */
    static Helm.Result template(String set, Map<String, String> extra) throws IOException {
        return helm().template(CHART, RELEASE, NAMESPACE, List.of(values(set)), extra);
    }

    /** The server's environment as the chart sets it: the env ConfigMap plus literal env entries. */
    @SuppressWarnings("unchecked")
    static Map<String, String> serverEnvironment(RenderedChart chart) {
        Map<String, String> env = new java.util.TreeMap<>();
        for (Map<String, Object> cm : chart.ofKind("ConfigMap")) {
            if (RenderedChart.name(cm).endsWith("-env")) {
                ((Map<String, Object>) cm.get("data")).forEach((k, v) -> env.put(k, String.valueOf(v)));
            }
        }
        return env;
    }
}
