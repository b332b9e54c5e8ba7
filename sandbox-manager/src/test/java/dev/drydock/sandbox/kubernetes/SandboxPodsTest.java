package dev.drydock.sandbox.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.sandbox.InvalidSpecException;
import dev.drydock.sandbox.SandboxId;
import dev.drydock.sandbox.SandboxLabels;
import dev.drydock.sandbox.SandboxOptions;
import dev.drydock.sandbox.SandboxOptions.KubernetesOptions;
import dev.drydock.sandbox.SandboxPolicy;
import dev.drydock.sandbox.SandboxSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SandboxPodsTest {
    static final SandboxId ID = SandboxId.parse("sbx-00112233445566aa");
    static final Instant EXPIRES = Instant.parse("2030-01-01T00:00:00Z");

    static KubernetesOptions kube() {
        return KubernetesOptions.defaults()
                .withImage("docker.io/drydock/sandbox:1.0")
                .withRegistry(Optional.of("registry.internal:5000"))
                .withRuntimeClass(Optional.of("gvisor"), Set.of("kata"))
                .withImagePullSecrets(List.of("mirror-pull"));
    }

    static SandboxSpec spec() {
        SandboxOptions options =
                SandboxOptions.defaults().withBackend("kubernetes").withKubernetes(kube());
        return new SandboxPolicy(options).spec("session-1", "workspace-1").withTtl(Duration.ofHours(2));
    }

    @Test
    void shouldSatisfyPodSecurityRestrictedWhenBuiltFromPolicy() {
        // When
        Pod pod = SandboxPods.desired(spec(), kube(), ID, EXPIRES, false);
        // Then
        assertThat(RestrictedPodCheck.podSecurityViolations(pod)).isEmpty();
        assertThat(RestrictedPodCheck.sandboxViolations(pod)).isEmpty();
    }

    @Test
    void shouldSetEverySecurityFieldWhenBuildingPod() {
        // When
        Pod pod = SandboxPods.desired(spec(), kube(), ID, EXPIRES, false);
        // Then
        assertThat(pod.getMetadata().getName()).isEqualTo("drydock-sbx-00112233445566aa");
        assertThat(pod.getMetadata().getNamespace()).isEqualTo("drydock-sandboxes");
        assertThat(pod.getMetadata().getLabels())
                .containsEntry(SandboxLabels.MANAGED_BY, "drydock")
                .containsEntry(SandboxLabels.COMPONENT, "sandbox")
                .containsEntry(SandboxLabels.SANDBOX_ID, ID.value())
                .containsEntry(SandboxLabels.SESSION_ID, "session-1")
                .containsEntry(SandboxLabels.WORKSPACE_ID, "workspace-1")
                .containsEntry(SandboxLabels.POOL, "claimed");
        assertThat(pod.getMetadata().getAnnotations()).containsEntry(SandboxLabels.EXPIRES_AT, "2030-01-01T00:00:00Z");
        var spec = pod.getSpec();
        assertThat(spec.getAutomountServiceAccountToken()).isFalse();
        assertThat(spec.getEnableServiceLinks()).isFalse();
        assertThat(spec.getHostNetwork()).isFalse();
        assertThat(spec.getHostPID()).isFalse();
        assertThat(spec.getHostIPC()).isFalse();
        assertThat(spec.getRestartPolicy()).isEqualTo("Never");
        assertThat(spec.getActiveDeadlineSeconds()).isEqualTo(7200L);
        assertThat(spec.getRuntimeClassName()).isEqualTo("gvisor");
        assertThat(spec.getImagePullSecrets()).extracting(r -> r.getName()).containsExactly("mirror-pull");
        assertThat(spec.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(spec.getSecurityContext().getRunAsUser())
                .as("arbitrary uid: left to the platform")
                .isNull();
        assertThat(spec.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(spec.getContainers()).hasSize(1);
        Container c = spec.getContainers().getFirst();
        assertThat(c.getImage()).isEqualTo("registry.internal:5000/drydock/sandbox:1.0");
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getPrivileged()).isFalse();
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(c.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        Map<String, Quantity> limits = c.getResources().getLimits();
        assertThat(limits.get("cpu")).isEqualTo(new Quantity("2000m"));
        assertThat(Quantity.getAmountInBytes(limits.get("memory")).longValue()).isEqualTo(2L << 30);
        assertThat(Quantity.getAmountInBytes(limits.get("ephemeral-storage")).longValue())
                .isEqualTo(10L << 30);
        assertThat(c.getResources().getRequests()).isEqualTo(limits);
        assertThat(c.getVolumeMounts())
                .extracting(m -> m.getName() + "=" + m.getMountPath())
                .containsExactly("workspace=/workspace", "tmp=/tmp");
        assertThat(spec.getVolumes()).extracting(v -> v.getName()).containsExactly("workspace", "tmp");
        assertThat(spec.getVolumes().get(0).getEmptyDir().getSizeLimit()).isEqualTo(limits.get("ephemeral-storage"));
        assertThat(spec.getVolumes().get(1).getEmptyDir().getMedium()).isEqualTo("Memory");
        assertThat(c.getEnv())
                .filteredOn(e -> e.getName().equals("DRYDOCK_RUNNER_TOKEN"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getValue()).isNull();
                    assertThat(e.getValueFrom().getSecretKeyRef().getName())
                            .isEqualTo("drydock-sbx-00112233445566aa-token");
                });
        assertThat(c.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getContainerPort()).isEqualTo(7070);
            assertThat(p.getHostPort()).isNull();
        });
    }

    @Test
    void shouldLabelWarmPodWithoutSessionWhenBuiltForPool() {
        // When
        Pod pod = SandboxPods.desired(spec(), kube(), ID, EXPIRES, true);
        // Then
        assertThat(pod.getMetadata().getLabels())
                .containsEntry(SandboxLabels.POOL, "warm")
                .doesNotContainKey(SandboxLabels.SESSION_ID);
    }

    @Test
    void shouldRejectSpecWhenImageIsMissing() {
        // When / Then
        assertThatThrownBy(() -> SandboxPods.desired(spec().withImage(" "), kube(), ID, EXPIRES, false))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("missing image");
    }

    @Test
    void shouldRejectSpecWhenRuntimeClassIsUnknown() {
        // When / Then
        assertThatThrownBy(() -> SandboxPods.desired(
                        spec().withRuntimeClass(Optional.of("runc-privileged")), kube(), ID, EXPIRES, false))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("unknown runtime class 'runc-privileged'");
        assertThat(SandboxPods.desired(spec().withRuntimeClass(Optional.of("kata")), kube(), ID, EXPIRES, false)
                        .getSpec()
                        .getRuntimeClassName())
                .isEqualTo("kata");
    }

    @Test
    void shouldRewriteRegistryWhenOverrideIsSet() {
        // When / Then
        assertThat(SandboxPods.image("docker.io/drydock/sandbox:1", Optional.of("mirror:5000")))
                .isEqualTo("mirror:5000/drydock/sandbox:1");
        assertThat(SandboxPods.image("drydock/sandbox:1", Optional.of("mirror:5000/")))
                .isEqualTo("mirror:5000/drydock/sandbox:1");
        assertThat(SandboxPods.image("localhost/sandbox", Optional.of("m.local")))
                .isEqualTo("m.local/sandbox");
        assertThat(SandboxPods.image("sandbox:1", Optional.empty())).isEqualTo("sandbox:1");
    }

    @Test
    void shouldReportViolationsWhenPodIsPrivileged() {
        // Given
        Pod bad = new PodBuilder(SandboxPods.desired(spec(), kube(), ID, EXPIRES, false))
                .editSpec()
                .withHostNetwork(true)
                .withAutomountServiceAccountToken(true)
                .addNewVolume()
                .withName("host")
                .withNewHostPath()
                .withPath("/")
                .endHostPath()
                .endVolume()
                .editFirstContainer()
                .editSecurityContext()
                .withPrivileged(true)
                .withAllowPrivilegeEscalation(true)
                .withRunAsUser(0L)
                .withReadOnlyRootFilesystem(false)
                .editCapabilities()
                .withAdd("SYS_ADMIN")
                .withDrop()
                .endCapabilities()
                .withNewSeccompProfile()
                .withType("Unconfined")
                .endSeccompProfile()
                .endSecurityContext()
                .endContainer()
                .endSpec()
                .build();
        // When
        List<String> violations = RestrictedPodCheck.sandboxViolations(bad);
        // Then
        assertThat(violations)
                .contains(
                        "hostNetwork must not be true",
                        "volume host has forbidden type hostPath",
                        "container runner: privileged must not be true",
                        "container runner: allowPrivilegeEscalation must be false",
                        "container runner: runAsUser must not be 0",
                        "container runner: seccompProfile must be RuntimeDefault or Localhost",
                        "container runner: capabilities must drop ALL",
                        "container runner: capabilities may only add NET_BIND_SERVICE",
                        "automountServiceAccountToken must be false",
                        "container runner: readOnlyRootFilesystem must be true");
    }
}
