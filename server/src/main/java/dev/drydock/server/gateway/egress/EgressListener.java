package dev.drydock.server.gateway.egress;

/** Receives every refused outbound request (for the audit trail). Must not throw. */
@FunctionalInterface
public interface EgressListener {
    void refused(EgressRefusal refusal);
}
