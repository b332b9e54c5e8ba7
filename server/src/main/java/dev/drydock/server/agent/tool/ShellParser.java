package dev.drydock.server.agent.tool;

import dev.drydock.server.agent.tool.ShellSyntax.Kind;
import dev.drydock.server.agent.tool.ShellSyntax.Redirect;
import dev.drydock.server.agent.tool.ShellSyntax.Script;
import dev.drydock.server.agent.tool.ShellSyntax.ShellSyntaxException;
import dev.drydock.server.agent.tool.ShellSyntax.SimpleCommand;
import dev.drydock.server.agent.tool.ShellSyntax.Word;
import dev.drydock.server.agent.tool.ShellSyntax.Word.Text;
import dev.drydock.server.agent.tool.ShellTokenizer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns {@link ShellTokenizer} tokens into a {@link Script}: the simple commands of lists, pipelines,
 * subshells, groups, {@code if}/{@code while}/{@code until}/{@code for} bodies and conditions, in
 * source order. {@code case}, {@code coproc} and unbalanced parentheses are syntax errors here (the
 * classifier then fails closed).
 *
 * <p>{@code sh} may be dash, so where bash and a POSIX shell read a line differently the script holds
 * both readings: the inside of {@code [[ … ]]} is also parsed as plain commands (dash runs
 * {@code curl} in {@code [[ -z x || curl … ]]}), and words after {@code &>} also form a command of
 * their own (dash reads {@code ls &>/dev/null curl …} as {@code ls &} then {@code curl …}).
 */
final class ShellParser {
    /** Reserved words that open or close a compound command and are followed by a command. */
    private static final Set<String> SKIPPED_RESERVED =
            Set.of("{", "}", "!", "if", "then", "else", "elif", "fi", "do", "done", "while", "until");

    private final List<Token> tokens;
    /** Whether bash's {@code [[} is a keyword; false when reading tokens as a POSIX shell does. */
    private final boolean bashKeywords;
    /** Index in {@link #words} where a POSIX shell starts a new command after {@code &>}, or -1. */
    private int posixCommandStart = -1;

    private final List<SimpleCommand> commands = new ArrayList<>();
    private final List<Word> hereDocuments = new ArrayList<>();
    private Kind kind = Kind.COMMAND;
    private List<Word> words = new ArrayList<>();
    private List<Redirect> redirects = new ArrayList<>();
    private int i;

    private ShellParser(List<Token> tokens, boolean bashKeywords) {
        this.tokens = tokens;
        this.bashKeywords = bashKeywords;
    }

    /** The script of a whole command line. */
    static Script parse(String commandLine) {
        return parse(ShellTokenizer.tokenize(commandLine));
    }

    static Script parse(List<Token> tokens) {
        return new ShellParser(tokens, true).script();
    }

    private Script script() {
        int parens = 0;
        for (i = 0; i < tokens.size(); i++) {
            switch (tokens.get(i)) {
                case Token.WordToken w -> word(w.word());
                case Token.Redirection r -> redirect(r);
                case Token.HereDocument h -> hereDocuments.add(h.body());
                case Token.Operator op -> {
                    switch (op.op()) {
                        case "(" -> {
                            if (!words.isEmpty() || !redirects.isEmpty()) {
                                throw new ShellSyntaxException("unexpected '('");
                            }
                            parens++;
                        }
                        case ")" -> {
                            endCommand();
                            if (--parens < 0) {
                                throw new ShellSyntaxException("unmatched ')'");
                            }
                        }
                        case ";;" -> throw new ShellSyntaxException("';;' outside case");
                        default -> endCommand();
                    }
                }
            }
        }
        endCommand();
        if (parens != 0) {
            throw new ShellSyntaxException("unmatched '('");
        }
        return new Script(List.copyOf(commands), List.copyOf(hereDocuments));
    }

    private void word(Word w) {
        if (kind == Kind.COMMAND && words.isEmpty() && redirects.isEmpty()) {
            String reserved = reserved(w);
            if (SKIPPED_RESERVED.contains(reserved)) {
                return;
            }
            switch (reserved) {
                case "case", "coproc" -> throw new ShellSyntaxException("'" + reserved + "' is not supported");
                case "for", "select" -> kind = Kind.LOOP_HEADER;
                case "function" -> kind = Kind.FUNCTION_DEFINITION;
                case "[[" -> {
                    if (bashKeywords) {
                        kind = Kind.CONDITIONAL;
                        conditional(w);
                        return;
                    }
                }
                default -> {
                    if (isOperator(i + 1, "(") && isOperator(i + 2, ")")) {
                        kind = Kind.FUNCTION_DEFINITION;
                        i += 2;
                    }
                }
            }
        }
        words.add(w);
    }

    /** {@code [[ … ]]}: operators and redirection signs inside are words; nothing in it runs but its expansions. */
    private void conditional(Word open) {
        int start = i;
        words.add(open);
        for (i++; i < tokens.size(); i++) {
            switch (tokens.get(i)) {
                case Token.WordToken w -> {
                    words.add(w.word());
                    if (reserved(w.word()).equals("]]")) {
                        endCommand();
                        try {
                            commands.addAll(new ShellParser(tokens.subList(start, i + 1), false)
                                    .script()
                                    .commands());
                        } catch (ShellSyntaxException e) {
                            // A POSIX shell stops at this syntax error: the plain reading runs nothing more.
                        }
                        return;
                    }
                }
                case Token.Operator op -> words.add(Word.of(op.op()));
                case Token.Redirection r -> words.add(Word.of(r.fd() + r.op()));
                case Token.HereDocument h -> hereDocuments.add(h.body());
            }
        }
        throw new ShellSyntaxException("unterminated [[");
    }

    private void redirect(Token.Redirection r) {
        if (!(i + 1 < tokens.size() && tokens.get(i + 1) instanceof Token.WordToken target)) {
            throw new ShellSyntaxException("redirection " + r.op() + " without a target");
        }
        i++;
        redirects.add(new Redirect(r.op(), r.fd(), target.word()));
        if (r.op().startsWith("&>") && posixCommandStart < 0) {
            posixCommandStart = words.size();
        }
    }

    private void endCommand() {
        if (!words.isEmpty() || !redirects.isEmpty() || kind != Kind.COMMAND) {
            commands.add(new SimpleCommand(kind, List.copyOf(words), List.copyOf(redirects)));
        }
        if (posixCommandStart > 0 && posixCommandStart < words.size()) {
            commands.add(new SimpleCommand(
                    Kind.COMMAND, List.copyOf(words.subList(posixCommandStart, words.size())), List.copyOf(redirects)));
        }
        posixCommandStart = -1;
        kind = Kind.COMMAND;
        words = new ArrayList<>();
        redirects = new ArrayList<>();
    }

    private boolean isOperator(int at, String op) {
        return at < tokens.size() && tokens.get(at) instanceof Token.Operator o && o.op().equals(op);
    }

    /** The word's text when it is one unquoted literal (only those can be reserved words), else "". */
    private static String reserved(Word w) {
        return w.parts().size() == 1 && w.parts().getFirst() instanceof Text t && !t.quoted() ? t.value() : "";
    }
}
