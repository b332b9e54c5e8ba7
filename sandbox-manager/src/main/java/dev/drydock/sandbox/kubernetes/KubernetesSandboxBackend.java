package dev.drydock.sandbox.kubernetes;

import dev.drydock.sandbox.Enforcement;
import dev.drydock.sandbox.ExecRequest;
import dev.drydock.sandbox.ExecResult;
import dev.drydock.sandbox.InvalidSpecException;
import dev.drydock.sandbox.Sandbox;
import dev.drydock.sandbox.SandboxBackend;
import dev.drydock.sandbox.SandboxException;
import dev.drydock.sandbox.SandboxId;
import dev.drydock.sandbox.SandboxKey;
import dev.drydock.sandbox.SandboxLabels;
import dev.drydock.sandbox.SandboxOptions;
import dev.drydock.sandbox.SandboxOptions.KubernetesOptions;
import dev.drydock.sandbox.SandboxPolicy;
import dev.drydock.sandbox.SandboxSpec;
import dev.drydock.sandbox.SandboxUnavailableException;
import dev.drydock.sandbox.SessionLiveness;
import dev.drydock.sandbox.SetupStep;
import dev.drydock.sandbox.Termination;
import dev.drydock.sandbox.UnknownSandboxException;
import dev.drydock.sandbox.archive.WorkspaceTar;
import dev.drydock.sandbox.git.WorkspaceGit;
import dev.drydock.sandbox.runner.RunnerClient;
import dev.drydock.sandbox.workspace.WorkspaceFiles;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * The Kubernetes backend ({@code kubernetes}): one pod per sandbox in a dedicated namespace,
 * isolated by {@link SandboxNetworkPolicies}, reached through the in-pod tool runner. Call {@link
 * #start()} once (NetworkPolicy, warm pool) and {@link #reconcile} at server start.
 */
public final class KubernetesSandboxBackend implements SandboxBackend {
    /** Looked up on first use, so a CLI that never logs never initialises a logging backend. */
    private static System.Logger log() {
        return System.getLogger(KubernetesSandboxBackend.class.getName());
    }

    private final KubernetesClient client;
    private final SandboxOptions options;
    private final KubernetesOptions kube;
    private final SandboxPolicy policy;
    private final Clock clock;
    private final RunnerEndpoints endpoints;
    private final Duration startupTimeout;
    private final RandomGenerator random;
    private final HttpClient http;
    private final PodReaper reaper;
    private final Map<SandboxId, KubernetesSandbox> sandboxes = new ConcurrentHashMap<>();
    private boolean ownsClient;

    public KubernetesSandboxBackend(
            KubernetesClient client,
            SandboxOptions options,
            Clock clock,
            RunnerEndpoints endpoints,
            Duration startupTimeout) {
        this.client = client;
        this.options = options;
        this.kube = options.kubernetes();
        this.policy = new SandboxPolicy(options);
        this.clock = clock;
        this.endpoints = endpoints;
        this.startupTimeout = startupTimeout;
        this.random = new SecureRandom();
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.reaper = new PodReaper(client, kube.namespace(), clock);
    }

    /**
     * A backend talking to the cluster of the ambient configuration (in-cluster service account or
     * KUBECONFIG), reaching runners by pod IP.
     */
    public static KubernetesSandboxBackend fromEnvironment(SandboxOptions options, Clock clock) {
        io.fabric8.kubernetes.client.Config config = io.fabric8.kubernetes.client.Config.autoConfigure(null);
        config.setRequestRetryBackoffLimit(2);
        KubernetesClient client = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(config)
                .build();
        KubernetesSandboxBackend backend = new KubernetesSandboxBackend(
                client,
                options,
                clock,
                RunnerEndpoints.podIp(options.kubernetes().runnerPort()),
                Duration.ofMinutes(3));
        backend.ownsClient = true;
        return backend;
    }

    @Override
    public String name() {
        return "kubernetes";
    }

    /** Applies the NetworkPolicy and fills the warm pool. */
    public void start() {
        try {
            client.network()
                    .v1()
                    .networkPolicies()
                    .inNamespace(kube.namespace())
                    .resource(SandboxNetworkPolicies.desired(kube))
                    .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
        } catch (KubernetesClientException e) {
            throw new SandboxUnavailableException(
                    "cannot apply the sandbox NetworkPolicy in " + kube.namespace() + " on " + client.getMasterUrl()
                            + ": " + rootMessage(e),
                    e);
        }
        replenishWarmPool();
    }

    /** The spec warm-pool pods are made from: the policy's defaults. */
    SandboxSpec warmTemplate() {
        return policy.spec("warm", "warm");
    }

    /** Creates warm pods until the pool holds {@code warmPoolSize}; returns how many were created. */
    public synchronized int replenishWarmPool() {
        int have = warmPods().size();
        int created = 0;
        for (int i = have; i < kube.warmPoolSize(); i++) {
            createPod(warmTemplate(), true);
            created++;
        }
        return created;
    }

    List<Pod> warmPods() {
        return client.pods()
                .inNamespace(kube.namespace())
                .withLabels(
                        Map.of(SandboxLabels.MANAGED_BY, SandboxLabels.MANAGED_BY_VALUE, SandboxLabels.POOL, "warm"))
                .list()
                .getItems();
    }

    @Override
    public Sandbox create(SandboxSpec spec) {
        policy.check(spec);
        if (spec.image().isEmpty()) {
            throw new InvalidSpecException("missing image: set " + SandboxKey.K8S_IMAGE.key());
        }
        Instant expiresAt = clock.instant().plus(spec.ttl());
        Optional<Pod> claimed = compatibleWithWarmPool(spec) ? claimWarmPod(spec, expiresAt) : Optional.empty();
        SandboxId id;
        if (claimed.isPresent()) {
            id = SandboxId.parse(Objects.requireNonNull(
                    claimed.get().getMetadata().getLabels().get(SandboxLabels.SANDBOX_ID),
                    "warm pods carry their sandbox id"));
            replenishWarmPool();
        } else {
            id = createPod(spec, false);
        }
        try {
            if (!spec.mirrors().isEmpty()) {
                client.network()
                        .v1()
                        .networkPolicies()
                        .inNamespace(kube.namespace())
                        .resource(SandboxNetworkPolicies.mirrorEgress(kube.namespace(), id, spec.mirrors()))
                        .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
            }
            KubernetesSandbox sandbox = connect(id, spec, expiresAt, Optional.empty());
            if (spec.source().isPresent()) {
                sandbox.baseCommit(fillWorkspace(sandbox, spec));
                client.pods()
                        .inNamespace(kube.namespace())
                        .withName(SandboxPods.podName(id))
                        .edit(p -> {
                            p.getMetadata().getAnnotations().put(SandboxLabels.BASE_COMMIT, sandbox.diffBase());
                            return p;
                        });
            }
            if (spec.setup().isPresent()) {
                runSetup(sandbox, spec.setup().get(), spec.mirrors(), kube);
            }
            return sandbox;
        } catch (RuntimeException e) {
            delete(id);
            throw e;
        }
    }

    private boolean compatibleWithWarmPool(SandboxSpec spec) {
        SandboxSpec t = warmTemplate();
        // warm pods have no package-manager settings: a workspace with mirrors gets a pod of its own
        return kube.warmPoolSize() > 0
                && spec.mirrors().isEmpty()
                && spec.image().equals(t.image())
                && spec.runtimeClass().equals(t.runtimeClass())
                && spec.limits().equals(t.limits());
    }

    private Optional<Pod> claimWarmPod(SandboxSpec spec, Instant expiresAt) {
        for (Pod warm : warmPods()) {
            // The kubelet updates status concurrently: retry conflicts a few times per pod.
            for (int attempt = 0; attempt < 5; attempt++) {
                try {
                    Pod claimed = client.pods()
                            .inNamespace(kube.namespace())
                            .withName(warm.getMetadata().getName())
                            .edit(p -> {
                                if (!"warm".equals(p.getMetadata().getLabels().get(SandboxLabels.POOL))) {
                                    throw new IllegalStateException("already claimed");
                                }
                                p.getMetadata().getLabels().put(SandboxLabels.POOL, "claimed");
                                p.getMetadata().getLabels().put(SandboxLabels.SESSION_ID, spec.sessionId());
                                p.getMetadata().getLabels().put(SandboxLabels.WORKSPACE_ID, spec.workspaceId());
                                p.getMetadata().getAnnotations().put(SandboxLabels.EXPIRES_AT, expiresAt.toString());
                                return p;
                            });
                    return Optional.of(claimed);
                } catch (IllegalStateException e) {
                    break;
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409) {
                        log().log(
                                        System.Logger.Level.DEBUG,
                                        () -> String.format(
                                                "warm pod %s not claimed: %s",
                                                warm.getMetadata().getName(), e.getMessage()));
                        break;
                    }
                }
            }
        }
        return Optional.empty();
    }

    private SandboxId createPod(SandboxSpec spec, boolean warm) {
        SandboxId id = SandboxId.random(random);
        byte[] tokenBytes = new byte[32];
        random.nextBytes(tokenBytes);
        String token = HexFormat.of().formatHex(tokenBytes);
        Instant expiresAt = warm
                ? clock.instant().plus(kube.activeDeadline())
                : clock.instant().plus(spec.ttl());
        Pod pod = SandboxPods.desired(spec, kube, id, expiresAt, warm);
        try {
            client.secrets()
                    .inNamespace(kube.namespace())
                    .resource(SandboxPods.tokenSecret(kube, id, token))
                    .create();
            Pod created =
                    client.pods().inNamespace(kube.namespace()).resource(pod).create();
            if (!warm && !spec.mirrors().isEmpty()) {
                // after the pod (the kubelet waits for it to mount), owned by it: gone with the pod
                io.fabric8.kubernetes.api.model.ConfigMap settings = SandboxPods.settingsConfigMap(spec, kube, id);
                if (created != null && created.getMetadata().getUid() != null) {
                    settings.getMetadata()
                            .setOwnerReferences(List.of(new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
                                    .withApiVersion("v1")
                                    .withKind("Pod")
                                    .withName(created.getMetadata().getName())
                                    .withUid(created.getMetadata().getUid())
                                    .build()));
                }
                client.configMaps()
                        .inNamespace(kube.namespace())
                        .resource(settings)
                        .create();
            }
        } catch (KubernetesClientException e) {
            delete(id);
            if (e.getCode() == 403 && String.valueOf(e.getMessage()).contains("exceeded quota")) {
                throw new dev.drydock.sandbox.SandboxCapacityException(
                        "the resource quota of " + kube.namespace() + " has no room for another sandbox: "
                                + e.getMessage(),
                        e);
            }
            throw new SandboxUnavailableException(
                    "cannot create sandbox pod in " + kube.namespace() + ": " + e.getMessage(), e);
        }
        return id;
    }

    private KubernetesSandbox connect(SandboxId id, SandboxSpec spec, Instant expiresAt, Optional<String> baseCommit) {
        Pod ready = awaitReady(id);
        RunnerClient runner = new RunnerClient(http, endpoints.endpoint(ready), token(id));
        KubernetesSandbox sandbox =
                new KubernetesSandbox(id, spec, expiresAt, ready.getMetadata().getLabels(), runner, baseCommit, this);
        sandboxes.put(id, sandbox);
        return sandbox;
    }

    private Pod awaitReady(SandboxId id) {
        try {
            Pod pod = client.pods()
                    .inNamespace(kube.namespace())
                    .withName(SandboxPods.podName(id))
                    .waitUntilCondition(
                            p -> p == null || ready(p) || terminal(p),
                            startupTimeout.toMillis(),
                            TimeUnit.MILLISECONDS);
            if (pod == null) {
                throw new SandboxUnavailableException(
                        "sandbox pod " + SandboxPods.podName(id) + " disappeared while starting");
            }
            if (terminal(pod)) {
                throw new SandboxUnavailableException("sandbox pod " + SandboxPods.podName(id)
                        + " ended while starting: " + pod.getStatus().getPhase());
            }
            return pod;
        } catch (KubernetesClientException e) {
            throw new SandboxUnavailableException(
                    "sandbox pod " + SandboxPods.podName(id) + " not ready within " + startupTimeout + ": "
                            + e.getMessage(),
                    e);
        }
    }

    static boolean ready(Pod p) {
        return p.getStatus() != null
                && p.getStatus().getConditions() != null
                && p.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static boolean terminal(Pod p) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    private String token(SandboxId id) {
        Secret s = client.secrets()
                .inNamespace(kube.namespace())
                .withName(SandboxPods.secretName(id))
                .get();
        if (s == null) {
            throw new SandboxUnavailableException("token secret of " + id + " is missing");
        }
        if (s.getData() != null && s.getData().containsKey(SandboxPods.TOKEN_KEY)) {
            return new String(
                    Base64.getDecoder().decode(s.getData().get(SandboxPods.TOKEN_KEY)), StandardCharsets.UTF_8);
        }
        if (s.getStringData() != null && s.getStringData().containsKey(SandboxPods.TOKEN_KEY)) {
            return s.getStringData().get(SandboxPods.TOKEN_KEY);
        }
        throw new SandboxUnavailableException("token secret of " + id + " has no token");
    }

    /** Checks out the source on the server side and uploads it; the pod never fetches anything. */
    private String fillWorkspace(KubernetesSandbox sandbox, SandboxSpec spec) {
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("drydock-checkout-");
            String commit =
                    WorkspaceGit.checkout(spec.source().get(), tmp.resolve("workspace"), tmp.resolve("base.git"));
            ByteArrayOutputStream tar = new ByteArrayOutputStream();
            WorkspaceTar.create(new WorkspaceFiles(tmp.resolve("workspace"), OptionalInt.empty()), ".", tar);
            sandbox.uploadTar(".", new ByteArrayInputStream(tar.toByteArray()));
            return commit;
        } catch (IOException e) {
            throw new SandboxException("cannot prepare workspace: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                deleteQuietly(tmp);
            }
        }
    }

    private static void runSetup(
            Sandbox sandbox, SetupStep step, List<dev.drydock.sandbox.PackageMirror> mirrors, KubernetesOptions kube) {
        // the credentials in the forms the setup-only settings of the pod's ConfigMap read: for this step only
        Map<String, String> env = new java.util.LinkedHashMap<>(step.secretEnv());
        env.putAll(dev.drydock.sandbox.MirrorSettings.setupEnv(
                mirrors, step.secretEnv(), SandboxPods.BUILD_SETTINGS, SandboxPods.mavenCacheArgs(kube)));
        ExecResult result =
                sandbox.exec(ExecRequest.of(step.command()).withEnv(env).withTimeout(step.timeout()));
        if (!(result.termination() instanceof Termination.Exited e && e.code() == 0)) {
            throw new SandboxException("setup step failed (" + result.statusLine() + "): "
                    + result.stderr().text());
        }
    }

    @Override
    public Sandbox get(SandboxId id) {
        KubernetesSandbox s = sandboxes.get(id);
        if (s == null) {
            throw new UnknownSandboxException(id);
        }
        return s;
    }

    @Override
    public List<Sandbox> list() {
        return List.copyOf(sandboxes.values());
    }

    /** Result of {@link #reconcile}. */
    public record Reconciliation(List<SandboxId> adopted, List<PodReaper.Reaped> deleted) {}

    /**
     * At server start: deletes Drydock pods that are expired, finished or whose session is not live,
     * and adopts the others so {@link #get} finds them again.
     */
    public Reconciliation reconcile(SessionLiveness liveness) {
        List<PodReaper.Reaped> deleted = reaper.reap(liveness);
        List<SandboxId> adopted = new ArrayList<>();
        for (Pod pod : client.pods()
                .inNamespace(kube.namespace())
                .withLabels(SandboxNetworkPolicies.sandboxSelector())
                .list()
                .getItems()) {
            Map<String, String> labels = pod.getMetadata().getLabels();
            String session = labels.get(SandboxLabels.SESSION_ID);
            String sandboxId = labels.get(SandboxLabels.SANDBOX_ID);
            if (session == null || sandboxId == null) {
                continue;
            }
            SandboxId id = SandboxId.parse(sandboxId);
            if (sandboxes.containsKey(id)) {
                continue;
            }
            SandboxSpec spec = policy.spec(session, labels.getOrDefault(SandboxLabels.WORKSPACE_ID, session))
                    .withImage(pod.getSpec().getContainers().getFirst().getImage());
            Instant expiresAt = Instant.parse(pod.getMetadata().getAnnotations().get(SandboxLabels.EXPIRES_AT));
            Optional<String> base =
                    Optional.ofNullable(pod.getMetadata().getAnnotations().get(SandboxLabels.BASE_COMMIT));
            connect(id, spec, expiresAt, base);
            adopted.add(id);
        }
        return new Reconciliation(adopted, deleted);
    }

    @Override
    public int reapExpired() {
        List<PodReaper.Reaped> reaped = reaper.reap(session -> true);
        for (PodReaper.Reaped r : reaped) {
            if (r.name().startsWith("drydock-sbx-") && !r.name().endsWith("-token")) {
                KubernetesSandbox s = sandboxes.get(SandboxId.parse(r.name().substring("drydock-".length())));
                if (s != null) {
                    s.destroy();
                }
            }
        }
        return (int) reaped.stream().filter(r -> !r.name().endsWith("-token")).count();
    }

    /** Destroys a sandbox, known or not. */
    void delete(SandboxId id) {
        KubernetesSandbox s = sandboxes.get(id);
        if (s != null) {
            s.destroy();
        } else {
            deleteResources(id);
        }
    }

    /** Deletes a sandbox's pod and token secret. */
    void deleteResources(SandboxId id) {
        sandboxes.remove(id);
        try {
            client.pods()
                    .inNamespace(kube.namespace())
                    .withName(SandboxPods.podName(id))
                    .withGracePeriod(0)
                    .delete();
            client.secrets()
                    .inNamespace(kube.namespace())
                    .withName(SandboxPods.secretName(id))
                    .delete();
            client.network()
                    .v1()
                    .networkPolicies()
                    .inNamespace(kube.namespace())
                    .withName(SandboxNetworkPolicies.mirrorPolicyName(id))
                    .delete();
            client.configMaps()
                    .inNamespace(kube.namespace())
                    .withName(SandboxPods.settingsName(id))
                    .delete();
        } catch (KubernetesClientException e) {
            log().log(
                            System.Logger.Level.WARNING,
                            () -> String.format(
                                    "cannot delete sandbox %s (the reaper will retry): %s", id, e.getMessage()));
        }
    }

    @Override
    public List<Enforcement> enforcement() {
        return List.of(
                new Enforcement(
                        "network",
                        true,
                        "NetworkPolicy " + SandboxNetworkPolicies.NAME + " (needs a CNI that enforces NetworkPolicy)"),
                new Enforcement(
                        "pod-security",
                        true,
                        "Pod Security restricted: non-root, no capabilities, seccomp RuntimeDefault, read-only root"),
                new Enforcement(
                        "runtime-class",
                        kube.runtimeClass().isPresent(),
                        kube.runtimeClass().map(rc -> "RuntimeClass " + rc).orElse("cluster default runtime")),
                new Enforcement("memory", true, "container memory limit"),
                new Enforcement("cpu-rate", true, "container cpu limit"),
                new Enforcement("disk", true, "ephemeral-storage limit and emptyDir sizeLimit"),
                new Enforcement("lifetime", true, "activeDeadlineSeconds and the reaper"),
                new Enforcement("processes", false, "pod pids limit is a kubelet setting (podPidsLimit)"));
    }

    @Override
    public void close() {
        sandboxes.clear();
        if (ownsClient) {
            client.close();
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            sb.append(": ").append(t.getMessage());
        }
        return sb.toString();
    }

    private static void deleteQuietly(Path root) {
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log().log(System.Logger.Level.DEBUG, () -> String.format("cannot delete %s: %s", root, e.getMessage()));
        }
    }
}
