package dev.drydock.server.agent.tool;

import static dev.drydock.server.agent.tool.CommandClassifier.max;

import dev.drydock.server.agent.event.Action.Risk;
import dev.drydock.server.agent.tool.ShellSyntax.Word;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Rules for programs that find, read and write files: {@code find}/{@code fd} (whose {@code -exec}
 * commands are classified), {@code rm}, the writers ({@code touch}, {@code mv}, {@code cp}, {@code tee}…,
 * judged by their targets), readers with options that write or run ({@code sort -o}, {@code rg --pre})
 * and {@code tar}.
 */
final class FileCommands {
    private FileCommands() {}

    /** {@code find}: {@code -exec}/{@code -ok} commands are classified with an unknown file name; {@code -delete} is destructive. */
    static Risk find(CommandClassifier rules, List<Word> args) {
        Risk r = Risk.READ_ONLY;
        for (int i = 0; i < args.size(); i++) {
            Word w = args.get(i);
            Optional<String> lit = w.literal();
            if (lit.isEmpty()) {
                if (w.couldBeOption()) {
                    return Risk.DESTRUCTIVE;
                }
                continue;
            }
            switch (lit.get()) {
                case "-delete" -> r = max(r, Risk.DESTRUCTIVE);
                case "-exec", "-execdir", "-ok", "-okdir" -> {
                    List<Word> command = new ArrayList<>();
                    int j = i + 1;
                    while (j < args.size()
                            && !args.get(j)
                                    .literal()
                                    .filter(t -> t.equals(";") || t.equals("+"))
                                    .isPresent()) {
                        command.add(args.get(j).toString().contains("{}") ? Word.UNKNOWN : args.get(j));
                        j++;
                    }
                    if (j >= args.size() || command.isEmpty()) {
                        return Risk.DESTRUCTIVE;
                    }
                    r = max(r, rules.invoke(command, true));
                    i = j;
                }
                case "-fprint", "-fprint0", "-fls", "-fprintf" -> {
                    r = max(r, i + 1 < args.size() ? rules.write(args.get(i + 1)) : Risk.DESTRUCTIVE);
                    i++;
                }
                default -> {}
            }
        }
        return r;
    }

    /** {@code fd}: {@code -x}/{@code -X} run the rest of the line per file. */
    static Risk fd(CommandClassifier rules, List<Word> args) {
        for (int i = 0; i < args.size(); i++) {
            Optional<String> lit = args.get(i).literal();
            if (lit.isEmpty() && args.get(i).couldBeOption()) {
                return Risk.DESTRUCTIVE;
            }
            if (lit.filter(l -> l.startsWith("--exec")).isPresent() && lit.get().contains("=")) {
                return Risk.DESTRUCTIVE;
            }
            if (lit.filter(l -> Set.of("-x", "--exec", "-X", "--exec-batch").contains(l))
                    .isPresent()) {
                List<Word> command = new ArrayList<>(args.subList(i + 1, args.size()));
                command.replaceAll(w -> w.toString().contains("{") ? Word.UNKNOWN : w);
                command.add(Word.UNKNOWN);
                return command.size() == 1 ? Risk.DESTRUCTIVE : rules.invoke(command, true);
            }
        }
        return Risk.READ_ONLY;
    }

    /** {@code rm}: recursive, forced, of {@code /} or a glob is destructive; so is any path outside the workspace. */
    static Risk rm(CommandClassifier rules, String name, List<Word> args) {
        Risk r = Risk.WRITES_WORKSPACE;
        for (Word w : args) {
            Optional<String> lit = w.literal();
            if (w.couldBeOption() && lit.isEmpty()) {
                return Risk.DESTRUCTIVE;
            }
            String a = lit.orElse("");
            if (name.equals("rm")
                    && (a.matches("-[a-zA-Z]*[rRf][a-zA-Z]*|--recursive|--force|--no-preserve-root")
                            || a.equals("/"))) {
                return Risk.DESTRUCTIVE;
            }
            if (!a.startsWith("-")) {
                r = max(r, rules.write(w));
            }
        }
        return r;
    }

    /** Programs that write every operand ({@code touch}, {@code mkdir}, {@code mv}, {@code ln}, {@code tee}). */
    static Risk writesEach(CommandClassifier rules, String name, List<Word> args) {
        Risk r = name.equals("tee") ? Risk.READ_ONLY : Risk.WRITES_WORKSPACE;
        for (Word w : args) {
            if (!w.literal().filter(l -> l.startsWith("-")).isPresent()) {
                r = max(r, rules.write(w));
            }
        }
        return r;
    }

    /** {@code chmod}: recursive is destructive; the first operand is the mode, the others are written. */
    static Risk chmod(CommandClassifier rules, List<Word> args) {
        Risk r = Risk.WRITES_WORKSPACE;
        boolean mode = true;
        for (Word w : args) {
            Optional<String> lit = w.literal();
            if (lit.filter(l -> l.matches("-[a-zA-Z]*R[a-zA-Z]*|--recursive")).isPresent()) {
                return Risk.DESTRUCTIVE;
            }
            if (lit.filter(l -> l.matches("-[cfv]+|--(changes|silent|quiet|verbose|reference=.*)"))
                    .isPresent()) {
                continue;
            }
            if (mode) {
                mode = false;
            } else {
                r = max(r, rules.write(w));
            }
        }
        return r;
    }

    /** {@code cp}/{@code install}: the destination (last operand, or {@code -t DIR}) is written. */
    static Risk copy(CommandClassifier rules, List<Word> args) {
        Word destination = null;
        for (int i = 0; i < args.size(); i++) {
            Word w = args.get(i);
            Optional<String> lit = w.literal();
            if (lit.isEmpty() && w.couldBeOption()) {
                return Risk.DESTRUCTIVE;
            }
            String a = lit.orElse("");
            if (a.equals("-t") || a.equals("--target-directory")) {
                return i + 1 < args.size() ? rules.write(args.get(i + 1)) : Risk.DESTRUCTIVE;
            }
            if (a.startsWith("--target-directory=")) {
                return rules.write(Word.of(a.substring(a.indexOf('=') + 1)));
            }
            if (!a.startsWith("-")) {
                destination = w;
            }
        }
        return destination == null ? Risk.WRITES_WORKSPACE : max(Risk.WRITES_WORKSPACE, rules.write(destination));
    }

    /** A reading program with options that write a file or are destructive; options only known at run time fail closed. */
    static Risk readerWith(CommandClassifier rules, List<Word> args, Set<String> writing, Set<String> destructive) {
        Risk r = Risk.READ_ONLY;
        for (int i = 0; i < args.size(); i++) {
            Word w = args.get(i);
            Optional<String> lit = w.literal();
            if (lit.isEmpty()) {
                if (w.couldBeOption()) {
                    return Risk.DESTRUCTIVE;
                }
                continue;
            }
            String o = lit.get();
            if (o.equals("--")) {
                break;
            }
            String key = o.contains("=") ? o.substring(0, o.indexOf('=')) : o;
            if (destructive.contains(key)
                    || destructive.stream().anyMatch(d -> d.length() == 2 && !o.startsWith("--") && o.startsWith(d))) {
                return Risk.DESTRUCTIVE;
            }
            for (String option : writing) {
                if (key.equals(option)) {
                    r = max(
                            r,
                            o.contains("=")
                                    ? rules.write(Word.of(o.substring(o.indexOf('=') + 1)))
                                    : i + 1 < args.size() ? rules.write(args.get(i + 1)) : Risk.DESTRUCTIVE);
                } else if (option.length() == 2
                        && !o.startsWith("--")
                        && o.startsWith("-")
                        && o.indexOf(option.charAt(1)) > 0) {
                    int at = o.indexOf(option.charAt(1));
                    r = max(
                            r,
                            at + 1 < o.length()
                                    ? rules.write(Word.of(o.substring(at + 1)))
                                    : i + 1 < args.size() ? rules.write(args.get(i + 1)) : Risk.DESTRUCTIVE);
                }
            }
        }
        return r;
    }

    /** {@code uniq IN OUT}, {@code xxd IN OUT}: the second operand is written. */
    static Risk secondOperandWritten(CommandClassifier rules, List<Word> args) {
        List<Word> operands = new ArrayList<>();
        for (Word w : args) {
            if (w.couldBeOption()) {
                if (w.literal().isEmpty()) {
                    return Risk.DESTRUCTIVE;
                }
            } else {
                operands.add(w);
            }
        }
        return operands.size() >= 2 ? rules.write(operands.get(1)) : Risk.READ_ONLY;
    }

    /** {@code tar}: options that run commands are destructive; anything else writes the workspace ({@code -C} outside: destructive). */
    static Risk tar(CommandClassifier rules, List<Word> args) {
        Risk r = Risk.WRITES_WORKSPACE;
        for (int i = 0; i < args.size(); i++) {
            Optional<String> lit = args.get(i).literal();
            if (lit.isEmpty()) {
                if (args.get(i).couldBeOption()) {
                    return Risk.DESTRUCTIVE;
                }
                continue;
            }
            String o = lit.get();
            if (o.matches(
                            "--(to-command|use-compress-program|checkpoint-action|info-script|new-volume-script|rsh-command|rmt-command).*")
                    || o.matches("-[a-zA-Z]*[IFP][a-zA-Z]*")
                    || o.equals("--absolute-names")) {
                return Risk.DESTRUCTIVE;
            }
            if (o.equals("-C") || o.equals("--directory") || o.equals("--file") || o.matches("-?[a-zA-Z]*f")) {
                r = max(r, i + 1 < args.size() ? rules.write(args.get(i + 1)) : Risk.DESTRUCTIVE);
            }
        }
        return r;
    }
}
