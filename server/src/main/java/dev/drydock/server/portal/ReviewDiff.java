package dev.drydock.server.portal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A unified diff (as {@code git diff} writes it) split into files for the review tab: each file with
 * its path, kind of change, added and removed line counts, and its lines numbered on both sides and
 * highlighted by {@link SyntaxHighlight}.
 */
record ReviewDiff(List<FileDiff> files) {
    /** One changed file; {@code anchor} is the id of its section on the page. */
    record FileDiff(String anchor, String path, String change, int added, int removed, List<Row> rows) {}

    /** One line of a file's diff: its class ({@code diff-add}, {@code diff-del}, {@code diff-ctx}, {@code diff-hunk}), line numbers, sign and segments. */
    record Row(String css, String oldLine, String newLine, String sign, List<SyntaxHighlight.Segment> segments) {}

    private static final Pattern HUNK = Pattern.compile("^@@ -(\\d+)(?:,\\d+)? \\+(\\d+)(?:,\\d+)? @@.*");
    private static final Pattern GIT_HEADER = Pattern.compile("^diff --git a/(.+) b/(.+)$");

    static ReviewDiff parse(String diff) {
        List<FileDiff> files = new ArrayList<>();
        @org.jspecify.annotations.Nullable Builder current = null;
        int oldNo = 0;
        int newNo = 0;
        for (String line : diff.lines().toList()) {
            Matcher git = GIT_HEADER.matcher(line);
            if (git.matches() || (line.startsWith("--- ") && (current == null || current.inHunk))) {
                if (current != null) {
                    files.add(current.build(files.size()));
                }
                current = new Builder(git.matches() ? git.group(2) : path(line.substring(4)));
                continue;
            }
            if (current == null) {
                continue;
            }
            if (!current.inHunk) {
                if (line.startsWith("new file")) {
                    current.change = "added";
                } else if (line.startsWith("deleted file")) {
                    current.change = "deleted";
                } else if (line.startsWith("rename to ")) {
                    current.change = "renamed";
                    current.path = line.substring("rename to ".length());
                } else if (line.startsWith("+++ ") && !line.equals("+++ /dev/null")) {
                    current.path = path(line.substring(4));
                }
            }
            Matcher hunk = HUNK.matcher(line);
            if (hunk.matches()) {
                current.inHunk = true;
                oldNo = Integer.parseInt(hunk.group(1));
                newNo = Integer.parseInt(hunk.group(2));
                current.rows.add(new Row("diff-hunk", "", "", "", List.of(new SyntaxHighlight.Segment("", line))));
            } else if (current.inHunk && line.startsWith("+")) {
                current.added++;
                current.rows.add(new Row(
                        "diff-add",
                        "",
                        Integer.toString(newNo++),
                        "+",
                        SyntaxHighlight.line(line.substring(1), current.tokens())));
            } else if (current.inHunk && line.startsWith("-")) {
                current.removed++;
                current.rows.add(new Row(
                        "diff-del",
                        Integer.toString(oldNo++),
                        "",
                        "-",
                        SyntaxHighlight.line(line.substring(1), current.tokens())));
            } else if (current.inHunk && line.startsWith(" ")) {
                current.rows.add(new Row(
                        "diff-ctx",
                        Integer.toString(oldNo++),
                        Integer.toString(newNo++),
                        " ",
                        SyntaxHighlight.line(line.substring(1), current.tokens())));
            } else if (current.inHunk && line.startsWith("\\")) {
                current.rows.add(new Row("diff-meta", "", "", "", List.of(new SyntaxHighlight.Segment("", line))));
            }
        }
        if (current != null) {
            files.add(current.build(files.size()));
        }
        return new ReviewDiff(List.copyOf(files));
    }

    private static String path(String header) {
        String p = header.strip();
        int tab = p.indexOf('\t');
        if (tab >= 0) {
            p = p.substring(0, tab);
        }
        return p.startsWith("a/") || p.startsWith("b/") ? p.substring(2) : p;
    }

    private static final class Builder {
        String path;
        String change = "modified";
        int added;
        int removed;
        boolean inHunk;
        final List<Row> rows = new ArrayList<>();

        Builder(String path) {
            this.path = path;
        }

        java.util.regex.@org.jspecify.annotations.Nullable Pattern tokens() {
            return SyntaxHighlight.tokensFor(path);
        }

        FileDiff build(int index) {
            return new FileDiff("file-" + (index + 1), path, change, added, removed, List.copyOf(rows));
        }
    }
}
