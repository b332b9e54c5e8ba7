package dev.drydock.server.agent.tool;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What the program texts of {@code sed} and {@code awk} do beyond reading: whether they run commands
 * and which files they write. Both scans fail closed: text they cannot follow counts as running a
 * command.
 */
final class ProgramTexts {
    /** {@code system}, pipes, and gawk's {@code @} forms ({@code @load}, and {@code @f()} calls, which can reach {@code system}). */
    private static final Pattern AWK_SYSTEM = Pattern.compile("\\bsystem\\b|@|\\|");

    private static final Pattern AWK_PRINT = Pattern.compile("\\bprintf?\\b");

    private ProgramTexts() {}

    /** What a program text does: whether it runs commands, and the files it writes. */
    record Effects(boolean runs, List<String> writes) {
        static final Effects RUNS = new Effects(true, List.of());
    }

    /**
     * A {@code sed} script: the {@code e} command and the {@code s///e} flag run commands; {@code w},
     * {@code W} and the {@code s///w} flag write files. Unknown commands count as running one.
     */
    static Effects sed(String script) {
        List<String> writes = new ArrayList<>();
        int i = 0;
        int n = script.length();
        while (i < n) {
            char c = script.charAt(i);
            if (Character.isWhitespace(c) || c == ';' || c == '{' || c == '}' || c == '!') {
                i++;
                continue;
            }
            if (Character.isDigit(c) || c == '$' || c == ',' || c == '~' || c == '+') {
                i++;
                continue;
            }
            if (c == '/' || c == '\\') {
                char delimiter = c == '\\' && i + 1 < n ? script.charAt(++i) : '/';
                i = skipDelimited(script, i + 1, delimiter);
                if (i < 0) {
                    return Effects.RUNS;
                }
                while (i < n && (script.charAt(i) == 'I' || script.charAt(i) == 'M')) {
                    i++;
                }
                continue;
            }
            i++;
            switch (c) {
                case '#', ':', 'b', 't', 'T', 'a', 'i', 'c', 'r', 'R' ->
                    i = endOfLine(script, i, c == 'b' || c == 't' || c == 'T');
                case 'e' -> {
                    return Effects.RUNS;
                }
                case 'w', 'W' -> {
                    int end = endOfLine(script, i, false);
                    writes.add(script.substring(i, end).strip());
                    i = end;
                }
                case 's', 'y' -> {
                    if (i >= n) {
                        return Effects.RUNS;
                    }
                    char delimiter = script.charAt(i);
                    i = skipDelimited(script, i + 1, delimiter);
                    i = i < 0 ? -1 : skipDelimited(script, i, delimiter);
                    if (i < 0) {
                        return Effects.RUNS;
                    }
                    if (c == 's') {
                        while (i < n && "gpiImM0123456789e w".indexOf(script.charAt(i)) >= 0) {
                            char flag = script.charAt(i++);
                            if (flag == 'e') {
                                return Effects.RUNS;
                            }
                            if (flag == 'w') {
                                int end = endOfLine(script, i, false);
                                writes.add(script.substring(i, end).strip());
                                i = end;
                            }
                        }
                    }
                }
                case 'q', 'Q', 'l', 'L', 'v', '=', 'd', 'D', 'g', 'G', 'h', 'H', 'n', 'N', 'p', 'P', 'x', 'z', 'F' -> {}
                default -> {
                    return Effects.RUNS;
                }
            }
        }
        return new Effects(false, List.copyOf(writes));
    }

    /** Index after the closing unescaped {@code delimiter} (a newline also ends a sed label or file name), or -1. */
    private static int skipDelimited(String s, int i, char delimiter) {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == delimiter) {
                return i + 1;
            } else if (c == '\n') {
                return -1;
            } else {
                i++;
            }
        }
        return -1;
    }

    /** End of a sed argument: a newline, or for labels also {@code ;} and {@code }}. */
    private static int endOfLine(String s, int i, boolean label) {
        while (i < s.length() && s.charAt(i) != '\n' && !(label && (s.charAt(i) == ';' || s.charAt(i) == '}'))) {
            i++;
        }
        return i;
    }

    /**
     * Whether an {@code awk} program runs commands or writes files: {@code system()}, a pipe to or from a
     * command ({@code print | "cmd"}, {@code "cmd" | getline}, {@code |&}), gawk's {@code @load} and {@code @f()} indirect calls,
     * or a {@code print}/{@code printf} redirected with {@code >}. Strings and regular expressions are
     * skipped first, so {@code /a|b/} and {@code "x > y"} are not mistaken for either.
     */
    static boolean awkRunsOrWrites(String program) {
        String code = withoutAwkLiterals(program);
        if (code == null) {
            return true;
        }
        if (AWK_SYSTEM.matcher(code.replace("||", "  ")).find()) {
            return true;
        }
        var print = AWK_PRINT.matcher(code);
        while (print.find()) {
            int depth = 0;
            for (int i = print.end(); i < code.length(); i++) {
                char c = code.charAt(i);
                if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                } else if (depth <= 0 && (c == ';' || c == '}' || c == '\n')) {
                    break;
                } else if (depth <= 0 && c == '>') {
                    return true;
                }
            }
        }
        return false;
    }

    /** The program with string and regular-expression literals blanked out, or null when one does not end. */
    private static @Nullable String withoutAwkLiterals(String program) {
        StringBuilder out = new StringBuilder(program.length());
        char previous = '\n';
        int i = 0;
        while (i < program.length()) {
            char c = program.charAt(i);
            boolean regexStart = c == '/' && "\n(,{};!~&|=:?".indexOf(previous) >= 0;
            if (c == '"' || regexStart) {
                int end = i + 1;
                while (end < program.length() && program.charAt(end) != c) {
                    end += program.charAt(end) == '\\' ? 2 : 1;
                }
                if (end >= program.length()) {
                    return null;
                }
                out.append(" \"\" ");
                previous = '"';
                i = end + 1;
                continue;
            }
            out.append(c);
            if (!Character.isWhitespace(c) || c == '\n') {
                previous = c;
            }
            i++;
        }
        return out.toString();
    }
}
