package dev.drydock.server.portal;

import dev.drydock.server.auth.IdentityProviderProbe;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Keeps a person who must sign in from being redirected to an identity provider that does not answer
 * (their browser would show its own connection error): a page request under {@code /portal} without a
 * portal session cookie ({@code q_session…}) is the start of a sign-in (or Keycloak's callback), and
 * while the {@link IdentityProviderProbe} says Keycloak does not answer it is rerouted to {@link
 * SignInResource}'s "Sign-in is unavailable" page. Requests with a session cookie pass without a
 * probe: their tokens are verified with the keys already cached, and a refresh that fails lands on the
 * same page through {@code quarkus.oidc.portal.authentication.session-expired-path}. Should such a
 * request still end in a redirect to Keycloak (a session cookie Quarkus cannot use, a sign-out) while
 * the last probe found Keycloak down, the redirect goes to {@code /signin} instead.
 *
 * <p>Why a Vert.x route: the portal tenant's redirect to Keycloak is built inside Quarkus OIDC's code
 * flow mechanism, and its hook for it ({@code OidcRedirectFilter}) may only add query parameters, not
 * answer instead; a {@code TenantConfigResolver} cannot answer either. A route ordered before the HTTP
 * authentication handler (order -200) sees the request first and needs nothing from OIDC.
 */
@ApplicationScoped
public class SignInGate {
    /** After the body-size limit (-1000), before Quarkus's authentication (-200) and authorization (-100). */
    static final int ORDER = -900;

    @Inject
    IdentityProviderProbe identityProvider;

    void init(@Observes Router router) {
        router.route().order(ORDER).handler(this::gate);
    }

    private void gate(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (!(path.equals("/portal") || path.startsWith("/portal/"))) {
            ctx.next();
            return;
        }
        if (hasSession(ctx)) {
            // a session cookie Quarkus cannot use (stale, or from another server) or a sign-out ends in a
            // redirect to Keycloak: while Keycloak is known to be down, to the page instead
            ctx.addHeadersEndHandler(v -> {
                String location = ctx.response().headers().get("Location");
                if (ctx.response().getStatusCode() / 100 == 3
                        && location != null
                        && identityProvider.isProviderPage(location)
                        && identityProvider.lastSaidDown()) {
                    ctx.response().headers().set("Location", "/signin");
                }
            });
            ctx.next();
            return;
        }
        HttpMethod method = ctx.request().method();
        if (!signIn(path, method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD))) {
            ctx.next();
            return;
        }
        if (identityProvider.fresh()) {
            decide(ctx, identityProvider.reachable());
            return;
        }
        // a stale answer: probe off the event loop (at most the probe's timeout)
        ctx.vertx()
                .executeBlocking(identityProvider::reachable, false)
                .onComplete(r -> decide(ctx, r.failed() || r.result()));
    }

    private static void decide(RoutingContext ctx, boolean reachable) {
        if (reachable) {
            ctx.next();
        } else {
            ctx.reroute(HttpMethod.GET, "/signin");
        }
    }

    /** Whether a request to {@code path} would start a portal sign-in when it carries no session. */
    static boolean signIn(String path, boolean read) {
        if (!read || !(path.equals("/portal") || path.startsWith("/portal/"))) {
            return false;
        }
        // Keycloak itself calls the back-channel logout; signing out needs no sign-in
        return !path.equals("/portal/back-channel-logout") && !path.equals("/portal/logout");
    }

    private static boolean hasSession(RoutingContext ctx) {
        for (Cookie c : ctx.request().cookies()) {
            if (c.getName().startsWith("q_session")) {
                return true;
            }
        }
        return false;
    }
}
