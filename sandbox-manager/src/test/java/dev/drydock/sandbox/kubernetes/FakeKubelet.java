package dev.drydock.sandbox.kubernetes;

import dev.drydock.sandbox.runner.ToolRunner;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plays the kubelet against the mock API server: for each new sandbox pod it starts a real {@link
 * ToolRunner} on loopback with the pod's token from its secret and a fresh workspace directory, then
 * marks the pod Running and Ready.
 */
final class FakeKubelet implements AutoCloseable {
    private final KubernetesClient client;
    private final String namespace;
    private final Path root;
    private final Map<String, ToolRunner> runners = new ConcurrentHashMap<>();
    private final SharedIndexInformer<Pod> informer;
    private final java.util.concurrent.ExecutorService worker = java.util.concurrent.Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("fake-kubelet").factory());

    FakeKubelet(KubernetesClient client, String namespace, Path root) {
        this.client = client;
        this.namespace = namespace;
        this.root = root;
        this.informer = client.pods().inNamespace(namespace).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                worker.execute(() -> start(pod));
            }

            @Override
            public void onUpdate(Pod oldPod, Pod newPod) {}

            @Override
            public void onDelete(Pod pod, boolean unknown) {
                worker.execute(() -> {
                    ToolRunner r = runners.remove(pod.getMetadata().getName());
                    if (r != null) {
                        r.close();
                    }
                });
            }
        });
    }

    private void start(Pod pod) {
        String name = pod.getMetadata().getName();
        if (runners.containsKey(name) || KubernetesSandboxBackend.ready(pod)) {
            return;
        }
        String secretName = pod.getSpec().getContainers().getFirst().getEnv().stream()
                .filter(e -> e.getValueFrom() != null)
                .findFirst()
                .orElseThrow()
                .getValueFrom()
                .getSecretKeyRef()
                .getName();
        Secret secret =
                client.secrets().inNamespace(namespace).withName(secretName).get();
        String token = secret.getStringData().get(SandboxPods.TOKEN_KEY);
        try {
            Path workspace = Files.createDirectories(root.resolve(name));
            runners.put(
                    name,
                    ToolRunner.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), workspace, token));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // The backend may relabel the pod (warm-pool claim) at the same moment: retry on conflicts.
        for (int attempt = 0; ; attempt++) {
            try {
                client.pods().inNamespace(namespace).withName(name).editStatus(p -> {
                    p.setStatus(new PodStatusBuilder()
                            .withPhase("Running")
                            .withPodIP("127.0.0.1")
                            .withConditions(new PodConditionBuilder()
                                    .withType("Ready")
                                    .withStatus("True")
                                    .build())
                            .build());
                    return p;
                });
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (attempt >= 20) {
                    throw e;
                }
            }
        }
    }

    /** The endpoint of a pod's runner. */
    URI endpoint(Pod pod) {
        return URI.create(
                "http://127.0.0.1:" + runners.get(pod.getMetadata().getName()).port());
    }

    Path workspace(String podName) {
        return root.resolve(podName);
    }

    @Override
    public void close() {
        informer.close();
        worker.shutdownNow();
        runners.values().forEach(ToolRunner::close);
    }
}
