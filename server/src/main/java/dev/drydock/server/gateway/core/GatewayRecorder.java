package dev.drydock.server.gateway.core;

/**
 * Receives the record of every gateway request once it ended (the accounting table is one
 * recorder; the audit trail subscribes with another). Called on the request's thread; must not throw
 * and should be quick.
 */
@FunctionalInterface
public interface GatewayRecorder {
    void record(GatewayRecord record);
}
