package dev.drydock.sandbox.kubernetes;

import dev.drydock.sandbox.SandboxLabels;
import dev.drydock.sandbox.SessionLiveness;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Deletes sandbox pods that must not live on: expired ({@code drydock.dev/expires-at} in the past),
 * finished (phase Succeeded or Failed), or orphaned (their session is not live), and token secrets
 * whose pod is gone. Only objects labelled {@code app.kubernetes.io/managed-by=drydock,
 * app.kubernetes.io/component=sandbox} are considered.
 */
public final class PodReaper {
    /** Looked up on first use, so a CLI that never logs never initialises a logging backend. */
    private static System.Logger log() {
        return System.getLogger(PodReaper.class.getName());
    }

    /** One deleted pod or secret and why. */
    public record Reaped(String name, String reason) {}

    private final KubernetesClient client;
    private final String namespace;
    private final Clock clock;

    public PodReaper(KubernetesClient client, String namespace, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.clock = clock;
    }

    /** Deletes what must go; {@code liveness} decides about sessions. Warm pods have no session. */
    public List<Reaped> reap(SessionLiveness liveness) {
        Instant now = clock.instant();
        List<Reaped> reaped = new ArrayList<>();
        List<Pod> pods = client.pods()
                .inNamespace(namespace)
                .withLabels(SandboxNetworkPolicies.sandboxSelector())
                .list()
                .getItems();
        for (Pod pod : pods) {
            reason(pod, now, liveness).ifPresent(why -> {
                client.pods()
                        .inNamespace(namespace)
                        .resource(pod)
                        .withGracePeriod(0)
                        .delete();
                reaped.add(new Reaped(pod.getMetadata().getName(), why));
                log().log(
                                System.Logger.Level.INFO,
                                () -> String.format(
                                        "deleted sandbox pod %s: %s",
                                        pod.getMetadata().getName(), why));
            });
        }
        Set<String> livePods = pods.stream()
                .map(p -> p.getMetadata().getName())
                .filter(n -> reaped.stream().noneMatch(r -> r.name().equals(n)))
                .collect(Collectors.toSet());
        for (Secret secret : client.secrets()
                .inNamespace(namespace)
                .withLabels(SandboxNetworkPolicies.sandboxSelector())
                .list()
                .getItems()) {
            String id = secret.getMetadata().getLabels().get(SandboxLabels.SANDBOX_ID);
            if (id == null || !livePods.contains("drydock-" + id)) {
                client.secrets().inNamespace(namespace).resource(secret).delete();
                reaped.add(new Reaped(secret.getMetadata().getName(), "token of a pod that no longer exists"));
            }
        }
        return reaped;
    }

    static java.util.Optional<String> reason(Pod pod, Instant now, SessionLiveness liveness) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations() == null
                ? Map.of()
                : pod.getMetadata().getAnnotations();
        Map<String, String> labels = pod.getMetadata().getLabels() == null
                ? Map.of()
                : pod.getMetadata().getLabels();
        String expires = annotations.get(SandboxLabels.EXPIRES_AT);
        if (expires == null) {
            return java.util.Optional.of("no expiry annotation");
        }
        try {
            if (!now.isBefore(Instant.parse(expires))) {
                return java.util.Optional.of("expired at " + expires);
            }
        } catch (DateTimeParseException e) {
            return java.util.Optional.of("unreadable expiry '" + expires + "'");
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            return java.util.Optional.of("pod phase " + phase);
        }
        String session = labels.get(SandboxLabels.SESSION_ID);
        if (session != null && !liveness.isLive(session)) {
            return java.util.Optional.of("session " + session + " is not live");
        }
        if (session == null && !"warm".equals(labels.get(SandboxLabels.POOL))) {
            return java.util.Optional.of("claimed pod without a session label");
        }
        return java.util.Optional.empty();
    }
}
