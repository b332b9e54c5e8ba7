package dev.drydock.server.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How the server reads people's current memberships from Keycloak ({@code drydock.identity.*}). */
@ConfigMapping(prefix = "drydock.identity")
public interface IdentityConfig {
    /**
     * How long a person's groups, roles and account state read from Keycloak are reused before an
     * API key of theirs is checked against Keycloak again: removing someone from a workspace group (or
     * disabling them) reaches their API keys within this time.
     */
    @WithDefault("30s")
    Duration membershipCache();

    /**
     * The confidential client whose service account (realm-management {@code view-users}) reads the
     * groups, roles and account state of API-key owners.
     */
    @WithDefault("drydock-server")
    String clientId();

    /**
     * The secret of the {@code drydock.identity.client-id} client. {@code ./drydock up} sets it from its generated secrets; with
     * an external Keycloak set {@code DRYDOCK_IDENTITY_CLIENT_SECRET}. Without it, API keys are refused
     * with 503.
     */
    Optional<String> clientSecret();

    /**
     * Refused accesses recorded in the audit trail per client address and minute; what goes over is
     * counted and reported on the next record from that address (a flood of bad tokens cannot flood
     * the chain).
     */
    @WithDefault("60")
    int refusalRecordsPerMinute();

    /**
     * How long the answer of the sign-in probe (a GET of the identity provider's discovery document) is
     * reused: while it says the identity provider does not answer, a person who must sign in to the
     * portal gets the "Sign-in is unavailable" page (503) instead of a redirect their browser cannot
     * follow. Signed-in people, API keys and tokens already issued do not depend on it.
     */
    @WithDefault("5s")
    Duration signInProbeTtl();

    /**
     * How long the sign-in probe waits to connect to the identity provider, and again for its answer,
     * before it counts the identity provider as not answering.
     */
    @WithDefault("2s")
    Duration signInProbeTimeout();
}
