package dev.drydock.server.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** A replica that keeps at most {@link #SANDBOXES} session sandboxes, so that further sessions queue (issue 21). */
public class QueueProfile implements QuarkusTestProfile {
    public static final int SANDBOXES = 2;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("drydock.replica.max-sandboxes", Integer.toString(SANDBOXES));
    }
}
