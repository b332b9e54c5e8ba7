package dev.drydock.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuditEntryTest {
    @Test
    void shouldRecordNulAsReplacementCharacterWhenACallerSendsIt() {
        // When
        AuditEntry entry = AuditEntry.of("mal\0lory", "access.refused", "/api/sessions")
                .inWorkspace("de\0mo")
                .with("reason\0", "no\0pe");

        // Then every text PostgreSQL stores is free of NUL, and says where one was
        assertThat(entry.actor()).isEqualTo("mal\uFFFDlory");
        assertThat(entry.workspace()).isEqualTo("de\uFFFDmo");
        assertThat(entry.details()).containsEntry("reason\uFFFD", "no\uFFFDpe");
    }
}
