package dev.drydock.server.apikey;

import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.problem.Problem;
import dev.drydock.server.problem.ProblemException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Turns a presented API key into the owner's identity ({@link ApiKeys#authenticate}), off the event
 * loop. A refused key fails authentication with a 401 problem that says why (revoked, expired,
 * unknown, owner disabled); an owner Keycloak cannot confirm now, with a 503.
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyRequest> {
    private static final Logger LOG = Logger.getLogger(ApiKeyIdentityProvider.class);

    @Inject
    ApiKeys keys;

    @Override
    public Class<ApiKeyRequest> getRequestType() {
        return ApiKeyRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyRequest request, AuthenticationRequestContext context) {
        RoutingContext http = HttpSecurityUtils.getRoutingContextAttribute(request);
        String path = http == null ? "/api" : http.normalizedPath();
        String client = http == null || http.request().remoteAddress() == null
                ? "unknown"
                : http.request().remoteAddress().hostAddress();
        return context.runBlocking(() -> switch (keys.authenticate(request.key(), path, client)) {
            case ApiKeys.Check.Valid v -> identity(v.principal(), v.expiresAt());
            case ApiKeys.Check.Refused r ->
                throw new AuthenticationFailedException(
                        new ProblemException(Problem.of(401, "api-key-refused", "API key refused", r.message())));
            case ApiKeys.Check.Unconfirmed u -> {
                LOG.warnf(
                        "refused an API key of user %s on %s: cannot confirm the owner's memberships: %s",
                        u.subject(), path, u.why());
                throw new AuthenticationFailedException(
                        new ProblemException(
                                Problem.of(
                                        503,
                                        "identity-unavailable",
                                        "Identity provider unavailable",
                                        "Cannot confirm the key owner's memberships with the identity provider; try again in a minute.")));
            }
        });
    }

    private static SecurityIdentity identity(Principal principal, Instant keyExpires) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(principal.username()))
                .addRoles(new java.util.HashSet<>(principal.roles()))
                .addAttribute(CurrentUser.PRINCIPAL_ATTRIBUTE, principal)
                .addAttribute(CurrentUser.CREDENTIAL_EXPIRY_ATTRIBUTE, keyExpires)
                .build();
    }
}
