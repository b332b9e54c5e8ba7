package dev.drydock.sandbox.kubernetes;

import dev.drydock.sandbox.InvalidSpecException;
import dev.drydock.sandbox.MirrorSettings;
import dev.drydock.sandbox.PackageMirror;
import dev.drydock.sandbox.SandboxId;
import dev.drydock.sandbox.SandboxLabels;
import dev.drydock.sandbox.SandboxLimits;
import dev.drydock.sandbox.SandboxOptions.KubernetesOptions;
import dev.drydock.sandbox.SandboxSpec;
import dev.drydock.sandbox.runner.RunnerProtocol;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Pure builders of the desired sandbox pod and its token secret. */
public final class SandboxPods {
    /** Name of the sandbox container. */
    public static final String CONTAINER = "runner";
    /** Key of the token in the sandbox's secret. */
    public static final String TOKEN_KEY = "token";
    /** Where the workspace emptyDir is mounted. */
    public static final String WORKSPACE = "/workspace";

    /** Where a sandbox whose workspace chose mirrors finds its package-manager settings (a ConfigMap, read-only). */
    public static final String BUILD_SETTINGS = "/etc/drydock/build";
    /** The home of a sandbox whose workspace chose mirrors (an emptyDir: the root filesystem is read-only). */
    public static final String HOME = "/home/drydock";
    /** Where the workspace's part of the dependency-cache volume is mounted. */
    public static final String CACHE = "/opt/drydock/cache";

    private SandboxPods() {}

    /** ConfigMap name of a sandbox's package-manager settings. */
    public static String settingsName(SandboxId id) {
        return "drydock-" + id.value() + "-build";
    }

    /**
     * The package-manager settings of a claimed sandbox whose workspace chose mirrors (issue #18), keyed
     * by file name: Maven {@code settings.xml} (and {@code setup-settings.xml} naming the credential
     * variables), {@code npmrc} (and {@code setup.npmrc}), {@code pip.conf}, the Gradle {@code
     * init.gradle} and {@code gradle.properties}. No credential: a ConfigMap is enough. The pod reaches
     * the mirrors directly (its NetworkPolicy), so no proxy.
     */
    public static Map<String, String> buildSettings(SandboxSpec spec, KubernetesOptions options) {
        List<PackageMirror> mirrors = spec.mirrors();
        Map<String, String> secretEnv =
                spec.setup().map(dev.drydock.sandbox.SetupStep::secretEnv).orElse(Map.of());
        Map<String, String> files = new LinkedHashMap<>();
        Optional<PackageMirror> maven = MirrorSettings.first(mirrors, PackageMirror.Kind.MAVEN);
        maven.ifPresent(m -> {
            files.put("settings.xml", MirrorSettings.mavenSettings(m, false, null));
            if (secretEnv.containsKey(m.secretVariable())) {
                files.put("setup-settings.xml", MirrorSettings.mavenSettings(m, true, null));
            }
        });
        MirrorSettings.first(mirrors, PackageMirror.Kind.NPM).ifPresent(m -> {
            String npmrc = MirrorSettings.npmrc(
                    m,
                    null,
                    options.dependencyCacheClaim().isPresent()
                            ? "cache=" + CACHE + "/npm\nprefer-offline=true\n"
                            : "prefer-offline=true\n");
            files.put("npmrc", npmrc);
            String credential = secretEnv.get(m.secretVariable());
            if (credential != null) {
                files.put("setup.npmrc", npmrc + MirrorSettings.npmAuthLine(m, credential));
            }
        });
        MirrorSettings.first(mirrors, PackageMirror.Kind.PYPI)
                .ifPresent(m -> files.put("pip.conf", MirrorSettings.pipConf(m, null)));
        Optional<PackageMirror> gradle = MirrorSettings.first(mirrors, PackageMirror.Kind.GRADLE);
        if (maven.isPresent() || gradle.isPresent()) {
            files.put("init.gradle", MirrorSettings.gradleInit(maven, gradle));
            files.put("gradle.properties", MirrorSettings.gradleProperties(null));
        }
        return files;
    }

    /** {@code MAVEN_ARGS} of a sandbox's commands before its settings: the cache volume's repository, if any. */
    public static String mavenCacheArgs(KubernetesOptions options) {
        return options.dependencyCacheClaim().isPresent() ? "-Dmaven.repo.local=" + CACHE + "/maven" : "";
    }

    /** The Gradle user home of a sandbox whose workspace chose mirrors. */
    static String gradleUserHome(KubernetesOptions options) {
        return options.dependencyCacheClaim().isPresent() ? CACHE + "/gradle" : HOME + "/.gradle";
    }

    /** The ConfigMap of {@link #buildSettings}. */
    public static ConfigMap settingsConfigMap(SandboxSpec spec, KubernetesOptions options, SandboxId id) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(settingsName(id))
                .withNamespace(options.namespace())
                .withLabels(Map.of(
                        SandboxLabels.MANAGED_BY, SandboxLabels.MANAGED_BY_VALUE,
                        SandboxLabels.COMPONENT, SandboxLabels.COMPONENT_VALUE,
                        SandboxLabels.SANDBOX_ID, id.value()))
                .endMetadata()
                .withData(buildSettings(spec, options))
                .build();
    }

    /** Environment, mounts and volumes a claimed sandbox whose workspace chose mirrors adds to the pod. */
    private record Build(List<EnvVar> env, List<VolumeMount> mounts, List<Volume> volumes) {
        static Build of(SandboxSpec spec, KubernetesOptions options, SandboxId id, boolean warm) {
            List<EnvVar> env = new ArrayList<>();
            List<VolumeMount> mounts = new ArrayList<>();
            List<Volume> volumes = new ArrayList<>();
            if (warm || spec.mirrors().isEmpty()) {
                return new Build(env, mounts, volumes);
            }
            Map<String, String> files = buildSettings(spec, options);
            boolean cache = options.dependencyCacheClaim().isPresent();
            Map<String, String> vars = new LinkedHashMap<>();
            vars.put("HOME", HOME);
            if (files.containsKey("settings.xml")) {
                vars.put("MAVEN_ARGS", (mavenCacheArgs(options) + " -s " + BUILD_SETTINGS + "/settings.xml").strip());
            }
            if (files.containsKey("npmrc")) {
                vars.put("NPM_CONFIG_USERCONFIG", BUILD_SETTINGS + "/npmrc");
            }
            if (files.containsKey("pip.conf")) {
                vars.put("PIP_CONFIG_FILE", BUILD_SETTINGS + "/pip.conf");
            }
            vars.putAll(MirrorSettings.toolEnv(spec.mirrors()));
            String gradleHome = gradleUserHome(options);
            if (files.containsKey("init.gradle")) {
                vars.put("GRADLE_USER_HOME", gradleHome);
            }
            if (cache) {
                vars.put("PIP_CACHE_DIR", CACHE + "/pip");
                vars.put("GOMODCACHE", CACHE + "/go");
            }
            vars.forEach((k, v) ->
                    env.add(new EnvVarBuilder().withName(k).withValue(v).build()));
            volumes.add(new VolumeBuilder()
                    .withName("build-settings")
                    .withNewConfigMap()
                    .withName(settingsName(id))
                    .endConfigMap()
                    .build());
            volumes.add(new VolumeBuilder()
                    .withName("home")
                    .withNewEmptyDir()
                    .withSizeLimit(new Quantity(String.valueOf(spec.limits().ephemeralStorageBytes())))
                    .endEmptyDir()
                    .build());
            mounts.add(new VolumeMountBuilder()
                    .withName("build-settings")
                    .withMountPath(BUILD_SETTINGS)
                    .withReadOnly(true)
                    .build());
            mounts.add(new VolumeMountBuilder()
                    .withName("home")
                    .withMountPath(HOME)
                    .build());
            if (cache) {
                volumes.add(new VolumeBuilder()
                        .withName("dependency-cache")
                        .withNewPersistentVolumeClaim()
                        .withClaimName(options.dependencyCacheClaim().get())
                        .endPersistentVolumeClaim()
                        .build());
                // the workspace's own part of the volume: another workspace's caches are not there
                mounts.add(new VolumeMountBuilder()
                        .withName("dependency-cache")
                        .withMountPath(CACHE)
                        .withSubPath(spec.workspaceId())
                        .build());
            }
            if (files.containsKey("init.gradle")) {
                mounts.add(new VolumeMountBuilder()
                        .withName("build-settings")
                        .withMountPath(gradleHome + "/init.d/drydock.gradle")
                        .withSubPath("init.gradle")
                        .withReadOnly(true)
                        .build());
                mounts.add(new VolumeMountBuilder()
                        .withName("build-settings")
                        .withMountPath(gradleHome + "/gradle.properties")
                        .withSubPath("gradle.properties")
                        .withReadOnly(true)
                        .build());
            }
            return new Build(env, mounts, volumes);
        }
    }

    /** Pod name of a sandbox. */
    public static String podName(SandboxId id) {
        return "drydock-" + id.value();
    }

    /** Secret name of a sandbox's runner token. */
    public static String secretName(SandboxId id) {
        return "drydock-" + id.value() + "-token";
    }

    /**
     * The pod of a sandbox.
     *
     * @param spec what to run; its session and workspace become labels
     * @param options cluster policy
     * @param id the sandbox id
     * @param expiresAt when the reaper deletes it
     * @param warm whether it is a warm-pool pod (no session label yet)
     */
    public static Pod desired(
            SandboxSpec spec, KubernetesOptions options, SandboxId id, Instant expiresAt, boolean warm) {
        if (spec.image().isEmpty()) {
            throw new InvalidSpecException("missing image: set drydock.sandbox.kubernetes.image");
        }
        spec.runtimeClass().filter(rc -> !options.allowsRuntimeClass(rc)).ifPresent(rc -> {
            throw new InvalidSpecException(
                    "unknown runtime class '" + rc + "'; allowed: " + options.allowedRuntimeClasses());
        });
        SandboxLimits limits = spec.limits();
        Map<String, Quantity> resources = new LinkedHashMap<>();
        resources.put("cpu", new Quantity(limits.cpuMillicores() + "m"));
        resources.put("memory", new Quantity(String.valueOf(limits.memoryBytes())));
        resources.put("ephemeral-storage", new Quantity(String.valueOf(limits.ephemeralStorageBytes())));
        long deadline =
                Math.min(spec.ttl().toSeconds(), options.activeDeadline().toSeconds());
        Build build = Build.of(spec, options, id, warm);
        List<EnvVar> env = new ArrayList<>(List.of(
                new EnvVarBuilder()
                        .withName(RunnerProtocol.PORT_ENV)
                        .withValue(String.valueOf(options.runnerPort()))
                        .build(),
                new EnvVarBuilder()
                        .withName(RunnerProtocol.WORKSPACE_ENV)
                        .withValue(WORKSPACE)
                        .build(),
                new EnvVarBuilder()
                        .withName(RunnerProtocol.TOKEN_ENV)
                        .withNewValueFrom()
                        .withNewSecretKeyRef(TOKEN_KEY, secretName(id), false)
                        .endValueFrom()
                        .build()));
        env.addAll(build.env());
        List<VolumeMount> mounts = new ArrayList<>(List.of(
                new VolumeMountBuilder()
                        .withName("workspace")
                        .withMountPath(WORKSPACE)
                        .build(),
                new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build()));
        mounts.addAll(build.mounts());
        List<Volume> volumes = new ArrayList<>(List.of(
                new VolumeBuilder()
                        .withName("workspace")
                        .withNewEmptyDir()
                        .withSizeLimit(new Quantity(String.valueOf(limits.ephemeralStorageBytes())))
                        .endEmptyDir()
                        .build(),
                new VolumeBuilder()
                        .withName("tmp")
                        .withNewEmptyDir()
                        .withMedium("Memory")
                        .withSizeLimit(new Quantity(String.valueOf(limits.tmpBytes())))
                        .endEmptyDir()
                        .build()));
        volumes.addAll(build.volumes());
        return new PodBuilder()
                .withNewMetadata()
                .withName(podName(id))
                .withNamespace(options.namespace())
                .withLabels(labels(spec, id, warm))
                .withAnnotations(Map.of(SandboxLabels.EXPIRES_AT, expiresAt.toString()))
                .endMetadata()
                .withNewSpec()
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .withHostNetwork(false)
                .withHostPID(false)
                .withHostIPC(false)
                .withShareProcessNamespace(false)
                .withRestartPolicy("Never")
                .withActiveDeadlineSeconds(Math.max(1, deadline))
                .withTerminationGracePeriodSeconds(5L)
                .withRuntimeClassName(spec.runtimeClass().orElse(null))
                .withImagePullSecrets(options.imagePullSecrets().stream()
                        .map(LocalObjectReference::new)
                        .toList())
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withSeccompProfile(new SeccompProfile(null, "RuntimeDefault"))
                .endSecurityContext()
                .withContainers(new ContainerBuilder()
                        .withName(CONTAINER)
                        .withImage(image(spec.image(), options.registry()))
                        .withImagePullPolicy("IfNotPresent")
                        .withWorkingDir(WORKSPACE)
                        .withEnv(env)
                        .addNewPort()
                        .withName("runner")
                        .withContainerPort(options.runnerPort())
                        .withProtocol("TCP")
                        .endPort()
                        .withNewReadinessProbe()
                        .withNewHttpGet()
                        .withPath("/v1/health")
                        .withNewPort(options.runnerPort())
                        .endHttpGet()
                        .withPeriodSeconds(1)
                        .endReadinessProbe()
                        .withNewResources()
                        .withLimits(resources)
                        .withRequests(resources)
                        .endResources()
                        .withNewSecurityContext()
                        .withAllowPrivilegeEscalation(false)
                        .withPrivileged(false)
                        .withReadOnlyRootFilesystem(true)
                        .withRunAsNonRoot(true)
                        .withCapabilities(new Capabilities(null, List.of("ALL")))
                        .withSeccompProfile(new SeccompProfile(null, "RuntimeDefault"))
                        .endSecurityContext()
                        .withVolumeMounts(mounts)
                        .build())
                .withVolumes(volumes)
                .endSpec()
                .build();
    }

    /** The secret holding the runner token of a sandbox. */
    public static Secret tokenSecret(KubernetesOptions options, SandboxId id, String token) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName(secretName(id))
                .withNamespace(options.namespace())
                .withLabels(Map.of(
                        SandboxLabels.MANAGED_BY, SandboxLabels.MANAGED_BY_VALUE,
                        SandboxLabels.COMPONENT, SandboxLabels.COMPONENT_VALUE,
                        SandboxLabels.SANDBOX_ID, id.value()))
                .endMetadata()
                .withType("Opaque")
                .withStringData(Map.of(TOKEN_KEY, token))
                .build();
    }

    static Map<String, String> labels(SandboxSpec spec, SandboxId id, boolean warm) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(SandboxLabels.MANAGED_BY, SandboxLabels.MANAGED_BY_VALUE);
        labels.put(SandboxLabels.COMPONENT, SandboxLabels.COMPONENT_VALUE);
        labels.put(SandboxLabels.SANDBOX_ID, id.value());
        if (warm) {
            labels.put(SandboxLabels.POOL, "warm");
        } else {
            labels.put(SandboxLabels.POOL, "claimed");
            labels.put(SandboxLabels.SESSION_ID, spec.sessionId());
            labels.put(SandboxLabels.WORKSPACE_ID, spec.workspaceId());
        }
        return labels;
    }

    /**
     * Applies a registry override: {@code docker.io/drydock/sandbox:1} with {@code mirror:5000}
     * becomes {@code mirror:5000/drydock/sandbox:1}; an image without a registry gets the prefix.
     */
    public static String image(String image, Optional<String> registry) {
        if (registry.isEmpty()) {
            return image;
        }
        String reg = registry.get().replaceAll("/+$", "");
        int slash = image.indexOf('/');
        if (slash > 0) {
            String first = image.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                return reg + image.substring(slash);
            }
        }
        return reg + "/" + image;
    }

    /** Seconds of a duration, at least one. */
    static long seconds(Duration d) {
        return Math.max(1, d.toSeconds());
    }
}
