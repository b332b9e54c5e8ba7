package dev.drydock.sandbox.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.sandbox.SandboxOptions.KubernetesOptions;
import dev.drydock.sandbox.SandboxOptions.MirrorAllowance;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SandboxNetworkPoliciesTest {
    @Test
    void shouldDenyAllEgressAndAllowOnlyServerIngressWhenNothingIsAllowed() {
        // When
        NetworkPolicy policy = SandboxNetworkPolicies.desired(KubernetesOptions.defaults());
        // Then
        assertThat(policy.getMetadata().getName()).isEqualTo("drydock-sandbox-isolation");
        assertThat(policy.getMetadata().getNamespace()).isEqualTo("drydock-sandboxes");
        var spec = policy.getSpec();
        assertThat(spec.getPodSelector().getMatchLabels())
                .isEqualTo(Map.of("app.kubernetes.io/managed-by", "drydock", "app.kubernetes.io/component", "sandbox"));
        assertThat(spec.getPolicyTypes()).containsExactly("Ingress", "Egress");
        assertThat(spec.getEgress()).isEmpty();
        assertThat(spec.getIngress()).singleElement().satisfies(rule -> {
            assertThat(rule.getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getProtocol()).isEqualTo("TCP");
                assertThat(p.getPort()).isEqualTo(new IntOrString(7070));
            });
            assertThat(rule.getFrom()).singleElement().satisfies(peer -> {
                assertThat(peer.getPodSelector().getMatchLabels())
                        .isEqualTo(Map.of("app.kubernetes.io/name", "drydock-server"));
                assertThat(peer.getNamespaceSelector().getMatchLabels())
                        .isEqualTo(Map.of("kubernetes.io/metadata.name", "drydock"));
                assertThat(peer.getIpBlock()).isNull();
            });
        });
    }

    @Test
    void shouldAllowDnsAndMirrorsWhenConfigured() {
        // Given
        KubernetesOptions options = KubernetesOptions.defaults()
                .withDnsPort(Optional.of(5353))
                .withMirrors(List.of(new MirrorAllowance("10.20.0.0/16", 8081)));
        // When
        NetworkPolicy policy = SandboxNetworkPolicies.desired(options);
        // Then
        var egress = policy.getSpec().getEgress();
        assertThat(egress).hasSize(2);
        assertThat(egress.get(0).getPorts())
                .extracting(p -> p.getProtocol() + "/" + p.getPort().getIntVal())
                .containsExactly("UDP/5353", "TCP/5353");
        assertThat(egress.get(0).getTo()).singleElement().satisfies(peer -> {
            assertThat(peer.getNamespaceSelector().getMatchExpressions())
                    .singleElement()
                    .satisfies(e -> {
                        assertThat(e.getKey()).isEqualTo("kubernetes.io/metadata.name");
                        assertThat(e.getValues()).containsExactly("kube-system", "openshift-dns");
                    });
            assertThat(peer.getIpBlock()).isNull();
        });
        assertThat(egress.get(1).getTo())
                .singleElement()
                .satisfies(peer -> assertThat(peer.getIpBlock().getCidr()).isEqualTo("10.20.0.0/16"));
        assertThat(egress.get(1).getPorts())
                .extracting(p -> p.getProtocol() + "/" + p.getPort().getIntVal())
                .containsExactly("TCP/8081");
    }
}
