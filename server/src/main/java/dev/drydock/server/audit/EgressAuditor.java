package dev.drydock.server.audit;

import dev.drydock.server.egress.EgressRefusal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/** Seals every refused outbound request that the egress log announces into the audit trail. */
@ApplicationScoped
public class EgressAuditor {
    private static final Logger LOG = Logger.getLogger(EgressAuditor.class);

    @Inject
    AuditTrail audit;

    void refused(@Observes EgressRefusal r) {
        try {
            audit.append(AuditEntry.of("drydock-server", "egress.refused", r.host())
                    .with("url", r.url())
                    .with("purpose", r.purpose()));
        } catch (RuntimeException e) {
            LOG.errorf("cannot audit egress refusal of %s: %s", r.host(), e.getMessage());
        }
    }
}
