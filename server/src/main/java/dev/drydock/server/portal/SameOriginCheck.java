package dev.drydock.server.portal;

import dev.drydock.server.problem.Problem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jspecify.annotations.Nullable;

/**
 * CSRF defence for the portal's forms: a request that changes something under {@code /portal} must
 * come from a page of this server, as its {@code Origin} header (or, without one, {@code
 * Sec-Fetch-Site: same-origin}) proves; anything else gets 403.
 *
 * <p>Why this and not {@code quarkus-rest-csrf}: that extension's filter is global, so it would set a
 * token cookie on every API response and reject the API's JSON and empty-body POSTs unless relaxed,
 * and its double-submit cookie can be planted by a sibling host of the same site (an intranet's
 * {@code *.corp} neighbours are "same site", so the session cookie's SameSite=Lax does not stop them
 * either). Every browser the portal supports sends {@code Origin} on POST, and a page cannot forge it;
 * the check needs no state, no token in the forms and no new dependency. Non-browser clients use
 * {@code /api} with bearer tokens, which no browser attaches on its own.
 */
public class SameOriginCheck {
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    @ServerRequestFilter
    public @Nullable Response check(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (SAFE.contains(request.getMethod()) || !(path.equals("/portal") || path.startsWith("/portal/"))) {
            return null;
        }
        return sameOrigin(
                        request.getHeaderString("Origin"),
                        request.getHeaderString("Sec-Fetch-Site"),
                        request.getHeaderString(HttpHeaders.HOST))
                ? null
                : ErrorPage.of(
                        Problem.of(
                                403,
                                "cross-origin",
                                "Forbidden",
                                "This form was sent from another site, or by a client that does not say where it comes from. Open the page in the portal and send it from there."),
                        "/portal");
    }

    /** Whether a request with these headers was sent by a page of {@code host} (host[:port], as in the Host header). */
    static boolean sameOrigin(@Nullable String origin, @Nullable String fetchSite, @Nullable String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        if (origin == null) {
            return "same-origin".equals(fetchSite);
        }
        try {
            URI o = URI.create(origin.strip());
            String scheme = o.getScheme();
            String authority = o.getRawAuthority();
            // The scheme is not compared: behind a TLS-terminating proxy the server sees http while the page is https.
            return scheme != null
                    && (scheme.equals("http") || scheme.equals("https"))
                    && authority != null
                    && authority.equalsIgnoreCase(host.strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
