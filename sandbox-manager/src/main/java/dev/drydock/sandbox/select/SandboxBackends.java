package dev.drydock.sandbox.select;

import dev.drydock.sandbox.InvalidSpecException;
import dev.drydock.sandbox.MirrorLog;
import dev.drydock.sandbox.SandboxBackend;
import dev.drydock.sandbox.SandboxOptions;
import dev.drydock.sandbox.bubblewrap.BubblewrapSandboxBackend;
import dev.drydock.sandbox.kubernetes.KubernetesSandboxBackend;
import java.time.Clock;

/** The one place that maps a backend name to an implementation. */
public final class SandboxBackends {
    private SandboxBackends() {}

    /**
     * Creates the backend named by {@code options.backend()}. The Kubernetes backend is started
     * (NetworkPolicy applied, warm pool filled) before it is returned.
     *
     * @throws InvalidSpecException for an unknown name, listing the valid ones
     */
    public static SandboxBackend create(SandboxOptions options, Clock clock) {
        return create(options, clock, MirrorLog.NONE);
    }

    /** {@link #create(SandboxOptions, Clock)} with a log of the sandboxes' package-mirror requests (the local backend's proxy). */
    public static SandboxBackend create(SandboxOptions options, Clock clock, MirrorLog mirrorLog) {
        return switch (options.backend()) {
            case "local" -> new BubblewrapSandboxBackend(options, clock, mirrorLog);
            case "kubernetes" -> {
                KubernetesSandboxBackend backend = KubernetesSandboxBackend.fromEnvironment(options, clock);
                backend.start();
                yield backend;
            }
            default -> throw unknown(options.backend());
        };
    }

    /** Validates a backend name. */
    public static String checkName(String name) {
        if (!SandboxOptions.BACKENDS.contains(name)) {
            throw unknown(name);
        }
        return name;
    }

    private static InvalidSpecException unknown(String name) {
        return new InvalidSpecException(
                "unknown sandbox backend '" + name + "'; valid values: " + String.join(", ", SandboxOptions.BACKENDS));
    }
}
