package dev.drydock.installer.preflight;

import java.util.Optional;

/**
 * What the installation will ask of the cluster, as in the chart's values.
 *
 * @param namespace the release namespace (the server)
 * @param sandboxNamespace the sandbox namespace ({@code sandbox.namespace.name})
 * @param openshift {@code openshift.enabled}
 * @param dnsPort {@code networkPolicy.dns.port}; empty: 5353 on OpenShift, 53 otherwise
 * @param runtimeClass {@code sandbox.runtimeClassName}
 * @param persistence {@code persistence.enabled}
 * @param storageClass {@code persistence.storageClassName}
 * @param registry the registry the images will be pulled from, {@code host[:port]}
 * @param plainHttpRegistry reach the registry over http instead of https
 */
public record PreflightSettings(
        String namespace,
        String sandboxNamespace,
        boolean openshift,
        Optional<Integer> dnsPort,
        Optional<String> runtimeClass,
        boolean persistence,
        Optional<String> storageClass,
        Optional<String> registry,
        boolean plainHttpRegistry) {
    /** The DNS port sandboxes and the server will be allowed to reach. */
    public int effectiveDnsPort() {
        return dnsPort.orElse(openshift ? 5353 : 53);
    }
}
