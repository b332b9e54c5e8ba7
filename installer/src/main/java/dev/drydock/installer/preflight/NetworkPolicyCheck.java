package dev.drydock.installer.preflight;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Locale;

/**
 * NetworkPolicy is enforced: the API accepts it everywhere, but only some CNIs enforce it. Looks for
 * the DaemonSet of a known enforcing CNI; a flannel-only cluster is a blocker.
 */
final class NetworkPolicyCheck implements PreflightCheck {
    static final List<String> ENFORCING =
            List.of("calico", "cilium", "antrea", "weave", "kube-router", "ovnkube", "sdn", "canal");

    @Override
    public CheckResult run(KubernetesClient client, PreflightSettings settings) {
        List<String> daemonSets = client.apps().daemonSets().inAnyNamespace().list().getItems().stream()
                .map(NetworkPolicyCheck::name)
                .toList();
        for (String ds : daemonSets) {
            for (String cni : ENFORCING) {
                if (ds.toLowerCase(Locale.ROOT).contains(cni)) {
                    return CheckResult.pass("network-policy", "CNI that enforces NetworkPolicy found: " + ds);
                }
            }
        }
        if (daemonSets.stream().anyMatch(ds -> ds.contains("flannel"))) {
            return CheckResult.fail(
                    "network-policy",
                    "flannel alone does not enforce NetworkPolicy: sandboxes would not be isolated (use Calico/Canal, Cilium …)");
        }
        return CheckResult.warn(
                "network-policy",
                "no known NetworkPolicy-enforcing CNI found (" + ENFORCING
                        + "): make sure yours enforces NetworkPolicy");
    }

    private static String name(DaemonSet d) {
        return d.getMetadata().getNamespace() + "/" + d.getMetadata().getName();
    }
}
