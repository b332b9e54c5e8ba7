package dev.drydock.server.audit;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Walks a chain in sequence order and reports the first broken link: a record whose hash does not
 * match its fields, whose previous hash is not its predecessor's hash, or a gap in the sequence. Then
 * checks the chain against the signed checkpoints written outside the database: a record whose hash
 * differs from a checkpoint's was rewritten (and everything after it rehashed), and a chain that ends
 * before a checkpointed record was truncated. Records appended after the newest checkpoint are
 * protected by the chain only.
 */
public final class AuditVerification {

    /**
     * The outcome: how many records were checked and, when broken, where and why.
     *
     * @param checkpoint the newest signed checkpoint the chain was checked against
     * @param warnings what limits the check (no checkpoint file, forged or damaged checkpoint lines)
     */
    public record Result(
            long checked,
            Optional<Long> brokenAt,
            Optional<String> reason,
            String headHash,
            Optional<AuditCheckpoint> checkpoint,
            List<String> warnings) {
        public Result {
            warnings = List.copyOf(warnings);
        }

        public boolean intact() {
            return brokenAt.isEmpty();
        }
    }

    private AuditVerification() {}

    /** Checks the chain alone (no checkpoints): truncation and rehashing of the tail go unnoticed. */
    public static Result verify(Iterator<AuditRecord> records) {
        return verify(records, CheckpointLog.none("not checked against signed checkpoints"));
    }

    /** Checks the chain and every valid checkpoint of {@code log} against it. */
    public static Result verify(Iterator<AuditRecord> records, CheckpointLog log) {
        Optional<AuditCheckpoint> newest = log.newest();
        List<String> warnings = log.warnings();
        Map<Long, AuditCheckpoint> bySeq = new TreeMap<>();
        for (AuditCheckpoint c : log.checkpoints()) {
            AuditCheckpoint earlier = bySeq.putIfAbsent(c.seq(), c);
            if (earlier != null && !earlier.headHash().equals(c.headHash())) {
                return new Result(
                        0,
                        Optional.of(c.seq()),
                        Optional.of("rewritten: the signed checkpoints of " + earlier.time() + " and " + c.time()
                                + " name different hashes for record " + c.seq()
                                + ", so the chain was rewritten between them"),
                        AuditRecord.GENESIS,
                        newest,
                        warnings);
            }
        }
        String prev = AuditRecord.GENESIS;
        long expectedSeq = 1;
        long checked = 0;
        while (records.hasNext()) {
            AuditRecord r = records.next();
            checked++;
            String why = null;
            if (r.seq() != expectedSeq) {
                why = "sequence gap: expected record " + expectedSeq + " but found " + r.seq();
            } else if (!r.prevHash().equals(prev)) {
                why = "previous-hash link does not match record " + (r.seq() - 1);
            } else if (!r.recomputeHash().equals(r.hash())) {
                why = "contents changed: hash does not match the record's fields";
            } else if (bySeq.containsKey(r.seq())
                    && !bySeq.get(r.seq()).headHash().equals(r.hash())) {
                AuditCheckpoint c = bySeq.get(r.seq());
                why = "rehashed: record " + r.seq() + "'s hash " + r.hash() + " differs from " + c.headHash()
                        + " in the signed checkpoint of " + c.time()
                        + "; this record or one before it was rewritten and the records after it rehashed";
            }
            if (why != null) {
                return new Result(checked, Optional.of(r.seq()), Optional.of(why), prev, newest, warnings);
            }
            prev = r.hash();
            expectedSeq++;
        }
        long last = expectedSeq - 1;
        Optional<AuditCheckpoint> beyond =
                bySeq.values().stream().filter(c -> c.seq() > last).reduce((a, b) -> b);
        if (beyond.isPresent()) {
            AuditCheckpoint c = beyond.get();
            return new Result(
                    checked,
                    Optional.of(last + 1),
                    Optional.of("truncated: the chain ends at record " + last + " but the signed checkpoint of "
                            + c.time() + " covers record " + c.seq() + " (head hash " + c.headHash() + "); records "
                            + (last + 1) + " to " + c.seq()
                            + " were deleted"),
                    prev,
                    newest,
                    warnings);
        }
        return new Result(checked, Optional.empty(), Optional.empty(), prev, newest, warnings);
    }
}
