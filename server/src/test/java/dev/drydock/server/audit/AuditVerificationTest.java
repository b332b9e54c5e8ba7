package dev.drydock.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditVerificationTest {

    private static List<AuditRecord> chain(int n) {
        List<AuditRecord> records = new ArrayList<>();
        String prev = AuditRecord.GENESIS;
        for (int i = 1; i <= n; i++) {
            AuditRecord r = AuditRecord.seal(
                    i,
                    "2026-11-25T10:00:0" + i + "Z",
                    AuditEntry.of("u", "a", "t" + i).with("k", i),
                    prev);
            records.add(r);
            prev = r.hash();
        }
        return records;
    }

    @Test
    void shouldAcceptAnUntouchedChain() {
        // Given
        List<AuditRecord> records = chain(5);

        // When
        var result = AuditVerification.verify(records.iterator());

        // Then
        assertThat(result.intact()).isTrue();
        assertThat(result.checked()).isEqualTo(5);
        assertThat(result.headHash()).isEqualTo(records.getLast().hash());
    }

    @Test
    void shouldPointAtTheRemovedRowWhenARowIsDeleted() {
        // Given
        List<AuditRecord> records = chain(5);
        records.remove(2);

        // When
        var result = AuditVerification.verify(records.iterator());

        // Then
        assertThat(result.brokenAt()).contains(4L);
        assertThat(result.reason().orElseThrow()).contains("sequence gap");
    }

    @Test
    void shouldDetectARewrittenRowEvenWhenItsHashIsRecomputed() {
        // Given an attacker who rewrites record 3 and recomputes its own hash
        List<AuditRecord> records = chain(5);
        AuditRecord old = records.get(2);
        AuditRecord forged = AuditRecord.seal(3, old.recordedAt(), AuditEntry.of("u", "a", "forged"), old.prevHash());
        records.set(2, forged);

        // When
        var result = AuditVerification.verify(records.iterator());

        // Then the next record no longer links to it
        assertThat(result.brokenAt()).contains(4L);
        assertThat(result.reason().orElseThrow()).contains("previous-hash link");
    }

    @Test
    void shouldHashDetailsCanonicallyWhateverTheInsertionOrder() {
        // Given
        AuditEntry a = AuditEntry.of("u", "x", "t").with("b", 2).with("a", "1\n\"q\"");
        AuditEntry b = AuditEntry.of("u", "x", "t").with("a", "1\n\"q\"").with("b", 2);

        // When
        String ha = AuditRecord.seal(1, "t", a, AuditRecord.GENESIS).hash();
        String hb = AuditRecord.seal(1, "t", b, AuditRecord.GENESIS).hash();

        // Then
        assertThat(ha).isEqualTo(hb).hasSize(64);
    }

    @Test
    void shouldVerifyExportedLinesWhenParsedBackAwayFromTheServer() {
        // Given records whose details hold quotes, unicode, nested-looking text and a workspace
        List<AuditRecord> records = new ArrayList<>();
        String prev = AuditRecord.GENESIS;
        for (int i = 1; i <= 3; i++) {
            AuditRecord r = AuditRecord.seal(
                    i,
                    "2026-11-25T10:00:0" + i + "Z",
                    AuditEntry.of("u\"" + i, "a", "t {\"details\":1}")
                            .inWorkspace(i == 2 ? null : "demo")
                            .with("k", "é \\ \" } {" + i),
                    prev);
            records.add(r);
            prev = r.hash();
        }
        List<String> lines = records.stream().map(AuditJson::line).toList();

        // When
        List<AuditRecord> parsed = lines.stream().map(AuditJson::parse).toList();

        // Then
        assertThat(parsed).isEqualTo(records);
        assertThat(AuditVerification.verify(parsed.iterator()).intact()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AuditJson.parse("{\"seq\":1}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AuditJson.parse("not json"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
