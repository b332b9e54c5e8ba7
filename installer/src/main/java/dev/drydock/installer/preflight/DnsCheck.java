package dev.drydock.installer.preflight;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * Cluster DNS is where the NetworkPolicies let sandboxes and the server reach it: in kube-system or
 * openshift-dns, with pods listening on the configured port (policies match the pod port, the
 * Service's targetPort: 53, or 5353 on OpenShift).
 */
final class DnsCheck implements PreflightCheck {
    @Override
    public CheckResult run(KubernetesClient client, PreflightSettings settings) {
        int expected = settings.effectiveDnsPort();
        for (String[] candidate : new String[][] {{"kube-system", "kube-dns"}, {"openshift-dns", "dns-default"}}) {
            Service svc = client.services()
                    .inNamespace(candidate[0])
                    .withName(candidate[1])
                    .get();
            if (svc == null) {
                continue;
            }
            String where = candidate[0] + "/" + candidate[1];
            List<ServicePort> ports =
                    svc.getSpec().getPorts() == null ? List.of() : svc.getSpec().getPorts();
            for (ServicePort p : ports) {
                if (p.getPort() != 53) {
                    continue;
                }
                Integer target = p.getTargetPort() == null
                        ? Integer.valueOf(53)
                        : p.getTargetPort().getIntVal();
                if (target == null) {
                    return CheckResult.warn(
                            "dns",
                            where + " targets the named port "
                                    + p.getTargetPort().getStrVal() + ": check that its pods listen on " + expected);
                }
                if (target == expected) {
                    return CheckResult.pass(
                            "dns", where + " pods answer on port " + target + ", as the policies allow");
                }
                return CheckResult.fail(
                        "dns",
                        where + " pods answer on port " + target + " but the policies allow " + expected
                                + ": set networkPolicy.dns.port: " + target);
            }
            return CheckResult.fail("dns", where + " has no port 53");
        }
        return CheckResult.fail(
                "dns",
                "no cluster DNS service in kube-system (kube-dns) or openshift-dns (dns-default): the policies only allow DNS there");
    }
}
