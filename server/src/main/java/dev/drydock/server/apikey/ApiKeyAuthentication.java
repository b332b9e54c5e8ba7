package dev.drydock.server.apikey;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Accepts {@code Authorization: Bearer dd_…} on {@code /api/**}. It runs before the OIDC bearer
 * mechanism and claims only bearer values with the API-key prefix; everything else (Keycloak access
 * tokens, the portal's session cookie, other paths) is left to OIDC, unchanged.
 */
@ApplicationScoped
public class ApiKeyAuthentication implements HttpAuthenticationMechanism {
    /** Above OIDC's mechanism ({@code quarkus.oidc.priority}, 1001 by default), so that a key is never sent to OIDC as a token. */
    static final int PRIORITY = 2000;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String key = presentedKey(context);
        if (key == null) {
            return Uni.createFrom().nullItem();
        }
        return identityProviderManager.authenticate(
                HttpSecurityUtils.setRoutingContextAttribute(new ApiKeyRequest(key), context));
    }

    /** The challenge is OIDC's (a bearer challenge on /api, a redirect to Keycloak on the portal) unless a key was sent. */
    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return presentedKey(context) == null
                ? Uni.createFrom().nullItem()
                : Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"drydock\""));
    }

    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        return presentedKey(context) == null
                ? Uni.createFrom().item(false)
                : HttpAuthenticationMechanism.super.sendChallenge(context);
    }

    /** The API key in the request's bearer header on /api, or null when this mechanism has nothing to claim. */
    private static @Nullable String presentedKey(RoutingContext context) {
        String path = context.normalizedPath();
        if (!(path.equals("/api") || path.startsWith("/api/"))) {
            return null;
        }
        String header = context.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String value = header.substring(7).strip();
        return value.startsWith(ApiKeys.PREFIX) ? value : null;
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiKeyRequest.class);
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }
}
