package dev.drydock.server.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * A replica that keeps at most {@link #SANDBOXES} session sandboxes, so that further sessions queue
 * (issue 21), and whose model endpoint gives up on a request after a few seconds, {@link #ATTEMPTS}
 * times per call (a model that never answers). One profile for both, since each profile restarts
 * Quarkus; the scripted model answers at once, so the short timeouts do not touch the queue's tests.
 */
public class QueueProfile implements QuarkusTestProfile {
    public static final int SANDBOXES = 2;
    public static final int ATTEMPTS = 2;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "drydock.replica.max-sandboxes",
                Integer.toString(SANDBOXES),
                "drydock.gateway.endpoints.scripted.request-timeout",
                "4s",
                "drydock.gateway.endpoints.scripted.idle-timeout",
                "2s",
                "drydock.session.model-attempts",
                Integer.toString(ATTEMPTS));
    }
}
