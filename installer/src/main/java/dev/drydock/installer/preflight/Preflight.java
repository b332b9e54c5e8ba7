package dev.drydock.installer.preflight;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Runs every check, in a fixed order; a check that cannot ask the API server fails with the reason. */
public final class Preflight {
    static final List<PreflightCheck> CHECKS = List.of(
            new KubernetesVersionCheck(),
            new NamespaceCheck(),
            new RbacCheck(),
            new StorageClassCheck(),
            new RuntimeClassCheck(),
            new NetworkPolicyCheck(),
            new DnsCheck(),
            new RegistryCheck());
    private static final List<String> NAMES = List.of(
            "kubernetes-version",
            "namespaces",
            "rbac",
            "storage-class",
            "runtime-class",
            "network-policy",
            "dns",
            "registry");

    private Preflight() {}

    /** The results of every check. */
    public static List<CheckResult> run(KubernetesClient client, PreflightSettings settings) {
        List<CheckResult> results = new ArrayList<>();
        String unreachable = null;
        for (int i = 0; i < CHECKS.size(); i++) {
            PreflightCheck check = CHECKS.get(i);
            if (unreachable != null
                    && !(check instanceof RegistryCheck)
                    && !(check instanceof RuntimeClassCheck
                            && settings.runtimeClass().isEmpty())) {
                results.add(CheckResult.fail(NAMES.get(i), "not checked: " + unreachable));
                continue;
            }
            try {
                results.add(check.run(client, settings));
            } catch (KubernetesClientException e) {
                if (e.getCode() <= 0) {
                    unreachable = "the API server " + client.getMasterUrl() + " is unreachable (" + rootCause(e) + ")";
                    results.add(CheckResult.fail(NAMES.get(i), unreachable + ": check your kube context"));
                } else {
                    results.add(CheckResult.fail(
                            NAMES.get(i), "the API server answered " + e.getCode() + ": " + firstLine(e.getMessage())));
                }
            }
        }
        return results;
    }

    /** Whether the results hold a blocker. */
    public static boolean blocked(List<CheckResult> results) {
        return results.stream().anyMatch(r -> r.status() == CheckResult.Status.FAIL);
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null
                ? t.getClass().getSimpleName()
                : t.getClass().getSimpleName() + ": " + firstLine(t.getMessage());
    }

    private static String firstLine(@Nullable String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
