package dev.drydock.installer.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.installer.helm.RenderedChart;
import dev.drydock.sandbox.Sandbox;
import dev.drydock.sandbox.SandboxOptions;
import dev.drydock.sandbox.SandboxPolicy;
import dev.drydock.sandbox.kubernetes.KubernetesSandboxBackend;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The chart's Role against what sandbox-manager's Kubernetes backend really does: the backend runs
 * its whole life cycle (policy, warm pool, claim, token, a workspace with mirrors, delete, reap, reconcile) on the mock API
 * server with the settings the chart gives the server, and every recorded API call must be allowed
 * by the Role, while every permission of the Role must have been used.
 */
@EnableKubernetesMockClient(crud = true)
class SandboxRbacTest {
    static KubernetesClient client;
    static KubernetesMockServer server;

    /** One API call: group, resource, verb, namespace, name. */
    record Call(String group, String resource, String verb, String namespace, String name) {}

    @Test
    void shouldAllowEveryCallOfTheSandboxBackendAndNothingElseWhenRoleIsRendered() throws Exception {
        // Given
        RenderedChart chart = Charts.render("minimal");
        Map<String, String> env = Charts.serverEnvironment(chart);
        SandboxOptions fromChart = SandboxOptions.fromConfig(
                key -> Optional.ofNullable(env.get(key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"))));
        SandboxOptions options = fromChart.withKubernetes(fromChart.kubernetes().withWarmPoolSize(1));
        String namespace = options.kubernetes().namespace();
        KubernetesSandboxBackend backend = new KubernetesSandboxBackend(
                client, options, Clock.systemUTC(), pod -> URI.create("http://127.0.0.1:9"), Duration.ofSeconds(30));
        Kubelet kubelet = new Kubelet(namespace);
        Thread recorder = Thread.ofPlatform().name("api-recorder").daemon().start(kubelet);

        // When
        backend.start();
        backend.start();
        Sandbox sandbox = backend.create(new SandboxPolicy(options).spec("session-1", "workspace-1"));
        sandbox.destroy();
        Sandbox mirrored = backend.create(new SandboxPolicy(options)
                .spec("session-2", "workspace-2")
                .withMirrors(List.of(new dev.drydock.sandbox.PackageMirror(
                        "corp-npm",
                        dev.drydock.sandbox.PackageMirror.Kind.NPM,
                        URI.create("http://10.20.0.7:4873/")))));
        mirrored.destroy();
        backend.reapExpired();
        backend.reconcile(session -> false);
        backend.close();
        List<Call> calls = kubelet.stop(recorder);

        // Then
        List<Map<String, Object>> rules =
                RenderedChart.maps(chart.ofKind("Role").getFirst().get("rules"));
        assertThat(calls).isNotEmpty().allSatisfy(c -> {
            assertThat(c.namespace()).as("%s", c).isEqualTo(namespace);
            assertThat(rules.stream().anyMatch(r -> allows(r, c)))
                    .as("the Role does not allow %s", c)
                    .isTrue();
        });
        Set<String> granted = new TreeSet<>();
        Set<String> used = new TreeSet<>();
        for (Map<String, Object> r : rules) {
            for (Object verb : (List<?>) r.get("verbs")) {
                String grant = ((List<?>) r.get("apiGroups")).getFirst() + "/"
                        + ((List<?>) r.get("resources")).getFirst() + ":" + verb;
                granted.add(grant);
                if (calls.stream().anyMatch(c -> allows(r, c) && c.verb().equals(verb))) {
                    used.add(grant);
                }
            }
        }
        assertThat(used).as("permissions the backend never used").isEqualTo(granted);
    }

    /**
     * Records the backend's API calls and plays the kubelet: sandbox pods become Ready only once the
     * backend watches pods, as on a real cluster where a new pod is never ready at once. Its own
     * calls carry another user agent and are left out.
     */
    static final class Kubelet implements Runnable {
        private static final String AGENT = "drydock-test-kubelet";
        private final String namespace;
        private final KubernetesClient own;
        private final List<Call> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        private volatile boolean stopping;
        private int taken;

        Kubelet(String namespace) {
            this.namespace = namespace;
            this.own = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                    .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration())
                            .withUserAgent(AGENT)
                            .build())
                    .build();
        }

        @Override
        public void run() {
            try {
                while (!stopping || taken < server.getRequestCount()) {
                    RecordedRequest r = server.takeRequest(100, TimeUnit.MILLISECONDS);
                    if (r == null) {
                        continue;
                    }
                    taken++;
                    if (AGENT.equals(r.getHeader("User-Agent"))) {
                        continue;
                    }
                    Call c = call(r.getMethod(), r.getPath());
                    calls.add(c);
                    if (c.resource().equals("pods") && c.verb().equals("watch")) {
                        markPodsReady();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void markPodsReady() {
            for (Pod pod : own.pods().inNamespace(namespace).list().getItems()) {
                pod.setStatus(new PodStatusBuilder()
                        .withPhase("Running")
                        .withPodIP("10.1.2.3")
                        .withConditions(new PodConditionBuilder()
                                .withType("Ready")
                                .withStatus("True")
                                .build())
                        .build());
                own.pods().inNamespace(namespace).resource(pod).updateStatus();
            }
        }

        List<Call> stop(Thread thread) throws InterruptedException {
            stopping = true;
            thread.join(Duration.ofSeconds(30));
            own.close();
            return List.copyOf(calls);
        }
    }

    private static boolean allows(Map<String, Object> rule, Call c) {
        List<?> names = rule.get("resourceNames") instanceof List<?> l ? l : List.of();
        return ((List<?>) rule.get("apiGroups")).contains(c.group())
                && ((List<?>) rule.get("resources")).contains(c.resource())
                && ((List<?>) rule.get("verbs")).contains(c.verb())
                && (names.isEmpty() || names.contains(c.name()));
    }

    static Call call(String method, String fullPath) {
        String path = fullPath.contains("?") ? fullPath.substring(0, fullPath.indexOf('?')) : fullPath;
        String query = fullPath.contains("?") ? fullPath.substring(fullPath.indexOf('?') + 1) : "";
        String[] p = path.substring(1).split("/");
        int i = p[0].equals("api") ? 2 : 3;
        String group = p[0].equals("api") ? "" : p[1];
        String namespace = p.length > i + 1 && p[i].equals("namespaces") ? p[i + 1] : null;
        int r = namespace == null ? i : i + 2;
        String resource = p[r] + (p.length > r + 2 ? "/" + p[r + 2] : "");
        String name = p.length > r + 1 ? p[r + 1] : null;
        String verb = switch (method) {
            case "GET" -> name != null ? "get" : query.contains("watch=true") ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name != null ? "delete" : "deletecollection";
            default -> method;
        };
        return new Call(group, resource, verb, namespace, name);
    }
}
