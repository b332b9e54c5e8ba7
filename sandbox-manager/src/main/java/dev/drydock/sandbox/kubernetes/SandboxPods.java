package dev.drydock.sandbox.kubernetes;

import dev.drydock.sandbox.InvalidSpecException;
import dev.drydock.sandbox.SandboxId;
import dev.drydock.sandbox.SandboxLabels;
import dev.drydock.sandbox.SandboxLimits;
import dev.drydock.sandbox.SandboxOptions.KubernetesOptions;
import dev.drydock.sandbox.SandboxSpec;
import dev.drydock.sandbox.runner.RunnerProtocol;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.time.Duration;
import java.time.Instant;
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

    private SandboxPods() {}

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
                        .withEnv(
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
                                        .build())
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
                        .withVolumeMounts(
                                new VolumeMountBuilder()
                                        .withName("workspace")
                                        .withMountPath(WORKSPACE)
                                        .build(),
                                new VolumeMountBuilder()
                                        .withName("tmp")
                                        .withMountPath("/tmp")
                                        .build())
                        .build())
                .withVolumes(
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
                                .build())
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
