package dev.drydock.installer.preflight;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/**
 * The release namespace exists (or Helm creates it), and the sandbox namespace is either absent
 * (the chart creates it with Pod Security "restricted") or already enforces "restricted".
 */
final class NamespaceCheck implements PreflightCheck {
    static final String ENFORCE = "pod-security.kubernetes.io/enforce";

    @Override
    public CheckResult run(KubernetesClient client, PreflightSettings settings) {
        Namespace release = client.namespaces().withName(settings.namespace()).get();
        Namespace sandbox =
                client.namespaces().withName(settings.sandboxNamespace()).get();
        if (sandbox != null && !"restricted".equals(labels(sandbox).get(ENFORCE))) {
            return CheckResult.fail(
                    "namespaces",
                    "sandbox namespace " + settings.sandboxNamespace()
                            + " exists without Pod Security \"restricted\": kubectl label namespace "
                            + settings.sandboxNamespace() + " " + ENFORCE
                            + "=restricted, and set sandbox.namespace.create=false");
        }
        String sandboxState = sandbox == null
                ? "sandbox namespace " + settings.sandboxNamespace() + " will be created by the chart (restricted)"
                : "sandbox namespace " + settings.sandboxNamespace()
                        + " exists and enforces restricted: set sandbox.namespace.create=false";
        if (release == null) {
            return CheckResult.warn(
                    "namespaces",
                    "namespace " + settings.namespace() + " does not exist: create it (helm --create-namespace); "
                            + sandboxState);
        }
        return CheckResult.pass("namespaces", "namespace " + settings.namespace() + " exists; " + sandboxState);
    }

    private static Map<String, String> labels(Namespace ns) {
        return ns.getMetadata().getLabels() == null
                ? Map.of()
                : ns.getMetadata().getLabels();
    }
}
