package dev.drydock.server.portal;

import dev.drydock.server.auth.IdentityProviderProbe;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code /signin}: where a person who must sign in lands when the identity provider may be down. When
 * Keycloak answers it sends them to {@code /portal} (and from there to Keycloak's sign-in); when it
 * does not, it answers the portal's "Sign-in is unavailable" page (503, with a retry link) instead of a
 * redirect the browser cannot follow. {@link SignInGate} sends sign-ins of {@code /portal} here while
 * Keycloak does not answer, and a portal session whose tokens cannot be refreshed comes here too
 * ({@code quarkus.oidc.portal.authentication.session-expired-path}). Outside {@code /portal}, so no
 * OIDC tenant guards it.
 */
@Path("/signin")
public class SignInResource {
    /** Seconds a browser or script is asked to wait before it tries again. */
    static final int RETRY_AFTER_SECONDS = 60;

    @Inject
    IdentityProviderProbe identityProvider;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance unavailable(String host, String retry);
    }

    @GET
    @Operation(hidden = true)
    public Response signIn() {
        if (identityProvider.reachable()) {
            return Response.seeOther(URI.create("/portal")).build();
        }
        return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header("Retry-After", RETRY_AFTER_SECONDS)
                .header("Cache-Control", "no-store")
                .header("Content-Security-Policy", PortalSecurityHeaders.POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "same-origin")
                .entity(Templates.unavailable(identityProvider.host(), "/signin")
                        .render())
                .build();
    }
}
