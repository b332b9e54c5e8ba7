package dev.drydock.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The review tab's reading of {@code git diff} output: files, line numbers and highlighted segments. */
class ReviewDiffTest {
    private static final String DIFF = """
            diff --git a/src/Calc.java b/src/Calc.java
            index 1111111..2222222 100644
            --- a/src/Calc.java
            +++ b/src/Calc.java
            @@ -10,3 +10,3 @@ class Calc {
                 // adds "two" numbers
            -    return a - 1;
            +    return a + 1;
            diff --git a/notes/new.md b/notes/new.md
            new file mode 100644
            index 0000000..3333333
            --- /dev/null
            +++ b/notes/new.md
            @@ -0,0 +1,2 @@
            +# Notes
            +<script>x</script>
            """;

    @Test
    void shouldSplitFilesNumberLinesAndHighlightKnownLanguagesWhenParsingGitDiff() {
        // When
        ReviewDiff review = ReviewDiff.parse(DIFF);

        // Then
        assertThat(review.files())
                .extracting(ReviewDiff.FileDiff::path)
                .containsExactly("src/Calc.java", "notes/new.md");
        ReviewDiff.FileDiff java = review.files().get(0);
        assertThat(java.change()).isEqualTo("modified");
        assertThat(java.added()).isEqualTo(1);
        assertThat(java.removed()).isEqualTo(1);
        assertThat(java.rows())
                .extracting(ReviewDiff.Row::css)
                .containsExactly("diff-hunk", "diff-ctx", "diff-del", "diff-add");
        assertThat(java.rows().get(1).oldLine()).isEqualTo("10");
        assertThat(java.rows().get(2).oldLine()).isEqualTo("11");
        assertThat(java.rows().get(3).newLine()).isEqualTo("11");
        assertThat(java.rows().get(1).segments())
                .containsExactly(
                        new SyntaxHighlight.Segment("", "    "),
                        new SyntaxHighlight.Segment("tok-comment", "// adds \"two\" numbers"));
        assertThat(java.rows().get(3).segments())
                .containsExactly(
                        new SyntaxHighlight.Segment("", "    "),
                        new SyntaxHighlight.Segment("tok-keyword", "return"),
                        new SyntaxHighlight.Segment("", " a + "),
                        new SyntaxHighlight.Segment("tok-number", "1"),
                        new SyntaxHighlight.Segment("", ";"));
        ReviewDiff.FileDiff notes = review.files().get(1);
        assertThat(notes.change()).isEqualTo("added");
        assertThat(notes.added()).isEqualTo(2);
        assertThat(notes.anchor()).isEqualTo("file-2");
        assertThat(notes.rows().get(2).segments())
                .isEqualTo(List.of(new SyntaxHighlight.Segment("", "<script>x</script>")));
    }
}
