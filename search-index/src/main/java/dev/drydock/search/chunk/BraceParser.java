package dev.drydock.search.chunk;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A lightweight declaration parser for brace languages (Java, Kotlin, C#, Go, JS/TS, C/C++, ...).
 * It tracks brace depth outside strings and comments, and names a block from the code between the
 * previous statement boundary and its opening brace. Blocks inside functions are not named.
 */
final class BraceParser {
    private static final Pattern TYPE = Pattern.compile(
            "\\b(?:class|interface|enum|record|struct|trait|object|namespace|impl|union)\\s+(?!class\\b)([A-Za-z_$][\\w$]*)");
    private static final Pattern GO_TYPE =
            Pattern.compile("\\btype\\s+([A-Za-z_]\\w*)(?:\\[[^\\]]*\\])?\\s+(?:struct|interface)\\b");
    private static final Pattern GO_FUNC = Pattern.compile("\\bfunc\\s+(?:\\([^)]*\\)\\s*)?([A-Za-z_]\\w*)");
    private static final Pattern KOTLIN_FUN =
            Pattern.compile("\\bfun\\s+(?:<[^>]*>\\s*)?(?:[\\w.]+\\.)?([A-Za-z_]\\w*)");
    private static final Pattern JS_FUNCTION = Pattern.compile("\\bfunction\\s*\\*?\\s*([A-Za-z_$][\\w$]*)");
    private static final Pattern JS_ARROW = Pattern.compile(
            "([A-Za-z_$][\\w$]*)\\s*[:=]\\s*(?:async\\s*)?(?:function\\b|\\([^)]*\\)\\s*(?::[^=]*)?=>|[A-Za-z_$][\\w$]*\\s*=>)");
    private static final Pattern CALLABLE =
            Pattern.compile("([A-Za-z_$~][\\w$]*(?:::~?[A-Za-z_$][\\w$]*)*)\\s*(?:<[^()]*>)?\\s*\\(");
    private static final Pattern ANNOTATION = Pattern.compile("@[\\w.]+(?:\\s*\\((?:[^()]|\\([^()]*\\))*\\))?");
    private static final Set<String> NOT_FUNCTIONS = Set.of(
            "if",
            "for",
            "while",
            "switch",
            "catch",
            "synchronized",
            "return",
            "new",
            "else",
            "do",
            "try",
            "when",
            "foreach",
            "using",
            "lock",
            "fixed",
            "sizeof",
            "typeof",
            "assert",
            "throw",
            "super",
            "this",
            "with",
            "elif",
            "until",
            "unless",
            "select",
            "go",
            "defer",
            "static_assert",
            "decltype");

    private BraceParser() {}

    static Scope parse(String text, int lineCount) {
        Scope root = new Scope("", Scope.Kind.FILE, 1, lineCount);
        record Open(Scope scope, boolean named) {}
        Deque<Open> stack = new ArrayDeque<>();
        Deque<Scope> named = new ArrayDeque<>();
        named.push(root);
        StringBuilder statement = new StringBuilder();
        int statementStart = -1; // line where the current statement's code begins
        int boundaryLine = 0; // line of the last ; { }
        int line = 1;
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                statement.append(' ');
                i++;
                continue;
            }
            if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                i += 2;
                while (i < n && !(text.charAt(i) == '*' && i + 1 < n && text.charAt(i + 1) == '/')) {
                    if (text.charAt(i) == '\n') {
                        line++;
                    }
                    i++;
                }
                i += 2;
                continue;
            }
            if (c == '"' || c == '\'' || c == '`') {
                if (c == '"' && text.startsWith("\"\"\"", i)) {
                    int end = text.indexOf("\"\"\"", i + 3);
                    end = end < 0 ? n : end + 3;
                    line += countLines(text, i, end);
                    i = end;
                } else {
                    i++;
                    while (i < n && text.charAt(i) != c) {
                        char d = text.charAt(i);
                        if (d == '\\') {
                            i++;
                        } else if (d == '\n') {
                            if (c != '`') {
                                break; // unterminated literal: stop at line end
                            }
                            line++;
                        }
                        i++;
                    }
                    i++;
                }
                statement.append(" \"\" ");
                if (statementStart < 0) {
                    statementStart = line;
                }
                continue;
            }
            if (c == '{') {
                boolean insideFunction = named.peek().kind == Scope.Kind.FUNCTION;
                @Nullable Scope scope = null;
                if (!insideFunction) {
                    scope = classify(statement.toString(), Math.max(boundaryLine + 1, 1), line);
                }
                if (scope != null) {
                    named.peek().children.add(scope);
                    named.push(scope);
                    stack.push(new Open(scope, true));
                } else {
                    stack.push(new Open(named.peek(), false));
                }
                statement.setLength(0);
                statementStart = -1;
                boundaryLine = line;
                i++;
                continue;
            }
            if (c == '}') {
                if (!stack.isEmpty()) {
                    Open open = stack.pop();
                    if (open.named()) {
                        open.scope().endLine = line;
                        named.pop();
                    }
                }
                statement.setLength(0);
                statementStart = -1;
                boundaryLine = line;
                i++;
                continue;
            }
            if (c == ';') {
                statement.setLength(0);
                statementStart = -1;
                boundaryLine = line;
                i++;
                continue;
            }
            if (statementStart < 0 && !Character.isWhitespace(c)) {
                statementStart = line;
            }
            if (statement.length() < 2000) {
                statement.append(c);
            }
            i++;
        }
        while (!stack.isEmpty()) {
            Open open = stack.pop();
            if (open.named()) {
                open.scope().endLine = line;
            }
        }
        return root;
    }

    private static int countLines(String text, int from, int to) {
        int count = 0;
        for (int k = from; k < to; k++) {
            if (text.charAt(k) == '\n') {
                count++;
            }
        }
        return count;
    }

    /** Names the block opened after {@code header}, or returns null for an anonymous block. */
    static @Nullable Scope classify(String header, int startLine, int braceLine) {
        String code = ANNOTATION.matcher(header).replaceAll(" ").strip();
        if (code.isEmpty()) {
            return null;
        }
        Matcher m = GO_TYPE.matcher(code);
        if (m.find()) {
            return new Scope(m.group(1), Scope.Kind.TYPE, startLine, braceLine);
        }
        m = TYPE.matcher(code);
        if (m.find() && !code.startsWith("new ") && !code.contains(" new ")) {
            int paren = code.indexOf('(');
            if (paren < 0 || m.start() < paren) {
                return new Scope(m.group(1), Scope.Kind.TYPE, startLine, braceLine);
            }
        }
        for (Pattern p : new Pattern[] {GO_FUNC, KOTLIN_FUN, JS_FUNCTION}) {
            m = p.matcher(code);
            if (m.find()) {
                return new Scope(m.group(1), Scope.Kind.FUNCTION, startLine, braceLine);
            }
        }
        m = JS_ARROW.matcher(code);
        if (m.find()) {
            return new Scope(m.group(1), Scope.Kind.FUNCTION, startLine, braceLine);
        }
        if (code.contains("->") || code.contains("=>")) {
            return null;
        }
        m = CALLABLE.matcher(code);
        if (m.find()) {
            String name = m.group(1);
            int at = m.start(1);
            String before = code.substring(0, at);
            if (NOT_FUNCTIONS.contains(name)
                    || (at > 0 && code.charAt(at - 1) == '.')
                    || before.contains("=")
                    || before.endsWith("new ")
                    || before.contains("(")) {
                return null;
            }
            int sep = name.lastIndexOf("::");
            return new Scope(sep < 0 ? name : name.substring(sep + 2), Scope.Kind.FUNCTION, startLine, braceLine);
        }
        return null;
    }
}
