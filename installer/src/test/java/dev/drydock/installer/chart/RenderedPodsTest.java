package dev.drydock.installer.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.installer.helm.RenderedChart;
import dev.drydock.sandbox.kubernetes.RestrictedPodCheck;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Every pod the chart renders, with every value set: Pod Security, images, and the server's settings. */
class RenderedPodsTest {
    static final List<String> VALUE_SETS = Charts.VALUE_SETS;
    /** Environment variables that are not server settings, and why. */
    static final Set<String> NOT_SETTINGS =
            Set.of("JAVA_TOOL_OPTIONS"); // JVM flags: heap, proxy, trust store, cache folders

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    @ParameterizedTest
    @FieldSource("VALUE_SETS")
    void shouldPassPodSecurityRestrictedWhenChartIsRendered(String set) {
        // Given
        RenderedChart chart = Charts.render(set);

        // When
        List<String> violations = new ArrayList<>();
        for (RenderedChart.PodSpecOf p : chart.podSpecs()) {
            Pod pod = new PodBuilder()
                    .withNewMetadata()
                    .withName(p.source())
                    .endMetadata()
                    .withSpec(JSON.convertValue(p.spec(), PodSpec.class))
                    .build();
            RestrictedPodCheck.podSecurityViolations(pod).forEach(v -> violations.add(p.source() + ": " + v));
            for (Container c : pod.getSpec().getContainers()) {
                if (!Boolean.TRUE.equals(c.getSecurityContext().getReadOnlyRootFilesystem()))
                    violations.add(p.source() + ": " + c.getName() + " root filesystem is writable");
                if (c.getResources() == null
                        || c.getResources().getLimits() == null
                        || !c.getResources().getLimits().containsKey("memory")) {
                    violations.add(p.source() + ": " + c.getName() + " has no memory limit");
                }
            }
        }

        // Then
        assertThat(chart.podSpecs())
                .extracting(RenderedChart.PodSpecOf::source)
                .contains("Deployment/dd-drydock-server", "Pod/dd-drydock-server-test");
        assertThat(violations).isEmpty();
    }

    @ParameterizedTest
    @FieldSource("VALUE_SETS")
    void shouldPinEveryImageByDigestWhenChartIsRendered(String set) {
        // Given
        RenderedChart chart = Charts.render(set);

        // When
        Set<String> images = chart.images();

        // Then
        // server and sandbox; the evaluation install adds its PostgreSQL and Keycloak
        assertThat(images)
                .hasSize(set.equals("evaluation") ? 4 : 2)
                .allMatch(i -> i.matches("[^@\\s]+@sha256:[0-9a-f]{64}"), "pinned by digest");
        if (set.equals("external")) {
            assertThat(images)
                    .allMatch(i -> i.startsWith("registry.corp.example:5000/"), "rewritten by global.imageRegistry");
        }
    }

    @ParameterizedTest
    @FieldSource("VALUE_SETS")
    void shouldSetOnlyDocumentedServerSettingsWhenChartIsRendered(String set) throws IOException {
        // Given
        RenderedChart chart = Charts.render(set);
        ConfigReference reference = ConfigReference.load();

        // When
        List<String> names = new ArrayList<>(Charts.serverEnvironment(chart).keySet());
        Map<String, Object> server = chart.podSpecs().stream()
                .filter(p -> p.source().equals("Deployment/dd-drydock-server"))
                .findFirst()
                .orElseThrow()
                .spec();
        for (Map<String, Object> c : RenderedChart.maps(server.get("containers"))) {
            RenderedChart.maps(c.get("env")).forEach(e -> names.add(String.valueOf(e.get("name"))));
        }
        Properties properties = new Properties();
        for (Map<String, Object> cm : chart.ofKind("ConfigMap")) {
            Map<String, Object> data = RenderedChart.map(cm, "data");
            if (data.containsKey("application.properties")) {
                properties.load(new StringReader(String.valueOf(data.get("application.properties"))));
            }
        }

        // Then
        assertThat(names)
                .isNotEmpty()
                .allSatisfy(n -> assertThat(reference.environment.contains(n)
                                || reference.propertyExpressions.contains(n)
                                || NOT_SETTINGS.contains(n))
                        .as("%s is neither in docs/config.md nor read by application.properties", n)
                        .isTrue());
        assertThat(properties.stringPropertyNames())
                .allSatisfy(k -> assertThat(mapKeyDocumented(reference, k))
                        .as("%s is not a documented map key", k)
                        .isTrue());
        if (set.equals("external")) {
            assertThat(properties.stringPropertyNames())
                    .contains("drydock.gateway.endpoints.vllm-a.base-url", "drydock.gateway.routes.default.endpoints");
            assertThat(names)
                    .contains(
                            "DRYDOCK_SESSION_MODEL_ATTEMPTS",
                            "DRYDOCK_GATEWAY_DLP_POLICY",
                            "DRYDOCK_SANDBOX_KUBERNETES_MIRRORS");
        }
    }

    private static boolean mapKeyDocumented(ConfigReference reference, String key) {
        return reference.mapKeys.entrySet().stream().anyMatch(e -> {
            if (!key.startsWith(e.getKey() + ".")) return false;
            String[] rest = key.substring(e.getKey().length() + 1).split("\\.");
            return rest.length == 2 && e.getValue().contains(rest[1]);
        });
    }

    static Stream<String> valueSets() {
        return VALUE_SETS.stream();
    }
}
