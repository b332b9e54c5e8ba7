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
        LOG.warnf(
                "egress refused: %s (%s) for %s%s",
                r.host(), r.url(), r.purpose(), r.session() == null ? "" : " (session " + r.session() + ")");
        try {
            QuarkusTransaction.joiningExisting()
                    .run(() -> em.createNativeQuery(
                                    "insert into egress_refusal (host, url, purpose, created_at, session_id) values (?1, ?2, ?3, ?4, ?5)")
                            .setParameter(1, r.host())
                            .setParameter(2, r.url())
                            .setParameter(3, r.purpose())
                            .setParameter(4, r.at())
                            .setParameter(5, r.session())
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
                            "select host, url, purpose, created_at, session_id from egress_refusal order by id desc limit ?1")
                    .setParameter(1, limit)
                    .getResultList();
            return rows.stream().map(EgressLog::refusal).toList();
        });
    }

    /** The refusals made on behalf of one session, oldest first. */
    public List<EgressRefusal> ofSession(String session, int limit) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery(
                            "select host, url, purpose, created_at, session_id from egress_refusal where session_id = ?1 order by id limit ?2")
                    .setParameter(1, session)
                    .setParameter(2, limit)
                    .getResultList();
            return rows.stream().map(EgressLog::refusal).toList();
        });
    }

    /** How many refusals were made on behalf of one session. */
    public long countOfSession(String session) {
        return QuarkusTransaction.joiningExisting()
                .call(() -> ((Number) em.createNativeQuery("select count(*) from egress_refusal where session_id = ?1")
                                .setParameter(1, session)
                                .getSingleResult())
                        .longValue());
    }

    private static EgressRefusal refusal(Object[] r) {
        return new EgressRefusal((String) r[0], (String) r[1], (String) r[2], Columns.instant(r[3]), (String) r[4]);
    }
}
