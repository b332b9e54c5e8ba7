package dev.drydock.server.agent.tool;

import dev.drydock.server.agent.tool.ShellSyntax.Script;
import dev.drydock.server.agent.tool.ShellSyntax.ShellSyntaxException;
import dev.drydock.server.agent.tool.ShellSyntax.Word;
import dev.drydock.server.agent.tool.ShellSyntax.Word.Expansion;
import dev.drydock.server.agent.tool.ShellSyntax.Word.Part;
import dev.drydock.server.agent.tool.ShellSyntax.Word.Text;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Splits a POSIX {@code sh} command line (plus the bash forms an agent writes: {@code &>},
 * {@code <<<}, {@code $'…'}, {@code <(…)}) into words, operators and redirections, following the
 * shell's quoting rules. Command substitutions ({@code $(…)}, backticks, {@code <(…)}) are parsed into
 * scripts on the way, so their commands can be classified like any other. Anything it cannot read
 * (an unterminated quote, an unmatched parenthesis) is a {@link ShellSyntaxException}.
 */
final class ShellTokenizer {
    private static final int MAX_DEPTH = 32;
    private static final String[] OPERATORS = {"&&", "||", ";;", "|&", "|", "&", ";"};
    private static final String[] REDIRECTIONS = {
        "&>>", "&>", "<<<", "<<-", "<<", "<>", "<&", ">>", ">&", ">|", ">", "<"
    };

    /** One token: a word, a control operator ({@code ; & | && || ( )} or a newline), a redirection or a here-document body. */
    sealed interface Token {
        record WordToken(Word word) implements Token {}

        record Operator(String op) implements Token {}

        record Redirection(String op, String fd) implements Token {}

        /** The body of a here-document; its expansions run unless the delimiter was quoted. */
        record HereDocument(Word body) implements Token {}
    }

    private final String s;
    private final int depth;
    private int pos;
    /** How deep {@code ${…}} and quotes inside it nest right now; bounded like substitutions. */
    private int braces;

    private final List<PendingHereDocument> pendingHereDocuments = new ArrayList<>();

    private record PendingHereDocument(String delimiter, boolean expands, boolean stripTabs) {}

    private ShellTokenizer(String s, int pos, int depth) {
        if (depth > MAX_DEPTH) {
            throw new ShellSyntaxException("substitutions nested too deeply");
        }
        this.s = s;
        this.pos = pos;
        this.depth = depth;
    }

    /** The tokens of a whole command line. */
    static List<Token> tokenize(String commandLine) {
        return new ShellTokenizer(commandLine, 0, 0).tokens(false);
    }

    private List<Token> tokens(boolean untilClosingParen) {
        List<Token> out = new ArrayList<>();
        int parens = 0;
        while (true) {
            skipBlanks();
            if (pos >= s.length()) {
                if (untilClosingParen) {
                    throw new ShellSyntaxException("unterminated $(");
                }
                if (!pendingHereDocuments.isEmpty()) {
                    readHereDocuments(out);
                }
                return out;
            }
            char c = s.charAt(pos);
            if (c == '#') {
                while (pos < s.length() && s.charAt(pos) != '\n') {
                    pos++;
                }
                continue;
            }
            if (c == '\n') {
                pos++;
                out.add(new Token.Operator("\n"));
                readHereDocuments(out);
                continue;
            }
            if (c == ')') {
                pos++;
                if (untilClosingParen && parens == 0) {
                    if (!pendingHereDocuments.isEmpty()) {
                        throw new ShellSyntaxException("here-document not terminated inside $(…)");
                    }
                    return out;
                }
                parens--;
                out.add(new Token.Operator(")"));
                continue;
            }
            if (c == '(' && s.startsWith("((", pos)) {
                pos += 2;
                String arithmetic = balanced('(', ')', 2);
                out.add(new Token.WordToken(new Word(List.of(
                        new Expansion(Expansion.Kind.ARITHMETIC, "((" + arithmetic + "))", false, List.of())))));
                continue;
            }
            if (c == '(') {
                pos++;
                parens++;
                out.add(new Token.Operator("("));
                continue;
            }
            if ((c == '<' || c == '>') && pos + 1 < s.length() && s.charAt(pos + 1) == '(') {
                out.add(new Token.WordToken(word()));
                continue;
            }
            String redirection = redirection();
            if (redirection != null) {
                int fdEnd = fdEnd(redirection);
                out.add(new Token.Redirection(redirection.substring(fdEnd), redirection.substring(0, fdEnd)));
                String op = redirection.substring(fdEnd);
                if (op.equals("<<") || op.equals("<<-")) {
                    skipBlanks();
                    Word delimiter = word();
                    out.add(new Token.WordToken(delimiter));
                    boolean quoted = delimiter.parts().stream().anyMatch(p -> !(p instanceof Text t) || t.quoted());
                    pendingHereDocuments.add(new PendingHereDocument(delimiter.toString(), !quoted, op.equals("<<-")));
                }
                continue;
            }
            String operator = operator();
            if (operator != null) {
                out.add(new Token.Operator(operator));
                continue;
            }
            out.add(new Token.WordToken(word()));
        }
    }

    private static int fdEnd(String redirection) {
        int i = 0;
        while (i < redirection.length() && Character.isDigit(redirection.charAt(i))) {
            i++;
        }
        return i;
    }

    private void skipBlanks() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == ' ' || c == '\t') {
                pos++;
            } else if (c == '\\' && pos + 1 < s.length() && s.charAt(pos + 1) == '\n') {
                pos += 2;
            } else {
                return;
            }
        }
    }

    private @Nullable String operator() {
        for (String op : OPERATORS) {
            if (s.startsWith(op, pos)) {
                pos += op.length();
                return op;
            }
        }
        return null;
    }

    /** A redirection operator with its optional file-descriptor number ({@code 2>}), or null. */
    private @Nullable String redirection() {
        int i = pos;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        for (String op : REDIRECTIONS) {
            if (s.startsWith(op, i)) {
                String found = s.substring(pos, i) + op;
                pos = i + op.length();
                return found;
            }
        }
        return null;
    }

    /** One word, up to the first unquoted blank or operator character. */
    private Word word() {
        List<Part> parts = new ArrayList<>();
        StringBuilder plain = new StringBuilder();
        if (pos + 1 < s.length() && (s.charAt(pos) == '<' || s.charAt(pos) == '>') && s.charAt(pos + 1) == '(') {
            pos += 2;
            Script inner = ShellParser.parse(new ShellTokenizer(s, pos, depth + 1).tokensInto(this));
            parts.add(new Expansion(Expansion.Kind.COMMAND, "<(…)", false, List.of(inner)));
        }
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (" \t\n;&|()<>".indexOf(c) >= 0) {
                break;
            }
            if (c == '\\') {
                if (pos + 1 >= s.length()) {
                    throw new ShellSyntaxException("a backslash ends the command");
                }
                pos += 2;
                if (s.charAt(pos - 1) != '\n') {
                    flush(parts, plain);
                    parts.add(new Text(String.valueOf(s.charAt(pos - 1)), true));
                }
            } else if (c == '\'') {
                flush(parts, plain);
                int end = s.indexOf('\'', pos + 1);
                if (end < 0) {
                    throw new ShellSyntaxException("unterminated single quote");
                }
                parts.add(new Text(s.substring(pos + 1, end), true));
                pos = end + 1;
            } else if (c == '"') {
                flush(parts, plain);
                pos++;
                parts.addAll(doubleQuoted());
            } else if (c == '$' || c == '`') {
                Part p = dollarOrBacktick(false);
                if (p instanceof Text t && !t.quoted()) {
                    plain.append(t.value());
                } else {
                    flush(parts, plain);
                    parts.add(p);
                }
            } else {
                plain.append(c);
                pos++;
            }
        }
        flush(parts, plain);
        if (parts.isEmpty()) {
            throw new ShellSyntaxException(
                    pos < s.length() ? "unexpected '" + s.charAt(pos) + "'" : "a word is missing at the end");
        }
        return new Word(List.copyOf(parts));
    }

    private static void flush(List<Part> parts, StringBuilder plain) {
        if (!plain.isEmpty()) {
            parts.add(new Text(plain.toString(), false));
            plain.setLength(0);
        }
    }

    /** The inside of {@code "…"}, after the opening quote; consumes the closing one. */
    private List<Part> doubleQuoted() {
        List<Part> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        while (true) {
            if (pos >= s.length()) {
                throw new ShellSyntaxException("unterminated double quote");
            }
            char c = s.charAt(pos);
            if (c == '"') {
                pos++;
                break;
            }
            if (c == '\\' && pos + 1 < s.length() && "$`\"\\\n".indexOf(s.charAt(pos + 1)) >= 0) {
                if (s.charAt(pos + 1) != '\n') {
                    text.append(s.charAt(pos + 1));
                }
                pos += 2;
            } else if (c == '$' || c == '`') {
                Part p = dollarOrBacktick(true);
                if (p instanceof Text t) {
                    text.append(t.value());
                } else {
                    if (!text.isEmpty()) {
                        parts.add(new Text(text.toString(), true));
                        text.setLength(0);
                    }
                    parts.add(p);
                }
            } else {
                text.append(c);
                pos++;
            }
        }
        if (!text.isEmpty() || parts.isEmpty()) {
            parts.add(new Text(text.toString(), true));
        }
        return parts;
    }

    /** An expansion starting at {@code $} or a backtick; a lone {@code $} is text. */
    private Part dollarOrBacktick(boolean inDoubleQuotes) {
        int start = pos;
        if (s.charAt(pos) == '`') {
            pos++;
            StringBuilder inner = new StringBuilder();
            while (true) {
                if (pos >= s.length()) {
                    throw new ShellSyntaxException("unterminated backtick");
                }
                char c = s.charAt(pos);
                if (c == '`') {
                    pos++;
                    break;
                }
                if (c == '\\'
                        && pos + 1 < s.length()
                        && ("$`\\".indexOf(s.charAt(pos + 1)) >= 0 || (inDoubleQuotes && s.charAt(pos + 1) == '"'))) {
                    inner.append(s.charAt(pos + 1));
                    pos += 2;
                } else {
                    inner.append(c);
                    pos++;
                }
            }
            Script script = ShellParser.parse(new ShellTokenizer(inner.toString(), 0, depth + 1).tokens(false));
            return new Expansion(Expansion.Kind.COMMAND, s.substring(start, pos), inDoubleQuotes, List.of(script));
        }
        pos++;
        if (pos >= s.length()) {
            return new Text("$", inDoubleQuotes);
        }
        char c = s.charAt(pos);
        if (c == '(' && s.startsWith("((", pos)) {
            pos += 2;
            String arithmetic = balanced('(', ')', 2);
            return new Expansion(Expansion.Kind.ARITHMETIC, arithmetic, inDoubleQuotes, List.of());
        }
        if (c == '(') {
            pos++;
            Script script = ShellParser.parse(new ShellTokenizer(s, pos, depth + 1).tokensInto(this));
            return new Expansion(Expansion.Kind.COMMAND, s.substring(start, pos), inDoubleQuotes, List.of(script));
        }
        if (c == '{') {
            pos++;
            List<Script> scripts = new ArrayList<>();
            braced(scripts);
            return new Expansion(
                    Expansion.Kind.PARAMETER, s.substring(start, pos), inDoubleQuotes, List.copyOf(scripts));
        }
        if (c == '\'' && !inDoubleQuotes) {
            int end = pos + 1;
            while (end < s.length() && s.charAt(end) != '\'') {
                end += s.charAt(end) == '\\' ? 2 : 1;
            }
            if (end >= s.length()) {
                throw new ShellSyntaxException("unterminated $'");
            }
            String body = s.substring(pos + 1, end);
            pos = end + 1;
            return body.indexOf('\\') >= 0
                    ? new Expansion(Expansion.Kind.OPAQUE, s.substring(start, pos), true, List.of())
                    : new Text(body, true);
        }
        if (c == '"' && !inDoubleQuotes) {
            pos++;
            List<Part> inner = doubleQuoted();
            return inner.size() == 1
                    ? inner.getFirst()
                    : new Expansion(Expansion.Kind.OPAQUE, s.substring(start, pos), true, scriptsOf(inner));
        }
        if (Character.isLetter(c) || c == '_') {
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                pos++;
            }
            return new Expansion(Expansion.Kind.PARAMETER, s.substring(start, pos), inDoubleQuotes, List.of());
        }
        if (Character.isDigit(c) || "@*#?-$!".indexOf(c) >= 0) {
            pos++;
            return new Expansion(Expansion.Kind.PARAMETER, s.substring(start, pos), inDoubleQuotes, List.of());
        }
        return new Text("$", inDoubleQuotes);
    }

    private static List<Script> scriptsOf(List<Part> parts) {
        return parts.stream()
                .flatMap(p -> p instanceof Expansion e ? e.scripts().stream() : java.util.stream.Stream.empty())
                .toList();
    }

    /** The inside of {@code ${…}}, after the brace; collects the scripts of substitutions in it. */
    private void braced(List<Script> scripts) {
        if (++this.braces > MAX_DEPTH) {
            throw new ShellSyntaxException("${…} nested too deeply");
        }
        int braces = 1;
        while (true) {
            if (pos >= s.length()) {
                throw new ShellSyntaxException("unterminated ${");
            }
            char c = s.charAt(pos);
            if (c == '}' && --braces == 0) {
                pos++;
                this.braces--;
                return;
            }
            if (c == '{') {
                braces++;
                pos++;
            } else if (c == '\\') {
                pos += 2;
            } else if (c == '\'') {
                int end = s.indexOf('\'', pos + 1);
                if (end < 0) {
                    throw new ShellSyntaxException("unterminated single quote");
                }
                pos = end + 1;
            } else if (c == '"') {
                pos++;
                scripts.addAll(scriptsOf(doubleQuoted()));
            } else if (c == '$' || c == '`') {
                Part p = dollarOrBacktick(false);
                if (p instanceof Expansion e) {
                    scripts.addAll(e.scripts());
                }
            } else {
                pos++;
            }
        }
    }

    /** Text up to the matching close of {@code open} already {@code opened} times; consumes the closers. */
    private String balanced(char open, char close, int opened) {
        int start = pos;
        int level = opened;
        while (pos < s.length()) {
            char c = s.charAt(pos++);
            if (c == open) {
                level++;
            } else if (c == close && --level == 0) {
                return s.substring(start, pos - opened);
            }
        }
        throw new ShellSyntaxException("unterminated arithmetic");
    }

    /** Tokens of a nested {@code $(…)} read from the parent's text; moves the parent past the closing parenthesis. */
    private List<Token> tokensInto(ShellTokenizer parent) {
        List<Token> tokens = tokens(true);
        parent.pos = pos;
        return tokens;
    }

    /** Reads the bodies of the here-documents opened on the line just ended. */
    private void readHereDocuments(List<Token> out) {
        for (PendingHereDocument doc : pendingHereDocuments) {
            StringBuilder body = new StringBuilder();
            boolean terminated = false;
            while (pos < s.length()) {
                int end = s.indexOf('\n', pos);
                String line = s.substring(pos, end < 0 ? s.length() : end);
                pos = end < 0 ? s.length() : end + 1;
                String compared = doc.stripTabs() ? line.replaceFirst("^\t+", "") : line;
                if (compared.equals(doc.delimiter())) {
                    terminated = true;
                    break;
                }
                body.append(compared).append('\n');
            }
            if (!terminated) {
                throw new ShellSyntaxException("here-document not terminated by " + doc.delimiter());
            }
            out.add(new Token.HereDocument(doc.expands() ? expandedBody(body.toString()) : Word.of(body.toString())));
        }
        pendingHereDocuments.clear();
    }

    /** A here-document body as the shell expands it: like the inside of double quotes, up to the end. */
    private Word expandedBody(String body) {
        ShellTokenizer inner =
                new ShellTokenizer(body.replace("\\\"", "\\\\\"").replace("\"", "\\\"") + "\"", 0, depth + 1);
        return new Word(inner.doubleQuoted());
    }
}
