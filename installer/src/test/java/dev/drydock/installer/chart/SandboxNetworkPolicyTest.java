package dev.drydock.installer.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.installer.helm.RenderedChart;
import dev.drydock.sandbox.SandboxOptions;
import dev.drydock.sandbox.kubernetes.SandboxNetworkPolicies;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The sandbox namespace's policies: the chart's allowances are exactly the isolation policy the
 * server applies itself from the settings the chart gives it (DNS port, mirrors, control selector),
 * so the two never disagree; everything else in the namespace is denied.
 */
class SandboxNetworkPolicyTest {
    static final List<String> VALUE_SETS = Charts.VALUE_SETS;
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    @ParameterizedTest
    @FieldSource("VALUE_SETS")
    void shouldAllowWhatTheServerAllowsWhenChartIsRendered(String set) {
        // Given
        RenderedChart chart = Charts.render(set);
        Map<String, String> env = Charts.serverEnvironment(chart);
        SandboxOptions options = SandboxOptions.fromConfig(
                key -> Optional.ofNullable(env.get(key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"))));

        // When
        NetworkPolicy serverApplies = SandboxNetworkPolicies.desired(options.kubernetes());

        // Then
        NetworkPolicy allowances = policy(chart, "drydock-sandbox-allowances");
        assertThat(allowances.getMetadata().getNamespace())
                .isEqualTo(serverApplies.getMetadata().getNamespace());
        assertThat(allowances.getSpec()).isEqualTo(serverApplies.getSpec());
        NetworkPolicy deny = policy(chart, "drydock-sandbox-default-deny");
        assertThat(deny.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
        assertThat(deny.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        assertThat(deny.getSpec().getIngress()).isNullOrEmpty();
        assertThat(deny.getSpec().getEgress()).isNullOrEmpty();
    }

    private static NetworkPolicy policy(RenderedChart chart, String name) {
        return chart.ofKind("NetworkPolicy").stream()
                .filter(o -> RenderedChart.name(o).equals(name))
                .findFirst()
                .map(o -> JSON.convertValue(o, NetworkPolicy.class))
                .orElseThrow(() -> new AssertionError("no NetworkPolicy " + name));
    }
}
