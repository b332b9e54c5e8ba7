package dev.drydock.installer.preflight;

import io.fabric8.kubernetes.client.KubernetesClient;

/** One read-only check of the cluster. Checks never change anything. */
public interface PreflightCheck {
    /** Runs the check; API errors are reported as a failed result, never thrown. */
    CheckResult run(KubernetesClient client, PreflightSettings settings);
}
