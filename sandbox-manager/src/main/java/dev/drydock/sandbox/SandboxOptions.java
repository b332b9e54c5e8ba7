package dev.drydock.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Configuration of the sandbox manager, as plain values. The server maps its {@code
 * drydock.sandbox.*} configuration onto it; the operator command reads the same keys from system
 * properties and environment variables through {@link #fromConfig}. Key names are listed in {@link
 * SandboxKey}.
 *
 * @param backend {@code local} or {@code kubernetes}
 * @param limits default limits of every sandbox
 * @param ttl default lifetime of a sandbox
 * @param local options of the bubblewrap backend
 * @param kubernetes options of the Kubernetes backend
 */
public record SandboxOptions(
        String backend, SandboxLimits limits, Duration ttl, LocalOptions local, KubernetesOptions kubernetes) {

    /** Valid backend names. */
    public static final List<String> BACKENDS = List.of("local", "kubernetes");

    public SandboxOptions {
        if (backend == null || !BACKENDS.contains(backend)) {
            throw new InvalidSpecException(
                    "unknown sandbox backend '" + backend + "'; valid values: " + String.join(", ", BACKENDS));
        }
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new InvalidSpecException("sandbox ttl must be positive, got " + ttl);
        }
    }

    /** Defaults: local backend, {@link SandboxLimits#DEFAULTS}, 8 h TTL. */
    public static SandboxOptions defaults() {
        return new SandboxOptions(
                "local",
                SandboxLimits.DEFAULTS,
                Duration.ofHours(8),
                LocalOptions.defaults(),
                KubernetesOptions.defaults());
    }

    public SandboxOptions withBackend(String name) {
        return new SandboxOptions(name, limits, ttl, local, kubernetes);
    }

    public SandboxOptions withLimits(SandboxLimits l) {
        return new SandboxOptions(backend, l, ttl, local, kubernetes);
    }

    public SandboxOptions withLocal(LocalOptions l) {
        return new SandboxOptions(backend, limits, ttl, l, kubernetes);
    }

    public SandboxOptions withKubernetes(KubernetesOptions k) {
        return new SandboxOptions(backend, limits, ttl, local, k);
    }

    /**
     * Options of the local (bubblewrap) backend.
     *
     * @param bwrap the bubblewrap binary (a name looked up on PATH, or a path)
     * @param workRoot directory holding one sub-directory per sandbox (workspace and metadata)
     * @param uidBase first host uid given to sandboxes when the manager runs as root; each live sandbox
     *     gets its own uid from {@code [uidBase, uidBase + uidCount)}
     * @param uidCount size of the uid range
     * @param cgroups whether to use cgroups (v2, or v1 pids+memory) when the host allows it
     * @param allowUnlimitedProcesses start even when nothing can bound a sandbox's processes (no cgroup
     *     pids controller, and no per-sandbox uid for RLIMIT_NPROC because the manager is not root); a
     *     fork bomb then reaches the whole host. Off by default: the backend refuses to start.
     * @param hostBuildCaches give sandboxes the host user's Maven repository and wrapper distributions
     *     read-only and settings generated from the host user's {@code settings.xml}, {@code .npmrc} and
     *     {@code pip.conf} (without credentials) in their writable home (ADR 0011). On by default.
     */
    public record LocalOptions(
            String bwrap,
            Path workRoot,
            int uidBase,
            int uidCount,
            boolean cgroups,
            boolean allowUnlimitedProcesses,
            boolean hostBuildCaches) {
        public LocalOptions {
            if (bwrap == null || bwrap.isBlank()) {
                throw new InvalidSpecException("local.bwrap must name the bubblewrap binary");
            }
            if (uidBase < 1000 || uidCount < 1) {
                throw new InvalidSpecException("local uid range must start at 1000 or above and be non-empty");
            }
        }

        public static LocalOptions defaults() {
            return new LocalOptions(
                    "bwrap",
                    Path.of(System.getProperty("java.io.tmpdir"), "drydock-sandboxes"),
                    200_000,
                    10_000,
                    true,
                    false,
                    true);
        }

        public LocalOptions withWorkRoot(Path root) {
            return new LocalOptions(bwrap, root, uidBase, uidCount, cgroups, allowUnlimitedProcesses, hostBuildCaches);
        }

        public LocalOptions withCgroups(boolean use) {
            return new LocalOptions(bwrap, workRoot, uidBase, uidCount, use, allowUnlimitedProcesses, hostBuildCaches);
        }

        public LocalOptions withAllowUnlimitedProcesses(boolean allow) {
            return new LocalOptions(bwrap, workRoot, uidBase, uidCount, cgroups, allow, hostBuildCaches);
        }

        public LocalOptions withHostBuildCaches(boolean share) {
            return new LocalOptions(bwrap, workRoot, uidBase, uidCount, cgroups, allowUnlimitedProcesses, share);
        }
    }

    /**
     * An internal mirror sandboxes may reach, e.g. a Maven or npm proxy.
     *
     * @param cidr address block, e.g. {@code 10.0.12.0/24}
     * @param port TCP port
     */
    public record MirrorAllowance(String cidr, int port) {
        public MirrorAllowance {
            if (cidr == null || !cidr.matches("[0-9a-fA-F:.]+/\\d{1,3}")) {
                throw new InvalidSpecException("mirror allowance needs a CIDR, got '" + cidr + "'");
            }
            if (port < 1 || port > 65535) {
                throw new InvalidSpecException("mirror allowance port out of range: " + port);
            }
        }
    }

    /**
     * Options of the Kubernetes backend.
     *
     * @param namespace dedicated namespace of sandbox pods
     * @param image sandbox image (holds the tool runner)
     * @param registry registry that replaces the image's registry (air-gapped mirror), if set
     * @param runtimeClass default RuntimeClass, if any
     * @param allowedRuntimeClasses RuntimeClasses a spec may name (the default is always allowed)
     * @param imagePullSecrets secrets for pulling the image
     * @param controlSelector labels of the server pods (the control channel's only peer)
     * @param controlNamespace namespace of the server pods; empty for the sandbox namespace
     * @param runnerPort port the tool runner listens on
     * @param dnsPort cluster DNS port to allow (53, or 5353 on OpenShift); empty for no DNS
     * @param mirrors internal mirrors sandboxes may reach
     * @param warmPoolSize ready sandboxes kept in advance
     * @param activeDeadline hard lifetime of a pod ({@code activeDeadlineSeconds})
     */
    public record KubernetesOptions(
            String namespace,
            String image,
            Optional<String> registry,
            Optional<String> runtimeClass,
            Set<String> allowedRuntimeClasses,
            List<String> imagePullSecrets,
            Map<String, String> controlSelector,
            Optional<String> controlNamespace,
            int runnerPort,
            Optional<Integer> dnsPort,
            List<MirrorAllowance> mirrors,
            int warmPoolSize,
            Duration activeDeadline,
            Optional<String> dependencyCacheClaim) {
        public KubernetesOptions {
            dependencyCacheClaim = dependencyCacheClaim == null ? Optional.empty() : dependencyCacheClaim;
            registry = registry == null ? Optional.empty() : registry;
            runtimeClass = runtimeClass == null ? Optional.empty() : runtimeClass;
            dnsPort = dnsPort == null ? Optional.empty() : dnsPort;
            controlNamespace = controlNamespace == null ? Optional.empty() : controlNamespace;
            allowedRuntimeClasses = Set.copyOf(allowedRuntimeClasses);
            imagePullSecrets = List.copyOf(imagePullSecrets);
            controlSelector = Map.copyOf(controlSelector);
            mirrors = List.copyOf(mirrors);
            if (namespace == null || !namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
                throw new InvalidSpecException("kubernetes namespace '" + namespace + "' is not a valid name");
            }
            if (runnerPort < 1 || runnerPort > 65535) {
                throw new InvalidSpecException("runner port out of range: " + runnerPort);
            }
            dnsPort.ifPresent(p -> {
                if (p < 1 || p > 65535) {
                    throw new InvalidSpecException("dns port out of range: " + p);
                }
            });
            if (warmPoolSize < 0) {
                throw new InvalidSpecException("warm pool size must not be negative, got " + warmPoolSize);
            }
            if (activeDeadline == null || activeDeadline.toSeconds() < 1) {
                throw new InvalidSpecException("active deadline must be at least one second");
            }
            if (controlSelector.isEmpty()) {
                throw new InvalidSpecException("control selector must name the server pods' labels");
            }
        }

        public static KubernetesOptions defaults() {
            return new KubernetesOptions(
                    "drydock-sandboxes",
                    "drydock/sandbox:latest",
                    Optional.empty(),
                    Optional.empty(),
                    Set.of(),
                    List.of(),
                    Map.of("app.kubernetes.io/name", "drydock-server"),
                    Optional.of("drydock"),
                    7070,
                    Optional.empty(),
                    List.of(),
                    0,
                    Duration.ofHours(8),
                    Optional.empty());
        }

        public KubernetesOptions withNamespace(String ns) {
            return new KubernetesOptions(
                    ns,
                    image,
                    registry,
                    runtimeClass,
                    allowedRuntimeClasses,
                    imagePullSecrets,
                    controlSelector,
                    controlNamespace,
                    runnerPort,
                    dnsPort,
                    mirrors,
                    warmPoolSize,
                    activeDeadline,
                    dependencyCacheClaim);
        }

        public KubernetesOptions withRunnerPort(int port) {
            return new KubernetesOptions(
                    namespace,
                    image,
                    registry,
                    runtimeClass,
                    allowedRuntimeClasses,
                    imagePullSecrets,
                    controlSelector,
                    controlNamespace,
                    port,
                    dnsPort,
                    mirrors,
                    warmPoolSize,
                    activeDeadline,
                    dependencyCacheClaim);
        }

        public KubernetesOptions withWarmPoolSize(int size) {
            return new KubernetesOptions(
                    namespace,
                    image,
                    registry,
                    runtimeClass,
                    allowedRuntimeClasses,
                    imagePullSecrets,
                    controlSelector,
                    controlNamespace,
                    runnerPort,
                    dnsPort,
                    mirrors,
                    size,
                    activeDeadline,
                    dependencyCacheClaim);
        }

        public KubernetesOptions withDnsPort(Optional<Integer> port) {
            return new KubernetesOptions(
                    namespace,
                    image,
                    registry,
                    runtimeClass,
                    allowedRuntimeClasses,
                    imagePullSecrets,
                    controlSelector,
                    controlNamespace,
                    runnerPort,
                    port,
                    mirrors,
                    warmPoolSize,
                    activeDeadline,
                    dependencyCacheClaim);
        }

        public KubernetesOptions withMirrors(List<MirrorAllowance> m) {
            return new KubernetesOptions(
                    namespace,
                    image,
                    registry,
                    runtimeClass,
                    allowedRuntimeClasses,
                    imagePullSecrets,
                    controlSelector,
                    controlNamespace,
                    runnerPort,
                    dnsPort,
                    m,
                    warmPoolSize,
                    activeDeadline,
                    dependencyCacheClaim);
        }

        public KubernetesOptions withRegistry(Optional<String> r) {
            return new KubernetesOptions(
                    namespace,
                    image,
                    r,
                    runtimeClass,
                    allowedRuntimeClasses,
                    imagePullSecrets,
                    controlSelector,
                    controlNamespace,
                    runnerPort,
                    dnsPort,
                    mirrors,
                    warmPoolSize,
                    activeDeadline,
                    dependencyCacheClaim);
        }

        public KubernetesOptions withRuntimeClass(Optional<String> rc, Set<String> allowed) {
            return new KubernetesOptions(
                    namespace,
                    image,
                    registry,
                    rc,
                    allowed,
                    imagePullSecrets,
                    controlSelector,
                    controlNamespace,
                    runnerPort,
                    dnsPort,
                    mirrors,
                    warmPoolSize,
                    activeDeadline,
                    dependencyCacheClaim);
        }

        public KubernetesOptions withImagePullSecrets(List<String> secrets) {
            return new KubernetesOptions(
                    namespace,
                    image,
                    registry,
                    runtimeClass,
                    allowedRuntimeClasses,
                    secrets,
                    controlSelector,
                    controlNamespace,
                    runnerPort,
                    dnsPort,
                    mirrors,
                    warmPoolSize,
                    activeDeadline,
                    dependencyCacheClaim);
        }

        public KubernetesOptions withImage(String i) {
            return new KubernetesOptions(
                    namespace,
                    i,
                    registry,
                    runtimeClass,
                    allowedRuntimeClasses,
                    imagePullSecrets,
                    controlSelector,
                    controlNamespace,
                    runnerPort,
                    dnsPort,
                    mirrors,
                    warmPoolSize,
                    activeDeadline,
                    dependencyCacheClaim);
        }

        public KubernetesOptions withDependencyCacheClaim(Optional<String> claim) {
            return new KubernetesOptions(
                    namespace,
                    image,
                    registry,
                    runtimeClass,
                    allowedRuntimeClasses,
                    imagePullSecrets,
                    controlSelector,
                    controlNamespace,
                    runnerPort,
                    dnsPort,
                    mirrors,
                    warmPoolSize,
                    activeDeadline,
                    claim);
        }

        /** Whether a spec may name this runtime class. */
        public boolean allowsRuntimeClass(String name) {
            return allowedRuntimeClasses.contains(name)
                    || runtimeClass.map(name::equals).orElse(false);
        }
    }

    /**
     * Reads options from a key lookup (see {@link SandboxKey}); absent keys keep their defaults. Durations
     * are ISO-8601 ({@code PT30M}) or a number of seconds; sizes accept {@code k/m/g} suffixes; lists
     * are comma-separated; the control selector is {@code k=v,k=v}; mirrors are {@code cidr:port,…}.
     *
     * @throws InvalidSpecException naming the key of any invalid value
     */
    public static SandboxOptions fromConfig(Function<String, Optional<String>> lookup) {
        SandboxOptions d = defaults();
        Reader r = new Reader(lookup);
        SandboxLimits dl = d.limits();
        SandboxLimits limits = r.get(
                "limits",
                () -> new SandboxLimits(
                        r.size(SandboxKey.MEMORY.key(), dl.memoryBytes()),
                        r.integer(SandboxKey.CPU.key(), dl.cpuMillicores()),
                        r.duration(SandboxKey.CPU_TIME.key(), dl.cpuTime()),
                        r.integer(SandboxKey.MAX_PROCESSES.key(), dl.maxProcesses()),
                        r.size(SandboxKey.MAX_FILE_SIZE.key(), dl.maxFileSizeBytes()),
                        r.size(SandboxKey.EPHEMERAL_STORAGE.key(), dl.ephemeralStorageBytes()),
                        r.size(SandboxKey.TMP_SIZE.key(), dl.tmpBytes()),
                        (int) Math.min(
                                Integer.MAX_VALUE, r.size(SandboxKey.OUTPUT_LIMIT.key(), dl.outputLimitBytes()))));
        LocalOptions dlo = d.local();
        LocalOptions local = r.get(
                "local options",
                () -> new LocalOptions(
                        r.string(SandboxKey.LOCAL_BWRAP.key(), dlo.bwrap()),
                        Path.of(r.string(
                                SandboxKey.LOCAL_WORK_ROOT.key(), dlo.workRoot().toString())),
                        r.integer(SandboxKey.LOCAL_UID_BASE.key(), dlo.uidBase()),
                        dlo.uidCount(),
                        Boolean.parseBoolean(r.string(SandboxKey.LOCAL_CGROUPS.key(), String.valueOf(dlo.cgroups()))),
                        Boolean.parseBoolean(r.string(
                                SandboxKey.LOCAL_ALLOW_UNLIMITED_PROCESSES.key(),
                                String.valueOf(dlo.allowUnlimitedProcesses()))),
                        Boolean.parseBoolean(r.string(
                                SandboxKey.LOCAL_HOST_BUILD_CACHES.key(), String.valueOf(dlo.hostBuildCaches())))));
        KubernetesOptions dk = d.kubernetes();
        KubernetesOptions kube = r.get("kubernetes options", () -> {
            int dns = r.integer(SandboxKey.K8S_DNS_PORT.key(), 0);
            List<MirrorAllowance> mirrors = new ArrayList<>();
            for (String m : r.list(SandboxKey.K8S_MIRRORS.key())) {
                int colon = m.lastIndexOf(':');
                if (colon < 0) {
                    throw new InvalidSpecException(
                            SandboxKey.K8S_MIRRORS.key() + ": expected cidr:port, got '" + m + "'");
                }
                mirrors.add(new MirrorAllowance(m.substring(0, colon), Integer.parseInt(m.substring(colon + 1))));
            }
            Map<String, String> selector = new LinkedHashMap<>();
            for (String kv : r.list(SandboxKey.K8S_CONTROL_SELECTOR.key())) {
                String[] parts = kv.split("=", 2);
                if (parts.length != 2) {
                    throw new InvalidSpecException(
                            SandboxKey.K8S_CONTROL_SELECTOR.key() + ": expected key=value, got '" + kv + "'");
                }
                selector.put(parts[0].strip(), parts[1].strip());
            }
            return new KubernetesOptions(
                    r.string(SandboxKey.K8S_NAMESPACE.key(), dk.namespace()),
                    r.string(SandboxKey.K8S_IMAGE.key(), dk.image()),
                    r.optional(SandboxKey.K8S_REGISTRY.key()),
                    r.optional(SandboxKey.K8S_RUNTIME_CLASS.key()),
                    new LinkedHashSet<>(r.list(SandboxKey.K8S_ALLOWED_RUNTIME_CLASSES.key())),
                    r.list(SandboxKey.K8S_PULL_SECRETS.key()),
                    selector.isEmpty() ? dk.controlSelector() : selector,
                    r.optional(SandboxKey.K8S_CONTROL_NAMESPACE.key()).or(dk::controlNamespace),
                    r.integer(SandboxKey.K8S_RUNNER_PORT.key(), dk.runnerPort()),
                    dns == 0 ? Optional.empty() : Optional.of(dns),
                    mirrors,
                    r.integer(SandboxKey.K8S_WARM_POOL.key(), dk.warmPoolSize()),
                    r.duration(SandboxKey.K8S_ACTIVE_DEADLINE.key(), dk.activeDeadline()),
                    r.optional(SandboxKey.K8S_DEPENDENCY_CACHE_CLAIM.key()));
        });
        String backend = r.string(SandboxKey.BACKEND.key(), d.backend());
        Duration ttl = r.duration(SandboxKey.TTL.key(), d.ttl());
        return new SandboxOptions(backend, limits, ttl, local, kube);
    }

    /** Small typed reader over a key lookup; every error names its key. */
    private record Reader(Function<String, Optional<String>> lookup) {
        Optional<String> optional(String key) {
            return lookup.apply(key).map(String::strip).filter(s -> !s.isEmpty());
        }

        String string(String key, String fallback) {
            return optional(key).orElse(fallback);
        }

        List<String> list(String key) {
            return optional(key).map(s -> List.of(s.split("\\s*,\\s*"))).orElse(List.of()).stream()
                    .filter(s -> !s.isEmpty())
                    .toList();
        }

        int integer(String key, int fallback) {
            Optional<String> v = optional(key);
            try {
                return v.map(Integer::parseInt).orElse(fallback);
            } catch (NumberFormatException e) {
                throw new InvalidSpecException(key + ": not an integer: '" + v.get() + "'");
            }
        }

        long size(String key, long fallback) {
            Optional<String> v = optional(key);
            try {
                return v.map(ByteSize::parse).orElse(fallback);
            } catch (InvalidSpecException e) {
                throw new InvalidSpecException(key + ": " + e.getMessage());
            }
        }

        Duration duration(String key, Duration fallback) {
            Optional<String> v = optional(key);
            if (v.isEmpty()) {
                return fallback;
            }
            try {
                return v.get().matches("\\d+") ? Duration.ofSeconds(Long.parseLong(v.get())) : Duration.parse(v.get());
            } catch (RuntimeException e) {
                throw new InvalidSpecException(key + ": not a duration (ISO-8601 or seconds): '" + v.get() + "'");
            }
        }

        <T> T get(String what, java.util.function.Supplier<T> build) {
            return build.get();
        }
    }
}
