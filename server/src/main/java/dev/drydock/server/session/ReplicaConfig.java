package dev.drydock.server.session;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * How server replicas that share one PostgreSQL share the running sessions: each running session is
 * driven by the one replica holding its lease (issue 21, {@code docs/operations.md}).
 */
@ConfigMapping(prefix = "drydock.replica")
public interface ReplicaConfig {
    /**
     * This replica's name in session leases. Unset: the host name (a pod's name in Kubernetes) and the
     * HTTP port, which stay the same when the appliance restarts on the same machine, so it takes its
     * own sessions back at once. Two replicas must never share a name.
     */
    Optional<String> id();

    /**
     * How long a lease holds without renewal. A replica that dies (or pauses) for longer loses its
     * sessions to another replica; the worst-case takeover time is this plus {@code renew-interval}.
     */
    @WithDefault("PT15S")
    Duration leaseDuration();

    /**
     * How often a replica renews the leases of the sessions it drives and looks for sessions whose
     * lease expired, to take them over. Keep it well under {@code lease-duration}.
     */
    @WithDefault("PT5S")
    Duration renewInterval();

    /**
     * Most session sandboxes this replica keeps at once (sessions being driven, and sessions waiting
     * for a person, which keep theirs). A session that would go over waits in the shared queue
     * (listing status `queued`, with its position) until a sandbox of some replica frees up; so does
     * one whose sandbox the backend could not create for lack of room (no free sandbox uid, the
     * namespace's quota used up), retried every `renew-interval`.
     */
    @WithDefault("16")
    int maxSandboxes();
}
