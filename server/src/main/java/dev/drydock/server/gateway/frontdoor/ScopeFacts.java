package dev.drydock.server.gateway.frontdoor;

import dev.drydock.server.classification.Classification;
import java.util.Optional;

/**
 * What the front door checks a call's {@code X-Drydock-*} headers against, answered by the features
 * that own it: a workspace's classification and the sessions a call may name. The session feature
 * implements it ({@code session.SessionScopeFacts}); it depends on the gateway, so the front door
 * declares what it needs instead of calling it.
 */
public interface ScopeFacts {
    /** The classification label of the workspace's policy; a workspace without a policy row has the policy's default. */
    Classification workspaceClassification(String workspace);

    /** The droid session with this id, or empty when there is none (any id, also one that is not a UUID). */
    Optional<SessionFacts> session(String id);

    /**
     * A stored droid session: where it runs, which droid runs it, and the classification of its
     * content as it starts (the higher of its workspace's and its repository's labels).
     */
    record SessionFacts(String id, String workspace, String droid, Classification classification) {}
}
