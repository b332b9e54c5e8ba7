package dev.drydock.sandbox.kubernetes;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checks a pod against the Pod Security Standards "restricted" profile (baseline controls
 * included), as the admission controller in enforce mode would, plus Drydock's own sandbox rules
 * (read-only root, no service-account token, resource limits). Returns human-readable violations;
 * empty means compliant. Used by the tests and usable as a pre-flight check.
 */
public final class RestrictedPodCheck {
    private static final Set<String> ALLOWED_VOLUMES = Set.of(
            "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret");
    private static final Set<String> SAFE_SYSCTLS = Set.of(
            "kernel.shm_rmid_forced",
            "net.ipv4.ip_local_port_range",
            "net.ipv4.ip_unprivileged_port_start",
            "net.ipv4.tcp_syncookies",
            "net.ipv4.ping_group_range",
            "net.ipv4.ip_local_reserved_ports",
            "net.ipv4.tcp_keepalive_time",
            "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl",
            "net.ipv4.tcp_keepalive_probes");

    private RestrictedPodCheck() {}

    /** Violations of Pod Security "restricted" (which includes "baseline"). */
    public static List<String> podSecurityViolations(Pod pod) {
        List<String> v = new ArrayList<>();
        PodSpec spec = pod.getSpec();
        if (spec == null) {
            return List.of("pod has no spec");
        }
        PodSecurityContext psc = spec.getSecurityContext();
        // baseline
        if (Boolean.TRUE.equals(spec.getHostNetwork())) v.add("hostNetwork must not be true");
        if (Boolean.TRUE.equals(spec.getHostPID())) v.add("hostPID must not be true");
        if (Boolean.TRUE.equals(spec.getHostIPC())) v.add("hostIPC must not be true");
        for (Volume vol : nullToEmpty(spec.getVolumes())) {
            String type = volumeType(vol);
            if (!ALLOWED_VOLUMES.contains(type)) {
                v.add("volume " + vol.getName() + " has forbidden type " + type);
            }
        }
        if (psc != null && psc.getSysctls() != null) {
            psc.getSysctls().stream()
                    .filter(s -> !SAFE_SYSCTLS.contains(s.getName()))
                    .forEach(s -> v.add("unsafe sysctl " + s.getName()));
        }
        boolean podNonRoot = psc != null && Boolean.TRUE.equals(psc.getRunAsNonRoot());
        if (psc != null && psc.getRunAsUser() != null && psc.getRunAsUser() == 0) v.add("pod runAsUser must not be 0");
        boolean podSeccomp = psc != null && seccompOk(psc.getSeccompProfile());
        if (psc != null && psc.getSeccompProfile() != null && !podSeccomp)
            v.add("pod seccompProfile must be RuntimeDefault or Localhost");
        if (psc != null && psc.getSeLinuxOptions() != null) {
            String type = psc.getSeLinuxOptions().getType();
            if (type != null
                    && !Set.of("", "container_t", "container_init_t", "container_kvm_t", "container_engine_t")
                            .contains(type)) {
                v.add("pod seLinuxOptions.type " + type + " not allowed");
            }
            if (psc.getSeLinuxOptions().getUser() != null
                    || psc.getSeLinuxOptions().getRole() != null) v.add("pod seLinuxOptions user/role must not be set");
        }
        for (Container c : allContainers(spec)) {
            String n = "container " + c.getName() + ": ";
            SecurityContext sc = c.getSecurityContext();
            if (sc == null) {
                v.add(n + "securityContext is missing");
                if (!podNonRoot) v.add(n + "runAsNonRoot must be true");
                if (!podSeccomp) v.add(n + "seccompProfile must be RuntimeDefault or Localhost");
                continue;
            }
            if (Boolean.TRUE.equals(sc.getPrivileged())) v.add(n + "privileged must not be true");
            if (c.getPorts() != null
                    && c.getPorts().stream().anyMatch(p -> p.getHostPort() != null && p.getHostPort() != 0))
                v.add(n + "hostPort must not be set");
            if (sc.getProcMount() != null && !"Default".equals(sc.getProcMount()))
                v.add(n + "procMount must be Default");
            if (sc.getAppArmorProfile() != null
                    && "Unconfined".equals(sc.getAppArmorProfile().getType()))
                v.add(n + "AppArmor must not be Unconfined");
            // restricted
            if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation()))
                v.add(n + "allowPrivilegeEscalation must be false");
            if (!(Boolean.TRUE.equals(sc.getRunAsNonRoot()) || (podNonRoot && sc.getRunAsNonRoot() == null)))
                v.add(n + "runAsNonRoot must be true");
            if (sc.getRunAsUser() != null && sc.getRunAsUser() == 0) v.add(n + "runAsUser must not be 0");
            boolean seccomp = sc.getSeccompProfile() == null ? podSeccomp : seccompOk(sc.getSeccompProfile());
            if (!seccomp) v.add(n + "seccompProfile must be RuntimeDefault or Localhost");
            Capabilities caps = sc.getCapabilities();
            if (caps == null || caps.getDrop() == null || !caps.getDrop().contains("ALL"))
                v.add(n + "capabilities must drop ALL");
            if (caps != null
                    && caps.getAdd() != null
                    && caps.getAdd().stream().anyMatch(a -> !a.equals("NET_BIND_SERVICE"))) {
                v.add(n + "capabilities may only add NET_BIND_SERVICE");
            }
        }
        return v;
    }

    /** Drydock's rules on top of "restricted". */
    public static List<String> sandboxViolations(Pod pod) {
        List<String> v = new ArrayList<>(podSecurityViolations(pod));
        PodSpec spec = pod.getSpec();
        if (spec == null) {
            return v;
        }
        if (!Boolean.FALSE.equals(spec.getAutomountServiceAccountToken()))
            v.add("automountServiceAccountToken must be false");
        if (spec.getActiveDeadlineSeconds() == null) v.add("activeDeadlineSeconds must be set");
        for (Container c : allContainers(spec)) {
            String n = "container " + c.getName() + ": ";
            SecurityContext sc = c.getSecurityContext();
            if (sc == null || !Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem()))
                v.add(n + "readOnlyRootFilesystem must be true");
            Map<String, ?> limits =
                    c.getResources() == null ? null : c.getResources().getLimits();
            for (String r : List.of("cpu", "memory", "ephemeral-storage")) {
                if (limits == null || !limits.containsKey(r)) v.add(n + "limit " + r + " must be set");
            }
        }
        return v;
    }

    private static boolean seccompOk(SeccompProfile p) {
        return p != null && ("RuntimeDefault".equals(p.getType()) || "Localhost".equals(p.getType()));
    }

    private static List<Container> allContainers(PodSpec spec) {
        return Stream.of(nullToEmpty(spec.getInitContainers()), nullToEmpty(spec.getContainers()))
                .flatMap(List::stream)
                .toList();
    }

    private static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static String volumeType(Volume v) {
        Map<String, Object> set = new java.util.LinkedHashMap<>();
        set.put("configMap", v.getConfigMap());
        set.put("csi", v.getCsi());
        set.put("downwardAPI", v.getDownwardAPI());
        set.put("emptyDir", v.getEmptyDir());
        set.put("ephemeral", v.getEphemeral());
        set.put("persistentVolumeClaim", v.getPersistentVolumeClaim());
        set.put("projected", v.getProjected());
        set.put("secret", v.getSecret());
        set.put("hostPath", v.getHostPath());
        set.put("nfs", v.getNfs());
        return set.entrySet().stream()
                .filter(e -> Objects.nonNull(e.getValue()))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse("other");
    }
}
