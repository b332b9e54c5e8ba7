package dev.drydock.server.agent.tool;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text operations behind {@code edit_file}: exact search/replace, a whitespace-tolerant fallback,
 * unified-diff application, and unified-diff rendering. Pure functions; errors are {@link
 * ToolFailure}s whose messages tell the model what to do next.
 */
public final class TextEdits {
    private static final Pattern HUNK = Pattern.compile("^@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@.*");

    private TextEdits() {}

    /** Replaces the one occurrence of {@code oldText}; falls back to matching lines modulo whitespace. */
    public static String replace(String content, String oldText, String newText) {
        if (oldText.isEmpty()) {
            throw new ToolFailure(
                    "old_text is empty: give the exact text to replace, or use create_file for a new file");
        }
        List<Integer> at = occurrences(content, oldText);
        if (at.size() == 1) {
            int p = at.getFirst();
            return content.substring(0, p) + newText + content.substring(p + oldText.length());
        }
        if (at.size() > 1) {
            throw new ToolFailure("old_text is ambiguous: it occurs " + at.size() + " times (at lines "
                    + at.stream()
                            .map(p -> Integer.toString(lineOf(content, p)))
                            .reduce((a, b) -> a + ", " + b)
                            .orElse("")
                    + "); include more surrounding lines so that it matches exactly once");
        }
        return replaceTolerant(content, oldText, newText);
    }

    private static String replaceTolerant(String content, String oldText, String newText) {
        List<String> lines = splitLines(content);
        List<String> want = splitLines(oldText.strip());
        List<Integer> starts = new ArrayList<>();
        for (int s = 0; s + want.size() <= lines.size(); s++) {
            boolean ok = true;
            for (int k = 0; k < want.size() && ok; k++) {
                ok = norm(lines.get(s + k)).equals(norm(want.get(k)));
            }
            if (ok) {
                starts.add(s);
            }
        }
        if (starts.size() > 1) {
            throw new ToolFailure(
                    "old_text is ambiguous: ignoring whitespace it matches " + starts.size() + " places (at lines "
                            + starts.stream()
                                    .map(s -> Integer.toString(s + 1))
                                    .reduce((a, b) -> a + ", " + b)
                                    .orElse("")
                            + "); include more surrounding lines");
        }
        if (starts.isEmpty()) {
            throw new ToolFailure("old_text was not found, not even ignoring whitespace."
                    + closest(lines, want.getFirst()) + " Read the file again (read_file) and copy the text exactly.");
        }
        int s = starts.getFirst();
        String indentHave = indent(lines.get(s));
        String indentWant = indent(want.getFirst());
        StringBuilder out = new StringBuilder();
        for (int k = 0; k < s; k++) {
            out.append(lines.get(k)).append('\n');
        }
        for (String l : splitLines(newText)) {
            out.append(reindent(l, indentWant, indentHave)).append('\n');
        }
        for (int k = s + want.size(); k < lines.size(); k++) {
            out.append(lines.get(k)).append('\n');
        }
        return content.endsWith("\n") || content.isEmpty()
                ? out.toString()
                : out.substring(0, Math.max(0, out.length() - 1));
    }

    private static String reindent(String line, String from, String to) {
        if (from.equals(to)) {
            return line;
        }
        if (line.startsWith(from)) {
            return to + line.substring(from.length());
        }
        return line;
    }

    private static String closest(List<String> lines, String first) {
        String want = norm(first);
        if (want.isEmpty()) {
            return "";
        }
        int best = -1;
        int bestScore = 0;
        for (int k = 0; k < lines.size(); k++) {
            int score = commonPrefix(norm(lines.get(k)), want);
            if (score > bestScore) {
                bestScore = score;
                best = k;
            }
        }
        if (best < 0 || bestScore < Math.min(8, want.length())) {
            return "";
        }
        return " The closest line is " + (best + 1) + ": '" + lines.get(best).strip() + "'.";
    }

    private static int commonPrefix(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int k = 0;
        while (k < n && a.charAt(k) == b.charAt(k)) {
            k++;
        }
        return k;
    }

    private static String norm(String line) {
        return line.strip().replaceAll("\\s+", " ");
    }

    private static String indent(String line) {
        int k = 0;
        while (k < line.length() && (line.charAt(k) == ' ' || line.charAt(k) == '\t')) {
            k++;
        }
        return line.substring(0, k);
    }

    private static List<Integer> occurrences(String content, String needle) {
        List<Integer> at = new ArrayList<>();
        for (int p = content.indexOf(needle); p >= 0; p = content.indexOf(needle, p + 1)) {
            at.add(p);
        }
        return at;
    }

    private static int lineOf(String content, int offset) {
        int line = 1;
        for (int k = 0; k < offset; k++) {
            if (content.charAt(k) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** Lines without their terminators; a trailing newline does not add an empty last line. */
    public static List<String> splitLines(String text) {
        List<String> out = new ArrayList<>(List.of(text.split("\n", -1)));
        if (!out.isEmpty() && out.getLast().isEmpty()) {
            out.removeLast();
        }
        out.replaceAll(l -> l.endsWith("\r") ? l.substring(0, l.length() - 1) : l);
        return out;
    }

    /**
     * Applies a unified diff (one file; {@code ---}/{@code +++} headers optional) to {@code content}.
     * Hunks are located by their context, so wrong line numbers are tolerated.
     */
    public static String applyUnifiedDiff(String content, String diff) {
        List<String> lines = new ArrayList<>(splitLines(content));
        List<String> d = splitLines(diff);
        int k = 0;
        int hunkNo = 0;
        int offset = 0;
        boolean any = false;
        while (k < d.size()) {
            Matcher m = HUNK.matcher(d.get(k));
            if (!m.matches()) {
                k++;
                continue;
            }
            hunkNo++;
            any = true;
            int declared = Integer.parseInt(m.group(1)) - 1;
            List<String> before = new ArrayList<>();
            List<String> after = new ArrayList<>();
            k++;
            while (k < d.size()
                    && !HUNK.matcher(d.get(k)).matches()
                    && !d.get(k).startsWith("--- ")
                    && !d.get(k).startsWith("diff ")) {
                String l = d.get(k);
                if (l.startsWith("\\")) {
                    k++;
                    continue;
                }
                char c = l.isEmpty() ? ' ' : l.charAt(0);
                String body = l.isEmpty() ? "" : l.substring(1);
                switch (c) {
                    case ' ' -> {
                        before.add(body);
                        after.add(body);
                    }
                    case '-' -> before.add(body);
                    case '+' -> after.add(body);
                    default ->
                        throw new ToolFailure("hunk " + hunkNo
                                + " has a line that starts with neither ' ', '-' nor '+': '" + l + "'");
                }
                k++;
            }
            int at = locate(lines, before, Math.max(0, declared + offset));
            if (at < 0) {
                throw new ToolFailure(
                        "hunk " + hunkNo + " does not apply: its context and removed lines were not found in the file"
                                + (before.isEmpty()
                                        ? ""
                                        : " (first line: '" + before.getFirst().strip() + "')")
                                + ". Read the file again and make the diff from its current text, or use old_text/new_text.");
            }
            for (int r = 0; r < before.size(); r++) {
                lines.remove(at);
            }
            lines.addAll(at, after);
            offset += after.size() - before.size();
        }
        if (!any) {
            throw new ToolFailure("the diff has no hunk (lines starting with '@@ -a,b +c,d @@')");
        }
        String joined = String.join("\n", lines);
        return lines.isEmpty() ? "" : joined + "\n";
    }

    private static int locate(List<String> lines, List<String> block, int hint) {
        if (block.isEmpty()) {
            return Math.min(hint, lines.size());
        }
        int found = -1;
        int bestDistance = Integer.MAX_VALUE;
        for (int s = 0; s + block.size() <= lines.size(); s++) {
            if (matchesAt(lines, block, s, false) && Math.abs(s - hint) < bestDistance) {
                found = s;
                bestDistance = Math.abs(s - hint);
            }
        }
        if (found >= 0) {
            return found;
        }
        for (int s = 0; s + block.size() <= lines.size(); s++) {
            if (matchesAt(lines, block, s, true) && Math.abs(s - hint) < bestDistance) {
                found = s;
                bestDistance = Math.abs(s - hint);
            }
        }
        return found;
    }

    private static boolean matchesAt(List<String> lines, List<String> block, int s, boolean tolerant) {
        for (int k = 0; k < block.size(); k++) {
            String a = lines.get(s + k);
            String b = block.get(k);
            if (tolerant ? !norm(a).equals(norm(b)) : !a.equals(b)) {
                return false;
            }
        }
        return true;
    }

    /** A unified diff of one file's change, with three lines of context. Empty when nothing changed. */
    public static String unifiedDiff(String path, String before, String after) {
        List<String> a = splitLines(before);
        List<String> b = splitLines(after);
        int prefix = 0;
        while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < a.size() - prefix
                && suffix < b.size() - prefix
                && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) {
            suffix++;
        }
        if (prefix == a.size() && prefix == b.size()) {
            return "";
        }
        List<String> ops = lcsOps(a.subList(prefix, a.size() - suffix), b.subList(prefix, b.size() - suffix));
        int ctxStart = Math.max(0, prefix - 3);
        int ctxEndA = Math.min(a.size(), a.size() - suffix + 3);
        int trailing = ctxEndA - (a.size() - suffix);
        List<String> body = new ArrayList<>();
        for (int k = ctxStart; k < prefix; k++) {
            body.add(" " + a.get(k));
        }
        body.addAll(ops);
        for (int k = 0; k < trailing; k++) {
            body.add(" " + a.get(a.size() - suffix + k));
        }
        long oldCount = body.stream().filter(l -> !l.startsWith("+")).count();
        long newCount = body.stream().filter(l -> !l.startsWith("-")).count();
        StringBuilder out = new StringBuilder();
        out.append("--- a/")
                .append(path)
                .append('\n')
                .append("+++ b/")
                .append(path)
                .append('\n');
        out.append("@@ -")
                .append(oldCount == 0 ? ctxStart : ctxStart + 1)
                .append(',')
                .append(oldCount)
                .append(" +")
                .append(newCount == 0 ? ctxStart : ctxStart + 1)
                .append(',')
                .append(newCount)
                .append(" @@\n");
        body.forEach(l -> out.append(l).append('\n'));
        return out.toString();
    }

    private static List<String> lcsOps(List<String> a, List<String> b) {
        if ((long) a.size() * b.size() > 4_000_000L) {
            List<String> ops = new ArrayList<>();
            a.forEach(l -> ops.add("-" + l));
            b.forEach(l -> ops.add("+" + l));
            return ops;
        }
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int x = a.size() - 1; x >= 0; x--) {
            for (int y = b.size() - 1; y >= 0; y--) {
                lcs[x][y] = a.get(x).equals(b.get(y)) ? lcs[x + 1][y + 1] + 1 : Math.max(lcs[x + 1][y], lcs[x][y + 1]);
            }
        }
        List<String> ops = new ArrayList<>();
        int x = 0;
        int y = 0;
        while (x < a.size() && y < b.size()) {
            if (a.get(x).equals(b.get(y))) {
                ops.add(" " + a.get(x++));
                y++;
            } else if (lcs[x + 1][y] >= lcs[x][y + 1]) {
                ops.add("-" + a.get(x++));
            } else {
                ops.add("+" + b.get(y++));
            }
        }
        while (x < a.size()) {
            ops.add("-" + a.get(x++));
        }
        while (y < b.size()) {
            ops.add("+" + b.get(y++));
        }
        return ops;
    }
}
