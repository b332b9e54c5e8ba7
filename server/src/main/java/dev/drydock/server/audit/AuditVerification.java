package dev.drydock.server.audit;

import java.util.Iterator;
import java.util.Optional;

/**
 * Walks a chain in sequence order and reports the first broken link: a record whose hash does not
 * match its fields, whose previous hash is not its predecessor's hash, or a gap in the sequence.
 */
public final class AuditVerification {

    /** The outcome: how many records were checked and, when broken, where and why. */
    public record Result(long checked, Optional<Long> brokenAt, Optional<String> reason, String headHash) {
        public boolean intact() {
            return brokenAt.isEmpty();
        }
    }

    private AuditVerification() {}

    public static Result verify(Iterator<AuditRecord> records) {
        String prev = AuditRecord.GENESIS;
        long expectedSeq = 1;
        long checked = 0;
        while (records.hasNext()) {
            AuditRecord r = records.next();
            checked++;
            if (r.seq() != expectedSeq) {
                return broken(checked, r.seq(), "sequence gap: expected record " + expectedSeq + " but found " + r.seq(), prev);
            }
            if (!r.prevHash().equals(prev)) {
                return broken(checked, r.seq(), "previous-hash link does not match record " + (r.seq() - 1), prev);
            }
            if (!r.recomputeHash().equals(r.hash())) {
                return broken(checked, r.seq(), "contents changed: hash does not match the record's fields", prev);
            }
            prev = r.hash();
            expectedSeq++;
        }
        return new Result(checked, Optional.empty(), Optional.empty(), prev);
    }

    private static Result broken(long checked, long seq, String reason, String head) {
        return new Result(checked, Optional.of(seq), Optional.of(reason), head);
    }
}
