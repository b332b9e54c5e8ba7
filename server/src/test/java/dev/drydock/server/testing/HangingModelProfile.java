package dev.drydock.server.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Short gateway timeouts for the scripted model endpoint and two attempts per model call, so that a model that never answers ends a session in seconds (issue 21). */
public class HangingModelProfile implements QuarkusTestProfile {
    public static final int ATTEMPTS = 2;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "drydock.gateway.endpoints.scripted.request-timeout", "4s",
                "drydock.gateway.endpoints.scripted.idle-timeout", "2s",
                "drydock.session.model-attempts", Integer.toString(ATTEMPTS));
    }
}
