package dev.drydock.server.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Small per-person, per-workspace and per-repository limits (issue 15, hole 11), which the other
 * tests run without: sessions, event streams and manual syncs; and chunk vectors of registered
 * repositories computed with the real shipped model (the rest of the suite runs with vectors off).
 * One profile for both, since each profile restarts Quarkus.
 */
public class LimitsProfile implements QuarkusTestProfile {
    public static final int SESSIONS_PER_USER = 2;
    public static final int SESSIONS_PER_WORKSPACE = 3;
    public static final int STREAMS_PER_USER = 2;
    public static final int SYNCS_PER_WORKSPACE_PER_MINUTE = 2;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "drydock.session.max-running-per-user",
                Integer.toString(SESSIONS_PER_USER),
                "drydock.session.max-running-per-workspace",
                Integer.toString(SESSIONS_PER_WORKSPACE),
                "drydock.event-streams.max-per-user",
                Integer.toString(STREAMS_PER_USER),
                "drydock.repos.manual-sync-interval",
                "1h",
                "drydock.repos.manual-syncs-per-workspace-per-minute",
                Integer.toString(SYNCS_PER_WORKSPACE_PER_MINUTE),
                "drydock.search.vectors.enabled",
                "true",
                "drydock.search.vectors.threads",
                "1",
                "drydock.search.vectors.batch-files",
                "2");
    }
}
