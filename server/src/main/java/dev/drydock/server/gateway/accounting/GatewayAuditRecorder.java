package dev.drydock.server.gateway.accounting;

import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.gateway.core.GatewayRecord;
import dev.drydock.server.gateway.core.GatewayRecorder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Seals every gateway request into the hash-chained audit trail ({@code model.request}): who, which
 * endpoint and model, outcome, tokens, cost and the SHA-256 of the exact prompt and completion.
 */
@ApplicationScoped
public class GatewayAuditRecorder implements GatewayRecorder {
    private static final Logger LOG = Logger.getLogger(GatewayAuditRecorder.class);

    @Inject
    AuditTrail trail;

    @Override
    public void record(GatewayRecord r) {
        try {
            trail.append(new AuditEntry(
                            r.userSubject(),
                            r.workspace(),
                            r.sessionId(),
                            "model.request",
                            r.endpoint() == null ? "-" : r.endpoint(),
                            java.util.Map.of())
                    .with("requestId", r.requestId())
                    .with("outcome", r.outcome().label())
                    .with("model", r.model())
                    .with("channel", r.channel())
                    .with("classification", r.classification().label())
                    .with("promptTokens", r.promptTokens())
                    .with("completionTokens", r.completionTokens())
                    .with("cost", r.cost().toPlainString())
                    .with("promptSha256", r.promptSha256())
                    .with("completionSha256", r.completionSha256())
                    .with("dlpFindings", String.join(",", r.dlpFindings())));
        } catch (RuntimeException e) {
            if (dev.drydock.server.problem.DatabaseUnavailable.is(e)) {
                // GatewayService keeps it and writes it again once PostgreSQL answers
                throw e;
            }
            LOG.errorf("cannot audit gateway request %s: %s", r.requestId(), e.getMessage());
        }
    }
}
