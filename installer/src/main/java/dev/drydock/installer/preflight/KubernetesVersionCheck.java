package dev.drydock.installer.preflight;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;

/** The API server is Kubernetes 1.27 or newer (the chart's kubeVersion). */
final class KubernetesVersionCheck implements PreflightCheck {
    static final int MIN_MINOR = 27;

    @Override
    public CheckResult run(KubernetesClient client, PreflightSettings settings) {
        VersionInfo v = client.getKubernetesVersion();
        int major = Integer.parseInt(v.getMajor().replaceAll("\\D", ""));
        int minor = Integer.parseInt(v.getMinor().replaceAll("\\D", ""));
        String found = "Kubernetes " + v.getGitVersion();
        if (major > 1 || (major == 1 && minor >= MIN_MINOR)) {
            return CheckResult.pass("kubernetes-version", found);
        }
        return CheckResult.fail("kubernetes-version", found + ": Drydock needs 1." + MIN_MINOR + " or newer");
    }
}
