package dev.drydock.server.portal;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * The portal's pages load scripts, styles and data only from this server: a Content-Security-Policy
 * without inline scripts (every script is a file under {@code /assets}), no framing, no plugins.
 * Inline {@code style} attributes stay allowed for the session page's meter width.
 */
public class PortalSecurityHeaders {
    static final String POLICY =
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                    + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    @ServerResponseFilter
    public void headers(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        if (path.equals("/portal") || path.startsWith("/portal/")) {
            if (!response.getHeaders()
                    .containsKey(
                            "Content-Security-Policy")) { // an artifact served to a sandboxed frame brings a stricter
                // one
                response.getHeaders().putSingle("Content-Security-Policy", POLICY);
            }
            response.getHeaders().putSingle("X-Content-Type-Options", "nosniff");
            response.getHeaders().putSingle("Referrer-Policy", "same-origin");
        }
    }
}
