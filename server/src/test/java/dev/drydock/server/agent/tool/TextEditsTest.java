package dev.drydock.server.agent.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextEditsTest {
    static final String FILE =
            "class A {\n    int f() {\n        return 1;\n    }\n\n    int g() {\n        return 1;\n    }\n}\n";

    @Test
    void shouldReplaceExactUniqueMatch() {
        // When
        String out = TextEdits.replace(FILE, "int f() {\n        return 1;", "int f() {\n        return 2;");

        // Then
        assertThat(out).contains("return 2;").contains("int g() {\n        return 1;");
    }

    @Test
    void shouldReportAmbiguousMatchWithLines() {
        // When / Then
        assertThatThrownBy(() -> TextEdits.replace(FILE, "return 1;", "return 2;"))
                .isInstanceOf(ToolFailure.class)
                .hasMessageContaining("ambiguous")
                .hasMessageContaining("lines 3, 7");
    }

    @Test
    void shouldFallBackToWhitespaceTolerantMatchAndKeepIndentation() {
        // When
        String out = TextEdits.replace(FILE, "int f()  {\n  return 1;\n}", "int f() {\n  return 42;\n}");

        // Then
        assertThat(out).contains("    int f() {\n      return 42;\n    }\n").contains("int g()");
    }

    @Test
    void shouldExplainMissingMatchWithClosestLine() {
        // When / Then
        assertThatThrownBy(() -> TextEdits.replace(FILE, "int f() {\n  return 3;", "x"))
                .isInstanceOf(ToolFailure.class)
                .hasMessageContaining("not found")
                .hasMessageContaining("closest line is 2");
    }

    @Test
    void shouldApplyUnifiedDiffEvenWithWrongLineNumbers() {
        // Given
        String diff =
                "--- a/A.java\n+++ b/A.java\n@@ -40,3 +40,3 @@\n     int g() {\n-        return 1;\n+        return 7;\n     }\n";

        // When
        String out = TextEdits.applyUnifiedDiff(FILE, diff);

        // Then
        assertThat(out).isEqualTo(FILE.replace("int g() {\n        return 1;", "int g() {\n        return 7;"));
    }

    @Test
    void shouldRefuseDiffWhoseContextIsMissing() {
        // When / Then
        assertThatThrownBy(() -> TextEdits.applyUnifiedDiff(FILE, "@@ -1,1 +1,1 @@\n-nothing like this\n+x\n"))
                .isInstanceOf(ToolFailure.class)
                .hasMessageContaining("hunk 1 does not apply");
    }

    @Test
    void shouldRenderUnifiedDiffThatAppliesBack() {
        // Given
        String after = FILE.replace("return 1;\n    }\n}", "return 5;\n    }\n}");

        // When
        String diff = TextEdits.unifiedDiff("A.java", FILE, after);

        // Then
        assertThat(diff).contains("-        return 1;").contains("+        return 5;");
        assertThat(TextEdits.applyUnifiedDiff(FILE, diff)).isEqualTo(after);
    }
}
