package dev.drydock.installer.preflight;

import io.fabric8.kubernetes.client.KubernetesClient;

/** The RuntimeClass sandbox pods ask for (gVisor, Kata) exists. */
final class RuntimeClassCheck implements PreflightCheck {
    @Override
    public CheckResult run(KubernetesClient client, PreflightSettings settings) {
        if (settings.runtimeClass().isEmpty()) {
            return CheckResult.pass("runtime-class", "none asked: sandboxes use the cluster's default runtime");
        }
        String name = settings.runtimeClass().get();
        return client.resources(io.fabric8.kubernetes.api.model.node.v1.RuntimeClass.class)
                                .withName(name)
                                .get()
                        != null
                ? CheckResult.pass("runtime-class", "RuntimeClass " + name + " exists")
                : CheckResult.fail(
                        "runtime-class",
                        "RuntimeClass " + name
                                + " does not exist: install its handler (gVisor, Kata) or clear sandbox.runtimeClassName");
    }
}
