package dev.drydock.sandbox.kubernetes;

import dev.drydock.sandbox.SandboxUnavailableException;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;

/** Where the server reaches the tool runner of a pod. */
@FunctionalInterface
public interface RunnerEndpoints {
    URI endpoint(Pod pod);

    /** {@code http://<pod IP>:<port>}: the server talks to the pod directly, as the NetworkPolicy allows. */
    static RunnerEndpoints podIp(int port) {
        return pod -> {
            String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
            if (ip == null || ip.isBlank()) {
                throw new SandboxUnavailableException("pod " + pod.getMetadata().getName() + " has no IP yet");
            }
            return URI.create("http://" + (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port);
        };
    }
}
