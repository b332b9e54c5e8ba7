package dev.drydock.sandbox;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Every configuration key of the sandboxes ({@code drydock.sandbox.*}), declared once: its name, its
 * default as written in configuration, and what it sets. {@link SandboxOptions#fromConfig} reads
 * these keys, and {@code docs/config.md} is generated from this enum. Sizes take {@code k}, {@code m}
 * or {@code g}; durations are ISO-8601 ({@code PT30M}) or seconds.
 */
public enum SandboxKey {
    /** Where sandboxes run: `local` (bubblewrap on this machine) or `kubernetes` (a locked-down pod per session). */
    BACKEND(
            "backend",
            "local",
            "Where sandboxes run: `local` (bubblewrap on this machine) or `kubernetes` (a locked-down pod per session)."),
    /** Lifetime of a sandbox; the reaper deletes it afterwards, whatever it is doing. */
    TTL("ttl", "PT8H", "Lifetime of a sandbox; the reaper deletes it afterwards, whatever it is doing."),
    /** Memory limit of a sandbox (all its processes together). */
    MEMORY("memory", "2g", "Memory limit of a sandbox (all its processes together)."),
    /** CPU limit in thousandths of a core. */
    CPU("cpu-millicores", "2000", "CPU limit in thousandths of a core."),
    /** CPU time one process may use before it is killed. */
    CPU_TIME("cpu-time", "PT30M", "CPU time one process may use before it is killed."),
    /** Processes a sandbox may run at once (a fork bomb stops here). */
    MAX_PROCESSES("max-processes", "512", "Processes a sandbox may run at once (a fork bomb stops here)."),
    /** Largest file a process may write. */
    MAX_FILE_SIZE("max-file-size", "1g", "Largest file a process may write."),
    /** Workspace disk quota: a Kubernetes sandbox's ephemeral-storage limit; locally, enforced by usage accounting (ADR 0008). */
    EPHEMERAL_STORAGE(
            "ephemeral-storage",
            "10g",
            "Workspace disk quota: a Kubernetes sandbox's ephemeral-storage limit; locally, enforced by usage accounting (ADR 0008)."),
    /** Size of the private `/tmp` of a command. */
    TMP_SIZE("tmp-size", "512m", "Size of the private `/tmp` of a command."),
    /** Output kept per stream of one command; the rest is cut with a marker. */
    OUTPUT_LIMIT("output-limit", "1m", "Output kept per stream of one command; the rest is cut with a marker."),
    /** The bubblewrap binary: a name looked up on PATH, or a path. */
    LOCAL_BWRAP("local.bwrap", "bwrap", "The bubblewrap binary: a name looked up on PATH, or a path."),
    /** Folder holding one sub-folder per sandbox; default `<java.io.tmpdir>/drydock-sandboxes`. */
    LOCAL_WORK_ROOT(
            "local.work-root",
            null,
            "Folder holding one sub-folder per sandbox; default `<java.io.tmpdir>/drydock-sandboxes`."),
    /** First host uid given to sandboxes when the server runs as root (each live sandbox gets its own). */
    LOCAL_UID_BASE(
            "local.uid-base",
            "200000",
            "First host uid given to sandboxes when the server runs as root (each live sandbox gets its own)."),
    /** Use cgroups (v2, or v1 pids and memory) for process, memory and CPU limits when the host allows it. */
    LOCAL_CGROUPS(
            "local.cgroups",
            "true",
            "Use cgroups (v2, or v1 pids and memory) for process, memory and CPU limits when the host allows it."),
    /** Start the local backend even when nothing can bound a sandbox's processes: no cgroup pids controller, and the server not root (so no per-sandbox uid for RLIMIT_NPROC). A fork bomb in a sandbox then reaches the whole host; without this switch the backend refuses to start and says why. */
    LOCAL_ALLOW_UNLIMITED_PROCESSES(
            "local.allow-unlimited-processes",
            "false",
            "Start the local backend even when nothing can bound a sandbox's processes: no cgroup pids controller, and the server not root (so no per-sandbox uid for RLIMIT_NPROC). A fork bomb in a sandbox then reaches the whole host; without this switch the backend refuses to start and says why."),
    /** Single-machine build environment: sandboxes get the host user's Maven repository and Maven wrapper distributions read-only, a writable home of their own, and package-manager settings generated from the host user's `settings.xml`, `.npmrc` and `pip.conf` without credentials (ADR 0011). Set to `false` to give sandboxes nothing from the host user. */
    LOCAL_HOST_BUILD_CACHES(
            "local.host-build-caches",
            "true",
            "Single-machine build environment: sandboxes get the host user's Maven repository and Maven wrapper distributions read-only, a writable home of their own, and package-manager settings generated from the host user's `settings.xml`, `.npmrc` and `pip.conf` without credentials (ADR 0011). Set to `false` to give sandboxes nothing from the host user."),
    /** Namespace the sandbox pods run in. */
    K8S_NAMESPACE("kubernetes.namespace", "drydock-sandboxes", "Namespace the sandbox pods run in."),
    /** Sandbox image (it holds the tool runner). */
    K8S_IMAGE("kubernetes.image", "drydock/sandbox:latest", "Sandbox image (it holds the tool runner)."),
    /** Registry that replaces the image's registry (an air-gapped mirror). */
    K8S_REGISTRY("kubernetes.registry", null, "Registry that replaces the image's registry (an air-gapped mirror)."),
    /** RuntimeClass of sandbox pods (for example gVisor or Kata); none by default. */
    K8S_RUNTIME_CLASS(
            "kubernetes.runtime-class",
            null,
            "RuntimeClass of sandbox pods (for example gVisor or Kata); none by default."),
    /** Other RuntimeClasses a sandbox spec may ask for, comma-separated. */
    K8S_ALLOWED_RUNTIME_CLASSES(
            "kubernetes.allowed-runtime-classes",
            null,
            "Other RuntimeClasses a sandbox spec may ask for, comma-separated."),
    /** Image pull secrets of sandbox pods, comma-separated. */
    K8S_PULL_SECRETS("kubernetes.image-pull-secrets", null, "Image pull secrets of sandbox pods, comma-separated."),
    /** Labels of the server's pods, `k=v,k=v`: the only source the NetworkPolicy lets in. */
    K8S_CONTROL_SELECTOR(
            "kubernetes.control-selector",
            "app.kubernetes.io/name=drydock-server",
            "Labels of the server's pods, `k=v,k=v`: the only source the NetworkPolicy lets in."),
    /** Namespace of the server's pods. */
    K8S_CONTROL_NAMESPACE("kubernetes.control-namespace", "drydock", "Namespace of the server's pods."),
    /** Port of the in-pod tool runner. */
    K8S_RUNNER_PORT("kubernetes.runner-port", "7070", "Port of the in-pod tool runner."),
    /** Allow cluster DNS on this port (53, or 5353 on OpenShift); no DNS when unset. */
    K8S_DNS_PORT(
            "kubernetes.dns-port",
            null,
            "Allow cluster DNS on this port (53, or 5353 on OpenShift); no DNS when unset."),
    /** Internal package mirrors sandboxes may reach, `cidr:port,…`; none by default. */
    K8S_MIRRORS(
            "kubernetes.mirrors",
            null,
            "Internal package mirrors sandboxes may reach, `cidr:port,\u2026`; none by default."),
    /** Ready sandboxes kept warm. */
    K8S_WARM_POOL("kubernetes.warm-pool-size", "0", "Ready sandboxes kept warm."),
    /** `activeDeadlineSeconds` of sandbox pods. */
    K8S_ACTIVE_DEADLINE("kubernetes.active-deadline", "PT8H", "`activeDeadlineSeconds` of sandbox pods."),
    /**
     * PersistentVolumeClaim (ReadWriteMany) holding the workspaces' dependency caches: mounted into sandbox pods whose
     * workspace chose package mirrors, one sub-folder per workspace; none by default (every pod downloads afresh).
     */
    K8S_DEPENDENCY_CACHE_CLAIM(
            "kubernetes.dependency-cache-claim",
            null,
            "PersistentVolumeClaim (ReadWriteMany) holding the workspaces' dependency caches: mounted into sandbox pods whose workspace chose package mirrors, one sub-folder per workspace; none by default (every pod downloads afresh).");

    /** The prefix of every key. */
    public static final String PREFIX = "drydock.sandbox.";

    private final String name;
    private final @Nullable String defaultValue;
    private final String description;

    SandboxKey(String name, @Nullable String defaultValue, String description) {
        this.name = name;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /** The full key, e.g. {@code drydock.sandbox.local.work-root}. */
    public String key() {
        return PREFIX + name;
    }

    /** The default as one writes it in configuration; empty when the default is computed or absent. */
    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** What the key sets, for the configuration reference. */
    public String description() {
        return description;
    }

    /** The key of that name, if it is one of these. */
    public static Optional<SandboxKey> of(String key) {
        return Arrays.stream(values()).filter(k -> k.key().equals(key)).findFirst();
    }

    /** The environment variable for a key: {@code drydock.sandbox.local.work-root} → {@code DRYDOCK_SANDBOX_LOCAL_WORK_ROOT}. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    @Override
    public String toString() {
        return key();
    }
}
