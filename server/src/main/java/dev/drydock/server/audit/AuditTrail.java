package dev.drydock.server.audit;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The hash-chained audit log. Appends of actions join the action's transaction ({@link
 * #appendInTransaction}); refusals and other records that must survive a rollback get their own
 * ({@link #append}). Appends are serialised with a PostgreSQL advisory lock, so concurrent writers
 * extend one chain.
 */
@ApplicationScoped
public class AuditTrail {
    /** Advisory lock key for appends ("drydock-audit"). */
    static final long LOCK_KEY = 0x6472796461756474L;

    @Inject
    EntityManager em;

    Clock clock = Clock.systemUTC();

    /**
     * Seals and stores an entry in a transaction of its own, for what must be recorded even when the
     * caller's work fails or rolls back (refusals, session events already committed); returns the
     * stored record.
     */
    public AuditRecord append(AuditEntry entry) {
        return QuarkusTransaction.requiringNew().call(() -> seal(entry));
    }

    /**
     * Seals and stores an entry in the caller's transaction (one is started when there is none): the
     * record commits with the action it records, or neither does. The append lock is then held until
     * that transaction ends, so keep such transactions short.
     */
    public AuditRecord appendInTransaction(AuditEntry entry) {
        return QuarkusTransaction.joiningExisting().call(() -> seal(entry));
    }

    private AuditRecord seal(AuditEntry entry) {
        em.createNativeQuery("select pg_advisory_xact_lock(:key)")
                .setParameter("key", LOCK_KEY)
                .getSingleResult();
        Object[] head = (Object[]) em.createNativeQuery(
                        "select coalesce(max(seq), 0), coalesce((select hash from audit_record order by seq desc limit 1), :genesis) from audit_record")
                .setParameter("genesis", AuditRecord.GENESIS)
                .getSingleResult();
        long seq = ((Number) head[0]).longValue() + 1;
        String recordedAt = clock.instant().truncatedTo(ChronoUnit.MICROS).toString();
        AuditRecord record = AuditRecord.seal(seq, recordedAt, entry, (String) head[1]);
        em.createNativeQuery(
                        "insert into audit_record(seq, recorded_at, actor, workspace, session_id, action, target, details, prev_hash, hash) "
                                + "values (:seq, :at, :actor, :ws, :session, :action, :target, :details, :prev, :hash)")
                .setParameter("seq", record.seq())
                .setParameter("at", record.recordedAt())
                .setParameter("actor", record.actor())
                .setParameter("ws", record.workspace())
                .setParameter("session", record.sessionId())
                .setParameter("action", record.action())
                .setParameter("target", record.target())
                .setParameter("details", record.details())
                .setParameter("prev", record.prevHash())
                .setParameter("hash", record.hash())
                .executeUpdate();
        return record;
    }

    /** Recomputes the whole chain (without checkpoints; {@link AuditCheckpoints#verify} adds them). */
    public AuditVerification.Result verify() {
        return verify(CheckpointLog.none("not checked against signed checkpoints"));
    }

    /** Recomputes the whole chain and checks it against {@code checkpoints}. */
    public AuditVerification.Result verify(CheckpointLog checkpoints) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Stream<AuditRecord> records = stream(0, Long.MAX_VALUE, null)) {
                return AuditVerification.verify(records.iterator(), checkpoints);
            }
        });
    }

    /**
     * The chain's head as committed now, and the hash of record {@code checkpointSeq} (empty when that
     * record is gone).
     */
    public record Head(long seq, String hash, Optional<String> hashAtCheckpoint) {}

    /** The current head and the hash of record {@code checkpointSeq}, read in one transaction. */
    public Head head(long checkpointSeq) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Object[] head = (Object[]) em.createNativeQuery(
                            "select coalesce(max(seq), 0), coalesce((select hash from audit_record order by seq desc limit 1), :genesis) from audit_record")
                    .setParameter("genesis", AuditRecord.GENESIS)
                    .getSingleResult();
            Optional<String> at = em
                    .createNativeQuery("select hash from audit_record where seq = :seq")
                    .setParameter("seq", checkpointSeq)
                    .getResultList()
                    .stream()
                    .findFirst()
                    .map(String::valueOf);
            return new Head(((Number) head[0]).longValue(), (String) head[1], at);
        });
    }

    /** Records in sequence order, optionally only one workspace's, from {@code afterSeq}. */
    public List<AuditRecord> page(long afterSeq, int limit, @Nullable String workspace) {
        try (Stream<AuditRecord> records = stream(afterSeq, limit, workspace)) {
            return records.toList();
        }
    }

    /** Hash of the newest record of a session: its audit root, shown in the portal and commit trailers. */
    public Optional<String> sessionRootHash(String sessionId) {
        return QuarkusTransaction.requiringNew()
                .call(() -> em
                        .createNativeQuery(
                                "select hash from audit_record where session_id = :s order by seq desc limit 1")
                        .setParameter("s", sessionId)
                        .getResultList()
                        .stream()
                        .findFirst()
                        .map(String::valueOf));
    }

    @SuppressWarnings("unchecked")
    private Stream<AuditRecord> stream(long afterSeq, long limit, @Nullable String workspace) {
        String sql =
                "select seq, recorded_at, actor, workspace, session_id, action, target, details, prev_hash, hash from audit_record where seq > :after"
                        + (workspace == null ? "" : " and workspace = :ws") + " order by seq limit :limit";
        var query = em.createNativeQuery(sql).setParameter("after", afterSeq).setParameter("limit", limit);
        if (workspace != null) {
            query.setParameter("ws", workspace);
        }
        Stream<Object[]> rows = query.getResultStream();
        return rows.map(AuditTrail::toRecord);
    }

    static AuditRecord toRecord(Object[] r) {
        return new AuditRecord(
                ((Number) r[0]).longValue(),
                (String) r[1],
                (String) r[2],
                (String) r[3],
                (String) r[4],
                (String) r[5],
                (String) r[6],
                (String) r[7],
                (String) r[8],
                (String) r[9]);
    }
}
