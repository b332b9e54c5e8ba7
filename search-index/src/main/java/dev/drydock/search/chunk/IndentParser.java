package dev.drydock.search.chunk;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Declaration parser for indentation languages (Python): {@code class} and {@code def} blocks. */
final class IndentParser {
    private static final Pattern DECL = Pattern.compile("^([ \\t]*)(?:async\\s+)?(class|def)\\s+([A-Za-z_]\\w*)");

    private IndentParser() {}

    static Scope parse(String[] lines) {
        Scope root = new Scope("", Scope.Kind.FILE, 1, lines.length);
        record Open(Scope scope, int indent) {}
        Deque<Open> stack = new ArrayDeque<>();
        int lastCode = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String stripped = line.strip();
            if (stripped.isEmpty() || stripped.startsWith("#")) {
                continue;
            }
            int indent = indentOf(line);
            while (!stack.isEmpty() && indent <= stack.peek().indent()) {
                stack.pop().scope().endLine = lastCode;
            }
            Matcher m = DECL.matcher(line);
            if (m.find()) {
                int start = i + 1;
                while (start > 1 && lines[start - 2].strip().startsWith("@")) {
                    start--;
                }
                Scope scope = new Scope(
                        m.group(3),
                        m.group(2).equals("class") ? Scope.Kind.TYPE : Scope.Kind.FUNCTION,
                        start,
                        lines.length);
                (stack.isEmpty() ? root : stack.peek().scope()).children.add(scope);
                stack.push(new Open(scope, indent));
            }
            lastCode = i + 1;
        }
        while (!stack.isEmpty()) {
            stack.pop().scope().endLine = lastCode;
        }
        return root;
    }

    private static int indentOf(String line) {
        int width = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == ' ') {
                width++;
            } else if (c == '\t') {
                width += 8 - width % 8;
            } else {
                break;
            }
        }
        return width;
    }
}
