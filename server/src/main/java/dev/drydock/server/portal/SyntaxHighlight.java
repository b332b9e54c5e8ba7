package dev.drydock.server.portal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Syntax highlighting on the server, one line at a time: comments, strings, numbers and keywords of
 * the file's language (chosen by its extension) become segments with a CSS class; the page escapes
 * their text like any other. No script and no library: the review tab works with JavaScript off.
 * Multi-line comments and strings are coloured only on the line where they open (a diff shows lines
 * out of their file's context anyway).
 */
final class SyntaxHighlight {
    /** A run of text and the class that colours it ({@code ""} for plain text). */
    record Segment(String css, String text) {}

    private static final Set<String> C_LIKE = Set.of(
            "java", "kt", "kts", "scala", "groovy", "js", "mjs", "cjs", "jsx", "ts", "tsx", "go", "c", "h", "cc", "cpp",
            "hpp", "cs", "rs", "swift", "php", "css", "scss");
    private static final Set<String> HASH = Set.of(
            "py", "sh", "bash", "rb", "pl", "yaml", "yml", "toml", "properties", "conf", "r", "mk", "cfg", "ini");
    private static final Set<String> KEYWORDS = Set.of(
            // Java, Kotlin, C-family, C#, Rust, Go, JS/TS
            "abstract",
            "async",
            "await",
            "boolean",
            "break",
            "byte",
            "case",
            "catch",
            "char",
            "class",
            "const",
            "continue",
            "default",
            "defer",
            "do",
            "double",
            "else",
            "enum",
            "export",
            "extends",
            "false",
            "final",
            "finally",
            "float",
            "fn",
            "for",
            "func",
            "function",
            "go",
            "if",
            "impl",
            "implements",
            "import",
            "in",
            "instanceof",
            "int",
            "interface",
            "let",
            "long",
            "match",
            "mod",
            "mut",
            "new",
            "null",
            "package",
            "private",
            "protected",
            "pub",
            "public",
            "record",
            "return",
            "sealed",
            "short",
            "static",
            "struct",
            "super",
            "switch",
            "this",
            "throw",
            "throws",
            "trait",
            "true",
            "try",
            "type",
            "typeof",
            "use",
            "var",
            "void",
            "volatile",
            "while",
            "yield",
            "val",
            "fun",
            "object",
            "when",
            "nil",
            "map",
            "chan",
            "range",
            "select",
            "string",
            "undefined",
            "self",
            "Self",
            "where",
            "permits",
            "non-sealed",
            // Python, Ruby, shell
            "and",
            "as",
            "assert",
            "def",
            "del",
            "elif",
            "except",
            "from",
            "global",
            "is",
            "lambda",
            "None",
            "nonlocal",
            "not",
            "or",
            "pass",
            "raise",
            "True",
            "False",
            "with",
            "end",
            "module",
            "require",
            "then",
            "fi",
            "esac",
            "done",
            "echo",
            "unless",
            "begin",
            "rescue",
            "elsif");
    private static final Pattern C_TOKENS = Pattern.compile(
            "(?<comment>//.*|/\\*.*?(\\*/|$))|(?<str>\"(?:\\\\.|[^\"\\\\])*\"?|'(?:\\\\.|[^'\\\\])*'?|`[^`]*`?)|(?<num>\\b\\d[\\d_]*(\\.\\d+)?[a-zA-Z]?\\b)|(?<word>[A-Za-z_$][A-Za-z0-9_$]*)");
    private static final Pattern HASH_TOKENS = Pattern.compile(
            "(?<comment>#.*)|(?<str>\"(?:\\\\.|[^\"\\\\])*\"?|'(?:\\\\.|[^'\\\\])*'?)|(?<num>\\b\\d[\\d_]*(\\.\\d+)?\\b)|(?<word>[A-Za-z_][A-Za-z0-9_]*)");

    private SyntaxHighlight() {}

    /** The tokenizer for a path, or null when its language is not known (the line stays plain). */
    static @Nullable Pattern tokensFor(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        if (name.equals("makefile") || name.equals("dockerfile")) {
            return HASH_TOKENS;
        }
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1);
        return C_LIKE.contains(ext) ? C_TOKENS : HASH.contains(ext) ? HASH_TOKENS : null;
    }

    /** The line's segments; one plain segment when {@code tokens} is null. */
    static List<Segment> line(String text, @Nullable Pattern tokens) {
        List<Segment> out = new ArrayList<>();
        if (tokens == null || text.isEmpty()) {
            out.add(new Segment("", text));
            return out;
        }
        Matcher m = tokens.matcher(text);
        int at = 0;
        StringBuilder plain = new StringBuilder();
        while (m.find()) {
            plain.append(text, at, m.start());
            String css = m.group("comment") != null
                    ? "tok-comment"
                    : m.group("str") != null
                            ? "tok-string"
                            : m.group("num") != null ? "tok-number" : KEYWORDS.contains(m.group()) ? "tok-keyword" : "";
            if (css.isEmpty()) {
                plain.append(m.group());
            } else {
                if (!plain.isEmpty()) {
                    out.add(new Segment("", plain.toString()));
                    plain.setLength(0);
                }
                out.add(new Segment(css, m.group()));
            }
            at = m.end();
        }
        plain.append(text, at, text.length());
        if (!plain.isEmpty() || out.isEmpty()) {
            out.add(new Segment("", plain.toString()));
        }
        return out;
    }
}
