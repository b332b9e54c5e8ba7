package dev.drydock.server.agent.tool;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The small syntax tree {@link ShellParser} builds from a POSIX {@code sh} command line: a script is
 * the simple commands it runs, in source order, whatever list, pipeline, subshell or group holds them
 * (risk is the riskiest of all of them, so the shape between them does not matter).
 */
final class ShellSyntax {
    private ShellSyntax() {}

    /** A command line, or the inside of a {@code $(…)}, backticks or {@code <(…)}. */
    record Script(List<SimpleCommand> commands, List<Word> hereDocuments) {}

    /** What a simple command is; everything but {@link #COMMAND} is a construct the classifier treats whole. */
    enum Kind {
        /** Assignments, a program and its arguments. */
        COMMAND,
        /** {@code for NAME in WORDS} or {@code select …}: the words are expanded, nothing is run. */
        LOOP_HEADER,
        /** {@code [[ … ]]}: words and operators, nothing is run. */
        CONDITIONAL,
        /** {@code name() …} or {@code function name}: later words may mean something else. */
        FUNCTION_DEFINITION
    }

    /** One simple command: its words (assignments first, then the program and arguments) and redirections. */
    record SimpleCommand(Kind kind, List<Word> words, List<Redirect> redirects) {}

    /** A redirection such as {@code 2>&1}, {@code >> log} or {@code <<EOF}: operator, optional fd, target word. */
    record Redirect(String operator, String fd, Word target) {
        /** Whether it opens its target as a file (for reading or writing), rather than a descriptor or a here-document. */
        boolean opensFile() {
            return switch (operator) {
                case "<", "<>", ">", ">>", ">|", "&>", "&>>" -> true;
                case ">&", "<&" ->
                    target.literal().map(t -> !t.matches("[0-9]+-?|-")).orElse(true);
                default -> false;
            };
        }

        /** Whether it opens its target for writing (a file, unless the target is a file descriptor). */
        boolean writes() {
            return switch (operator) {
                case ">", ">>", ">|", "&>", "&>>", "<>" -> true;
                case ">&" -> target.literal().map(t -> !t.matches("[0-9]+-?|-")).orElse(true);
                default -> false;
            };
        }
    }

    /** A syntax error, or a construct the parser does not model; the classifier fails closed on it. */
    static final class ShellSyntaxException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ShellSyntaxException(String message) {
            super(message);
        }
    }

    /** One shell word as written: literal text and expansions, with what quoting they had. */
    record Word(List<Part> parts) {
        private static final Pattern ASSIGNMENT =
                Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(\\[[^]]*])?\\+?=(.*)", Pattern.DOTALL);
        private static final Pattern BRACE_EXPANSION = Pattern.compile("\\{[^{}]*(,|\\.\\.)[^{}]*}");

        /** A word whose value is unknown and may be several words (an argument appended by {@code xargs}, a file name from {@code find}). */
        static final Word UNKNOWN =
                new Word(List.of(new Expansion(Expansion.Kind.PARAMETER, "$unknown", false, List.of())));

        sealed interface Part {}

        /** Characters taken literally; {@code quoted} when quotes or a backslash kept them from globbing. */
        record Text(String value, boolean quoted) implements Part {}

        /** A parameter, command or arithmetic expansion; {@code scripts} are the commands it runs. */
        record Expansion(Kind kind, String source, boolean quoted, List<Script> scripts) implements Part {
            enum Kind {
                PARAMETER,
                COMMAND,
                ARITHMETIC,
                /** Text the tokenizer does not decode ({@code $'\x41'}): its value is unknown. */
                OPAQUE
            }
        }

        static Word of(String literal) {
            return new Word(List.of(new Text(literal, true)));
        }

        /** The word's value when it is fixed: no expansion, no glob, brace expansion or tilde in it. */
        Optional<String> literal() {
            StringBuilder value = new StringBuilder();
            StringBuilder unquotedView = new StringBuilder();
            for (Part p : parts) {
                if (!(p instanceof Text t)) {
                    return Optional.empty();
                }
                value.append(t.value());
                unquotedView.append(t.quoted() ? "q".repeat(t.value().length()) : t.value());
            }
            String view = unquotedView.toString();
            int bracket = view.indexOf('[');
            boolean expands = view.indexOf('*') >= 0
                    || view.indexOf('?') >= 0
                    || (bracket >= 0 && view.indexOf(']', bracket + 1) > bracket)
                    || view.startsWith("~")
                    || BRACE_EXPANSION.matcher(view).find();
            return expands ? Optional.empty() : Optional.of(value.toString());
        }

        /**
         * Whether the word can expand to something starting with {@code -} (or to several words): an
         * unknown value, an unquoted expansion (split into words) or a glob with no fixed first character.
         */
        boolean couldBeOption() {
            Optional<String> lit = literal();
            if (lit.isPresent()) {
                return lit.get().startsWith("-");
            }
            for (Part p : parts) {
                if (p instanceof Expansion e && !e.quoted()) {
                    return true;
                }
            }
            for (Part p : parts) {
                if (p instanceof Text t && t.value().isEmpty()) {
                    continue;
                }
                if (p instanceof Text t) {
                    char c = t.value().charAt(0);
                    return c == '-' || (!t.quoted() && "*?[{".indexOf(c) >= 0);
                }
                return true;
            }
            return true;
        }

        /** Every script the word runs when it is expanded, however deeply nested. */
        List<Script> scripts() {
            List<Script> all = new ArrayList<>();
            for (Part p : parts) {
                if (p instanceof Expansion e) {
                    all.addAll(e.scripts());
                }
            }
            return all;
        }

        /**
         * Whether expanding the word evaluates arithmetic on names (bash evaluates {@code a[$(cmd)]} found in
         * a variable's value there) or indexes an array: anything beyond numbers and operators.
         */
        boolean evaluatesNames() {
            for (Part p : parts) {
                if (p instanceof Expansion e
                        && ((e.kind() == Expansion.Kind.ARITHMETIC
                                        && !e.source().matches("[0-9\\s+*/%<>=!&|^~?:()-]*"))
                                || (e.kind() == Expansion.Kind.PARAMETER
                                        && e.source().contains("[")))) {
                    return true;
                }
            }
            return false;
        }

        /** {@code NAME=value} (or {@code NAME+=value}, {@code NAME[i]=value}) when the word is an assignment. */
        Optional<Assignment> assignment() {
            if (parts.isEmpty() || !(parts.getFirst() instanceof Text first) || first.quoted()) {
                return Optional.empty();
            }
            Matcher m = ASSIGNMENT.matcher(first.value());
            if (!m.matches()) {
                return Optional.empty();
            }
            List<Part> value = new ArrayList<>();
            if (!m.group(3).isEmpty()) {
                value.add(new Text(m.group(3), false));
            }
            value.addAll(parts.subList(1, parts.size()));
            return Optional.of(new Assignment(m.group(1), m.group(2) != null, new Word(value)));
        }

        /** Source-like text for messages and tests. */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            parts.forEach(p -> sb.append(p instanceof Text t ? t.value() : ((Expansion) p).source()));
            return sb.toString();
        }
    }

    /** {@code name=value}; {@code indexed} for {@code name[i]=…}, whose subscript bash evaluates. */
    record Assignment(String name, boolean indexed, Word value) {}
}
