package dev.drydock.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Bad input is refused with a clear message before anything is created. */
class SandboxSpecValidationTest {
    @Test
    void shouldRejectLimitWhenNegativeOrZero() {
        // When / Then
        assertThatThrownBy(() -> SandboxLimits.DEFAULTS.withMemoryBytes(-1))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessage("limit memory must be positive, got -1");
        assertThatThrownBy(() -> SandboxLimits.DEFAULTS.withMaxProcesses(0))
                .hasMessage("limit max-processes must be positive, got 0");
        assertThatThrownBy(() -> SandboxLimits.DEFAULTS.withCpuTime(Duration.ofSeconds(-5)))
                .hasMessageContaining("cpu-time must be positive");
        assertThatThrownBy(() -> SandboxLimits.DEFAULTS.withOutputLimitBytes(-10))
                .hasMessage("limit output-limit must be positive, got -10");
        assertThatThrownBy(() -> ByteSize.parse("-5m"))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("invalid size '-5m'");
    }

    @Test
    void shouldRejectCommandWhenItContainsNulBytes() {
        // When / Then
        assertThatThrownBy(() -> ExecRequest.of("echo", "a\0b"))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessage("command argument 1 contains a NUL byte");
        assertThatThrownBy(() -> ExecRequest.of("echo").withEnv(Map.of("A", "x\0y")))
                .hasMessage("environment variable A contains a NUL byte");
        assertThatThrownBy(() -> ExecRequest.of("echo").withCwd("a\0b")).hasMessage("cwd contains a NUL byte");
        assertThatThrownBy(() -> ExecRequest.of(List.of())).hasMessage("command is empty");
        assertThatThrownBy(() -> ExecRequest.of("")).hasMessage("command name is empty");
    }

    @Test
    void shouldRejectEnvironmentWhenHugeOrMalformed() {
        // Given
        Map<String, String> huge = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            huge.put("VAR_" + i, "x".repeat(1024));
        }
        // When / Then
        assertThatThrownBy(() -> ExecRequest.of("env").withEnv(huge))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageStartingWith("environment too large: ");
        assertThatThrownBy(() -> ExecRequest.of("env").withEnv(Map.of("BAD=NAME", "x")))
                .hasMessage("invalid environment variable name 'BAD=NAME'");
        assertThatThrownBy(() -> ExecRequest.of("x".repeat(200_000))).hasMessageStartingWith("command too large");
    }

    @Test
    void shouldRejectTimeoutWhenNotPositiveOrTooLong() {
        // When / Then
        assertThatThrownBy(() -> ExecRequest.of("true").withTimeout(Duration.ZERO))
                .hasMessage("timeout must be positive, got PT0S");
        assertThatThrownBy(() -> ExecRequest.of("true").withTimeout(Duration.ofDays(2)))
                .hasMessageContaining("exceeds the maximum");
    }

    @Test
    void shouldRejectSpecWhenLabelsOrRuntimeClassAreInvalid() {
        // Given
        SandboxPolicy policy = new SandboxPolicy(SandboxOptions.defaults()
                .withKubernetes(SandboxOptions.KubernetesOptions.defaults()
                        .withRuntimeClass(Optional.of("gvisor"), Set.of("kata"))));
        // When / Then
        assertThatThrownBy(() -> policy.spec("bad session!", "w"))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("session id 'bad session!' is invalid");
        assertThatThrownBy(() -> policy.check(policy.spec("s", "w").withRuntimeClass(Optional.of("runc"))))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessage("unknown runtime class 'runc'; allowed: gvisor, kata");
        assertThatThrownBy(() -> policy.spec("s", "w").withTtl(Duration.ofSeconds(-1)))
                .hasMessage("ttl must be positive, got PT-1S");
    }

    @Test
    void shouldRejectMissingImageWhenBackendIsKubernetes() {
        // Given
        SandboxPolicy policy = new SandboxPolicy(SandboxOptions.defaults().withBackend("kubernetes"));
        // When / Then
        assertThatThrownBy(() -> policy.check(policy.spec("s", "w").withImage("")))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageStartingWith("missing image");
    }

    @Test
    void shouldListValidBackendsWhenNameIsUnknown() {
        // When / Then
        assertThatThrownBy(() -> SandboxOptions.defaults().withBackend("docker"))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessage("unknown sandbox backend 'docker'; valid values: local, kubernetes");
        assertThatThrownBy(() -> SandboxOptions.fromConfig(
                        k -> k.equals(SandboxKey.BACKEND.key()) ? Optional.of("podman") : Optional.empty()))
                .hasMessageContaining("valid values: local, kubernetes");
    }

    @Test
    void shouldReadEveryKeyWhenBuildingOptionsFromConfig() {
        // Given
        Map<String, String> config = Map.of(
                SandboxKey.BACKEND.key(), "kubernetes",
                SandboxKey.MEMORY.key(), "512m",
                SandboxKey.MAX_PROCESSES.key(), "100",
                SandboxKey.TTL.key(), "PT2H",
                SandboxKey.K8S_DNS_PORT.key(), "5353",
                SandboxKey.K8S_MIRRORS.key(), "10.0.0.0/8:8081, 192.168.1.0/24:443",
                SandboxKey.K8S_WARM_POOL.key(), "3",
                SandboxKey.K8S_REGISTRY.key(), "mirror.local:5000");
        // When
        SandboxOptions o = SandboxOptions.fromConfig(k -> Optional.ofNullable(config.get(k)));
        // Then
        assertThat(o.backend()).isEqualTo("kubernetes");
        assertThat(o.limits().memoryBytes()).isEqualTo(512L << 20);
        assertThat(o.limits().maxProcesses()).isEqualTo(100);
        assertThat(o.ttl()).isEqualTo(Duration.ofHours(2));
        assertThat(o.kubernetes().dnsPort()).contains(5353);
        assertThat(o.kubernetes().mirrors())
                .containsExactly(
                        new SandboxOptions.MirrorAllowance("10.0.0.0/8", 8081),
                        new SandboxOptions.MirrorAllowance("192.168.1.0/24", 443));
        assertThat(o.kubernetes().warmPoolSize()).isEqualTo(3);
        assertThat(o.kubernetes().registry()).contains("mirror.local:5000");
        assertThat(SandboxKey.envName(SandboxKey.LOCAL_WORK_ROOT.key())).isEqualTo("DRYDOCK_SANDBOX_LOCAL_WORK_ROOT");
    }

    @Test
    void shouldRefuseMalformedIdsWhenParsing() {
        // When / Then
        assertThatThrownBy(() -> SandboxId.parse("../../etc/passwd"))
                .isInstanceOf(UnknownSandboxException.class)
                .hasMessageContaining("malformed sandbox id");
    }
}
