package dev.drydock.server.egress;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Makes the server's one {@link EgressGuard}; inject it wherever an outbound HTTP request is needed. */
@ApplicationScoped
public class EgressGuardProducer {
    @Produces
    @Singleton
    EgressGuard egressGuard(EgressConfig config, EgressLog log) {
        return new EgressGuard(config.allowedHosts(), log, Clock.systemUTC());
    }

    void close(@Disposes EgressGuard guard) {
        guard.close();
    }
}
