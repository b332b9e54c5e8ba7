package dev.drydock.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditCheckpointTest {
    @TempDir
    Path dir;

    private static List<AuditRecord> chain(int n, String marker) {
        List<AuditRecord> records = new ArrayList<>();
        String prev = AuditRecord.GENESIS;
        for (int i = 1; i <= n; i++) {
            AuditRecord r = AuditRecord.seal(
                    i,
                    "2026-12-07T10:00:0" + i + "Z",
                    AuditEntry.of("u", "a", "t" + i).with("k", i == 3 ? marker : "v"),
                    prev);
            records.add(r);
            prev = r.hash();
        }
        return records;
    }

    private CheckpointLog signedAt(CheckpointKey key, AuditRecord head) throws Exception {
        Path file = dir.resolve(CheckpointLog.FILE_NAME);
        Files.writeString(
                file, key.sign(head.seq(), head.hash(), "2026-12-07T10:01:00Z").line() + "\n");
        return CheckpointLog.read(file, key);
    }

    @Test
    void shouldReportTruncationWhenTheNewestRecordsAreGone() throws Exception {
        // Given a checkpoint over 6 records and a chain whose last two were deleted
        CheckpointKey key = CheckpointKey.loadOrCreate(dir.resolve("checkpoint-key"));
        List<AuditRecord> records = chain(6, "v");
        CheckpointLog log = signedAt(key, records.getLast());

        // When
        var result = AuditVerification.verify(records.subList(0, 4).iterator(), log);

        // Then
        assertThat(AuditVerification.verify(records.subList(0, 4).iterator()).intact())
                .isTrue();
        assertThat(result.intact()).isFalse();
        assertThat(result.brokenAt()).contains(5L);
        assertThat(result.reason().orElseThrow())
                .startsWith("truncated: the chain ends at record 4")
                .contains("records 5 to 6 were deleted");
    }

    @Test
    void shouldReportRehashingWhenARecordIsRewrittenAndTheRestRehashed() throws Exception {
        // Given a checkpoint over the real chain and a forged chain, rehashed from record 3 on
        CheckpointKey key = CheckpointKey.loadOrCreate(dir.resolve("checkpoint-key"));
        List<AuditRecord> real = chain(5, "v");
        CheckpointLog log = signedAt(key, real.getLast());
        List<AuditRecord> forged = chain(5, "forged");

        // When
        var result = AuditVerification.verify(forged.iterator(), log);

        // Then
        assertThat(AuditVerification.verify(forged.iterator()).intact()).isTrue();
        assertThat(result.brokenAt()).contains(5L);
        assertThat(result.reason().orElseThrow())
                .startsWith("rehashed: record 5's hash")
                .contains("signed checkpoint of 2026-12-07T10:01:00Z");
    }

    @Test
    void shouldAcceptAChainThatGrewPastItsCheckpoint() throws Exception {
        // Given
        CheckpointKey key = CheckpointKey.loadOrCreate(dir.resolve("checkpoint-key"));
        List<AuditRecord> records = chain(7, "v");
        CheckpointLog log = signedAt(key, records.get(4));

        // When
        var result = AuditVerification.verify(records.iterator(), log);

        // Then
        assertThat(result.intact()).as(result.reason().orElse("")).isTrue();
        assertThat(result.checkpoint().orElseThrow().seq()).isEqualTo(5);
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void shouldIgnoreAndReportACheckpointLineSignedByAnotherKey() throws Exception {
        // Given the real checkpoint at record 5, then a forged one at record 3 signed by an attacker's key
        CheckpointKey key = CheckpointKey.loadOrCreate(dir.resolve("checkpoint-key"));
        CheckpointKey attacker = CheckpointKey.loadOrCreate(dir.resolve("other/key"));
        List<AuditRecord> records = chain(5, "v");
        Path file = dir.resolve(CheckpointLog.FILE_NAME);
        Files.writeString(
                file,
                key.sign(5, records.getLast().hash(), "t1").line() + "\n"
                        + attacker.sign(3, records.get(2).hash(), "t2").line() + "\n{not json\n");

        // When
        CheckpointLog log = CheckpointLog.read(file, key);

        // Then
        assertThat(log.checkpoints()).extracting(AuditCheckpoint::seq).containsExactly(5L);
        assertThat(log.warnings()).hasSize(2);
        assertThat(log.warnings().get(0)).contains("line 2").contains("does not verify");
        assertThat(AuditVerification.verify(records.subList(0, 3).iterator(), log)
                        .reason()
                        .orElseThrow())
                .startsWith("truncated");
    }

    @Test
    void shouldKeepThePrivateKeyOwnerOnlyAndReloadTheSameKeyWhenGeneratedOnFirstUse() throws Exception {
        // Given
        Path file = dir.resolve("audit/checkpoint-key");

        // When
        CheckpointKey first = CheckpointKey.loadOrCreate(file);
        CheckpointKey again = CheckpointKey.loadOrCreate(file);

        // Then
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(again.fingerprint()).isEqualTo(first.fingerprint());
        AuditCheckpoint c = first.sign(1, "ab", "t");
        assertThat(CheckpointKey.verifier(CheckpointKey.publicFile(file)).verifies(c))
                .isTrue();
        assertThat(again.verifies(new AuditCheckpoint(2, "ab", "t", c.key(), c.signature())))
                .isFalse();
        assertThatThrownBy(() ->
                        CheckpointKey.verifier(CheckpointKey.publicFile(file)).sign(1, "ab", "t"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldRefuseACheckpointLineWithDuplicateKeys() {
        // Given
        String line = "{\"seq\":5,\"seq\":3,\"headHash\":\"a\",\"time\":\"t\",\"key\":\"k\",\"signature\":\"s\"}";

        // When / Then
        assertThatThrownBy(() -> AuditCheckpoint.parse(line))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate");
    }
}
