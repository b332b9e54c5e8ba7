package dev.drydock.sandbox.kubernetes;

import dev.drydock.sandbox.SandboxLabels;
import dev.drydock.sandbox.SandboxOptions.KubernetesOptions;
import dev.drydock.sandbox.SandboxOptions.MirrorAllowance;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Pure builder of the one NetworkPolicy that isolates every sandbox pod of a namespace: ingress only
 * from the server pods to the runner port; egress nowhere, except cluster DNS (when a DNS port is
 * configured) and allow-listed internal mirrors.
 */
public final class SandboxNetworkPolicies {
    /** Name of the policy. */
    public static final String NAME = "drydock-sandbox-isolation";
    /** Namespaces whose DNS pods sandboxes may query when DNS is allowed. */
    public static final List<String> DNS_NAMESPACES = List.of("kube-system", "openshift-dns");

    private SandboxNetworkPolicies() {}

    /** Labels every sandbox pod carries, used as the policy's pod selector. */
    public static Map<String, String> sandboxSelector() {
        return Map.of(SandboxLabels.MANAGED_BY, SandboxLabels.MANAGED_BY_VALUE, SandboxLabels.COMPONENT, SandboxLabels.COMPONENT_VALUE);
    }

    public static NetworkPolicy desired(KubernetesOptions options) {
        List<NetworkPolicyEgressRule> egress = new ArrayList<>();
        options.dnsPort()
                .ifPresent(
                        port ->
                                egress.add(
                                        new NetworkPolicyEgressRuleBuilder()
                                                .withTo(
                                                        new NetworkPolicyPeerBuilder()
                                                                .withNamespaceSelector(
                                                                        new LabelSelectorBuilder()
                                                                                .withMatchExpressions(
                                                                                        new LabelSelectorRequirementBuilder()
                                                                                                .withKey("kubernetes.io/metadata.name")
                                                                                                .withOperator("In")
                                                                                                .withValues(DNS_NAMESPACES)
                                                                                                .build())
                                                                                .build())
                                                                .build())
                                                .withPorts(
                                                        new NetworkPolicyPortBuilder().withProtocol("UDP").withPort(new IntOrString(port)).build(),
                                                        new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString(port)).build())
                                                .build()));
        for (MirrorAllowance m : options.mirrors()) {
            egress.add(
                    new NetworkPolicyEgressRuleBuilder()
                            .withTo(new NetworkPolicyPeerBuilder().withNewIpBlock().withCidr(m.cidr()).endIpBlock().build())
                            .withPorts(new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString(m.port())).build())
                            .build());
        }
        NetworkPolicyPeerBuilder server = new NetworkPolicyPeerBuilder().withNewPodSelector().withMatchLabels(options.controlSelector()).endPodSelector();
        options.controlNamespace()
                .ifPresent(ns -> server.withNewNamespaceSelector().withMatchLabels(Map.of("kubernetes.io/metadata.name", ns)).endNamespaceSelector());
        return new NetworkPolicyBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withNamespace(options.namespace())
                .withLabels(Map.of(SandboxLabels.MANAGED_BY, SandboxLabels.MANAGED_BY_VALUE))
                .endMetadata()
                .withNewSpec()
                .withNewPodSelector()
                .withMatchLabels(sandboxSelector())
                .endPodSelector()
                .withPolicyTypes("Ingress", "Egress")
                .addNewIngress()
                .withFrom(server.build())
                .withPorts(new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString(options.runnerPort())).build())
                .endIngress()
                .withEgress(egress)
                .endSpec()
                .build();
    }
}
