package dev.drydock.server.egress;

import dev.drydock.server.persistence.Columns;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Records refused outbound requests (table {@code egress_refusal}) and logs each one, then announces
 * each as a CDI event: the audit side observes it and seals it into the audit trail.
 */
@ApplicationScoped
public class EgressLog implements EgressListener {
    private static final Logger LOG = Logger.getLogger(EgressLog.class);

    @Inject
    EntityManager em;

    @Inject
    Event<EgressRefusal> refusals;

    @Override
    public void refused(EgressRefusal r) {
        LOG.warnf("egress refused: %s (%s) for %s", r.host(), r.url(), r.purpose());
        try {
            QuarkusTransaction.joiningExisting()
                    .run(() -> em.createNativeQuery(
                                    "insert into egress_refusal (host, url, purpose, created_at) values (?1, ?2, ?3, ?4)")
                            .setParameter(1, r.host())
                            .setParameter(2, r.url())
                            .setParameter(3, r.purpose())
                            .setParameter(4, r.at())
                            .executeUpdate());
        } catch (RuntimeException e) {
            LOG.errorf("cannot record egress refusal of %s: %s", r.host(), e.getMessage());
        }
        refusals.fire(r);
    }

    public List<EgressRefusal> recent(int limit) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery(
                            "select host, url, purpose, created_at from egress_refusal order by id desc limit ?1")
                    .setParameter(1, limit)
                    .getResultList();
            return rows.stream()
                    .map(r -> new EgressRefusal((String) r[0], (String) r[1], (String) r[2], Columns.instant(r[3])))
                    .toList();
        });
    }
}
