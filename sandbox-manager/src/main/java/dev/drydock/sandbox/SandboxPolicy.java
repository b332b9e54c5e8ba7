package dev.drydock.sandbox;

import java.util.Optional;

/**
 * The one place that turns configuration into sandbox specs. The server builds every droid
 * session's spec here, and {@code ./drydock sandbox exec} does too, so an operator checks exactly the
 * isolation that droids get.
 */
public final class SandboxPolicy {
    private final SandboxOptions options;

    public SandboxPolicy(SandboxOptions options) {
        this.options = options;
    }

    /** The options this policy applies. */
    public SandboxOptions options() {
        return options;
    }

    /** The spec of a sandbox for a session and workspace, with the configured limits, image and TTL. */
    public SandboxSpec spec(String sessionId, String workspaceId) {
        SandboxOptions.KubernetesOptions k = options.kubernetes();
        return new SandboxSpec(
                sessionId,
                workspaceId,
                k.image(),
                k.runtimeClass(),
                options.limits(),
                options.ttl(),
                Optional.empty(),
                Optional.empty(),
                java.util.List.of(),
                Optional.empty());
    }

    /**
     * Checks a spec against the policy: its runtime class must be allowed and, for Kubernetes, it
     * must name an image.
     *
     * @throws InvalidSpecException otherwise
     */
    public void check(SandboxSpec spec) {
        SandboxOptions.KubernetesOptions k = options.kubernetes();
        spec.runtimeClass().filter(rc -> !k.allowsRuntimeClass(rc)).ifPresent(rc -> {
            throw new InvalidSpecException("unknown runtime class '" + rc + "'; allowed: "
                    + (k.allowedRuntimeClasses().isEmpty() && k.runtimeClass().isEmpty()
                            ? "none configured"
                            : String.join(", ", allowed(k))));
        });
        if ("kubernetes".equals(options.backend()) && spec.image().isEmpty()) {
            throw new InvalidSpecException(
                    "missing image: the kubernetes backend needs drydock.sandbox.kubernetes.image or a spec image");
        }
    }

    private static java.util.SortedSet<String> allowed(SandboxOptions.KubernetesOptions k) {
        java.util.SortedSet<String> all = new java.util.TreeSet<>(k.allowedRuntimeClasses());
        k.runtimeClass().ifPresent(all::add);
        return all;
    }
}
