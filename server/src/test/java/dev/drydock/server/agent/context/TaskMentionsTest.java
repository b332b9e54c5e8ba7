package dev.drydock.server.agent.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.server.agent.InMemoryWorkspace;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskMentionsTest {
    @Test
    void shouldFindPathAndSymbolMentionsWhenTheFormInsertedThem() {
        // Given
        String task = "Fix the rounding in @ledger:src/main/java/books/LedgerEntry.java. See @GeneralLedger and "
                + "@other:README.md; mail ops@example.test, not @ledger:../etc/passwd";

        // When
        List<String> paths = TaskMentions.paths(task, "ledger");
        List<String> symbols = TaskMentions.symbols(task);

        // Then
        assertThat(paths).containsExactly("src/main/java/books/LedgerEntry.java");
        assertThat(symbols).containsExactly("GeneralLedger");
    }

    @Test
    void shouldGiveTheMentionedFilesTheWorkspaceHoldsWhenPreparingContext() {
        // Given
        InMemoryWorkspace ws = new InMemoryWorkspace(
                Map.of("src/A.java", "class A {}\n", "src/B.java", "x".repeat(20_000)), (command, files) -> null);

        // When
        String section = TaskMentions.section(ws, List.of("src/A.java", "missing.txt", "src/B.java"));

        // Then
        assertThat(section)
                .startsWith("\n## Files mentioned in the task")
                .contains("### src/A.java\n\n```\nclass A {}\n```")
                .contains("### src/B.java")
                .contains("[... truncated]")
                .doesNotContain("missing.txt");
    }
}
