package dev.drydock.server.intake;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Table {@code hook_received}: every authenticated webhook, once. A second delivery with the same
 * delivery id or the same body is a replay; a row remembers the session the hook continued or started.
 */
@ApplicationScoped
public class HookLog {
    @Inject
    EntityManager em;

    /** A session continued or started by a webhook that waits for the droid to finish. */
    record Pending(
            long id,
            String vendor,
            String workspace,
            String repo,
            String actor,
            String outcome,
            @Nullable String subject,
            @Nullable String link) {}

    /** Records a received hook; false when it was received before (a replay). */
    boolean receive(
            String vendor,
            String workspace,
            String repo,
            @Nullable String deliveryId,
            String bodySha256,
            String event,
            String actor,
            Instant at) {
        return QuarkusTransaction.requiringNew()
                .call(() -> bind(
                                        em.createNativeQuery(
                                                "insert into hook_received(vendor, workspace, repo, delivery_id, body_sha256, event, actor, outcome, received_at) "
                                                        + "values (?1, ?2, ?3, nullif(?4, ''), ?5, ?6, ?7, 'received', ?8) on conflict do nothing"),
                                        vendor,
                                        workspace,
                                        repo,
                                        deliveryId == null ? "" : deliveryId,
                                        bodySha256,
                                        event,
                                        actor,
                                        at)
                                .executeUpdate()
                        == 1);
    }

    /** What came of the hook received with this body. */
    void outcome(
            String vendor,
            String workspace,
            String repo,
            String bodySha256,
            String outcome,
            @Nullable String sessionId,
            @Nullable String subject,
            @Nullable String link) {
        String sql = "update hook_received set outcome = ?1, subject = ?2, session_link = ?3"
                + (sessionId == null ? "" : ", session_id = cast(?8 as uuid)")
                + " where vendor = ?4 and workspace = ?5 and repo = ?6 and body_sha256 = ?7";
        QuarkusTransaction.requiringNew().run(() -> {
            Query q = bind(
                    em.createNativeQuery(sql),
                    outcome,
                    subject == null ? "" : subject,
                    link == null ? "" : link,
                    vendor,
                    workspace,
                    repo,
                    bodySha256);
            if (sessionId != null) {
                q.setParameter(8, sessionId);
            }
            q.executeUpdate();
        });
    }

    /** Forgets a received hook that could not be acted on, so that the git server's redelivery is not a replay. */
    void forget(String vendor, String workspace, String repo, String bodySha256) {
        QuarkusTransaction.requiringNew()
                .run(() -> bind(
                                em.createNativeQuery(
                                        "delete from hook_received where vendor = ?1 and workspace = ?2 and repo = ?3 and body_sha256 = ?4"),
                                vendor,
                                workspace,
                                repo,
                                bodySha256)
                        .executeUpdate());
    }

    /** Whether a ticket ({@code subject}) already started a session in this repository. */
    boolean started(String workspace, String repo, String subject) {
        return QuarkusTransaction.joiningExisting()
                .call(() -> !bind(
                                em.createNativeQuery(
                                        "select 1 from hook_received where workspace = ?1 and repo = ?2 and subject = ?3 and session_id is not null and outcome <> 'received'"),
                                workspace,
                                repo,
                                subject)
                        .getResultList()
                        .isEmpty());
    }

    /**
     * Claims the hooks that continued or started {@code sessionId} and wait for it to finish: their
     * outcome becomes {@code delivering}, so one finish is handled once.
     */
    List<Pending> claim(String sessionId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = bind(
                            em.createNativeQuery(
                                    "update hook_received set outcome = 'delivering-' || outcome where session_id = ?1 "
                                            + "and outcome in ('continued', 'started') "
                                            + "returning id, vendor, workspace, repo, actor, outcome, subject, session_link"),
                            UUID.fromString(sessionId))
                    .getResultList();
            return rows.stream()
                    .map(r -> new Pending(
                            ((Number) r[0]).longValue(),
                            (String) r[1],
                            (String) r[2],
                            (String) r[3],
                            (String) r[4],
                            ((String) r[5]).substring("delivering-".length()),
                            (String) r[6],
                            (String) r[7]))
                    .toList();
        });
    }

    /** The end of a claimed hook: {@code delivered} or {@code delivery-failed}. */
    void finished(long id, String outcome) {
        QuarkusTransaction.requiringNew()
                .run(() -> bind(
                                em.createNativeQuery("update hook_received set outcome = ?1 where id = ?2"),
                                outcome,
                                id)
                        .executeUpdate());
    }

    /** The outcome of the newest hook about {@code sessionId}, if any (tests and the operator read it). */
    public Optional<String> lastOutcome(String sessionId) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object> rows = bind(
                            em.createNativeQuery(
                                    "select outcome from hook_received where session_id = ?1 order by id desc limit 1"),
                            UUID.fromString(sessionId))
                    .getResultList();
            return rows.stream().findFirst().map(Object::toString);
        });
    }

    private static Query bind(Query query, Object... params) {
        for (int i = 0; i < params.length; i++) {
            query.setParameter(i + 1, params[i]);
        }
        return query;
    }
}
