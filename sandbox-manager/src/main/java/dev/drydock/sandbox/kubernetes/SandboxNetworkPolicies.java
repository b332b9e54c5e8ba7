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
        return Map.of(
                SandboxLabels.MANAGED_BY,
                SandboxLabels.MANAGED_BY_VALUE,
                SandboxLabels.COMPONENT,
                SandboxLabels.COMPONENT_VALUE);
    }

    /** Name of a sandbox's own mirror policy. */
    public static String mirrorPolicyName(dev.drydock.sandbox.SandboxId id) {
        return "drydock-mirrors-" + id.value();
    }

    /**
     * The egress a sandbox whose workspace chose package mirrors gets on top of the isolating policy
     * (NetworkPolicies add up): TCP to each mirror's address and port, for this sandbox's pod only.
     * Mirror host names are resolved here (a NetworkPolicy holds addresses, not names); a name that
     * resolves to several addresses allows each of them.
     *
     * @throws dev.drydock.sandbox.InvalidSpecException when a mirror's host does not resolve
     */
    public static NetworkPolicy mirrorEgress(
            String namespace, dev.drydock.sandbox.SandboxId id, List<dev.drydock.sandbox.PackageMirror> mirrors) {
        List<NetworkPolicyEgressRule> egress = new ArrayList<>();
        for (dev.drydock.sandbox.PackageMirror m : mirrors) {
            java.net.InetAddress[] addresses;
            try {
                addresses = java.net.InetAddress.getAllByName(m.url().getHost());
            } catch (java.net.UnknownHostException e) {
                throw new dev.drydock.sandbox.InvalidSpecException("package mirror " + m.name() + ": host "
                        + m.url().getHost() + " does not resolve from the server");
            }
            for (java.net.InetAddress a : addresses) {
                String cidr = a.getHostAddress() + (a instanceof java.net.Inet6Address ? "/128" : "/32");
                egress.add(new NetworkPolicyEgressRuleBuilder()
                        .withTo(new NetworkPolicyPeerBuilder()
                                .withNewIpBlock()
                                .withCidr(cidr)
                                .endIpBlock()
                                .build())
                        .withPorts(new NetworkPolicyPortBuilder()
                                .withProtocol("TCP")
                                .withPort(new IntOrString(m.port()))
                                .build())
                        .build());
            }
        }
        return new NetworkPolicyBuilder()
                .withNewMetadata()
                .withName(mirrorPolicyName(id))
                .withNamespace(namespace)
                .withLabels(Map.of(
                        SandboxLabels.MANAGED_BY, SandboxLabels.MANAGED_BY_VALUE, SandboxLabels.SANDBOX_ID, id.value()))
                .endMetadata()
                .withNewSpec()
                .withNewPodSelector()
                .withMatchLabels(Map.of(SandboxLabels.SANDBOX_ID, id.value()))
                .endPodSelector()
                .withPolicyTypes("Egress")
                .withEgress(egress)
                .endSpec()
                .build();
    }

    public static NetworkPolicy desired(KubernetesOptions options) {
        List<NetworkPolicyEgressRule> egress = new ArrayList<>();
        options.dnsPort()
                .ifPresent(port -> egress.add(new NetworkPolicyEgressRuleBuilder()
                        .withTo(new NetworkPolicyPeerBuilder()
                                .withNamespaceSelector(new LabelSelectorBuilder()
                                        .withMatchExpressions(new LabelSelectorRequirementBuilder()
                                                .withKey("kubernetes.io/metadata.name")
                                                .withOperator("In")
                                                .withValues(DNS_NAMESPACES)
                                                .build())
                                        .build())
                                .build())
                        .withPorts(
                                new NetworkPolicyPortBuilder()
                                        .withProtocol("UDP")
                                        .withPort(new IntOrString(port))
                                        .build(),
                                new NetworkPolicyPortBuilder()
                                        .withProtocol("TCP")
                                        .withPort(new IntOrString(port))
                                        .build())
                        .build()));
        for (MirrorAllowance m : options.mirrors()) {
            egress.add(new NetworkPolicyEgressRuleBuilder()
                    .withTo(new NetworkPolicyPeerBuilder()
                            .withNewIpBlock()
                            .withCidr(m.cidr())
                            .endIpBlock()
                            .build())
                    .withPorts(new NetworkPolicyPortBuilder()
                            .withProtocol("TCP")
                            .withPort(new IntOrString(m.port()))
                            .build())
                    .build());
        }
        NetworkPolicyPeerBuilder server = new NetworkPolicyPeerBuilder()
                .withNewPodSelector()
                .withMatchLabels(options.controlSelector())
                .endPodSelector();
        options.controlNamespace()
                .ifPresent(ns -> server.withNewNamespaceSelector()
                        .withMatchLabels(Map.of("kubernetes.io/metadata.name", ns))
                        .endNamespaceSelector());
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
                .withPorts(new NetworkPolicyPortBuilder()
                        .withProtocol("TCP")
                        .withPort(new IntOrString(options.runnerPort()))
                        .build())
                .endIngress()
                .withEgress(egress)
                .endSpec()
                .build();
    }
}
