package dev.drydock.server.audit;

import io.quarkus.oidc.SecurityEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Records portal sign-ins and sign-outs in the audit trail. */
@ApplicationScoped
public class LoginAuditor {
    @Inject
    AuditTrail trail;

    void onSecurityEvent(@ObservesAsync SecurityEvent event) {
        String action = switch (event.getEventType()) {
            case OIDC_LOGIN -> "auth.login";
            case OIDC_LOGOUT_RP_INITIATED, OIDC_BACKCHANNEL_LOGOUT_COMPLETED, OIDC_FRONTCHANNEL_LOGOUT_COMPLETED ->
                "auth.logout";
            default -> null;
        };
        if (action == null || event.getSecurityIdentity() == null) {
            return;
        }
        String subject =
                event.getSecurityIdentity().getPrincipal() instanceof JsonWebToken jwt && jwt.getSubject() != null
                        ? jwt.getSubject()
                        : event.getSecurityIdentity().getPrincipal().getName();
        trail.append(AuditEntry.of(subject, action, "portal"));
    }
}
