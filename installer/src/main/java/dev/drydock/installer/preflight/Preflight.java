package dev.drydock.installer.preflight;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;

/** Runs every check, in a fixed order; a check that cannot ask the API server fails with the reason. */
public final class Preflight {
    static final List<PreflightCheck> CHECKS = List.of(new KubernetesVersionCheck(), new NamespaceCheck(), new RbacCheck(), new StorageClassCheck(),
            new RuntimeClassCheck(), new NetworkPolicyCheck(), new DnsCheck(), new RegistryCheck());
    private static final List<String> NAMES = List.of("kubernetes-version", "namespaces", "rbac", "storage-class", "runtime-class", "network-policy", "dns", "registry");

    private Preflight() {}

    /** The results of every check. */
    public static List<CheckResult> run(KubernetesClient client, PreflightSettings settings) {
        List<CheckResult> results = new ArrayList<>();
        for (int i = 0; i < CHECKS.size(); i++) {
            try {
                results.add(CHECKS.get(i).run(client, settings));
            } catch (KubernetesClientException e) {
                results.add(CheckResult.fail(NAMES.get(i), "the API server refused or failed (" + e.getCode() + "): " + firstLine(e.getMessage())));
            }
        }
        return results;
    }

    /** Whether the results hold a blocker. */
    public static boolean blocked(List<CheckResult> results) {
        return results.stream().anyMatch(r -> r.status() == CheckResult.Status.FAIL);
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
