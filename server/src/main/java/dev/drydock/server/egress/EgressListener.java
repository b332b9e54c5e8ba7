package dev.drydock.server.egress;

/** Receives every refused outbound request (for the audit trail). Must not throw. */
@FunctionalInterface
public interface EgressListener {
    void refused(EgressRefusal refusal);
}
