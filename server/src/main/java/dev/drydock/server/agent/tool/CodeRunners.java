package dev.drydock.server.agent.tool;

import static dev.drydock.server.agent.tool.CommandClassifier.max;

import dev.drydock.server.agent.event.Action.Risk;
import dev.drydock.server.agent.tool.ShellSyntax.Assignment;
import dev.drydock.server.agent.tool.ShellSyntax.Word;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Rules for programs that run code given to them: shells ({@code -c}, scripts, stdin), interpreters
 * ({@code python -c}, {@code perl -e}…), {@code awk} and {@code sed} programs, {@code make}, build
 * tools and package managers. Inline code they cannot read is destructive; code from a workspace
 * file is workspace code.
 */
final class CodeRunners {
    /** Interpreters and the options that give them code to run inline. */
    static final Map<String, Set<String>> INLINE_CODE = Map.ofEntries(
            Map.entry("python", Set.of("-c")),
            Map.entry("perl", Set.of("-e", "-E")),
            Map.entry("ruby", Set.of("-e")),
            Map.entry("node", Set.of("-e", "-p", "--eval", "--print")),
            Map.entry("nodejs", Set.of("-e", "-p", "--eval", "--print")),
            Map.entry("bun", Set.of("-e", "-p", "--eval", "--print")),
            Map.entry("deno", Set.of("eval")),
            Map.entry("php", Set.of("-r")),
            Map.entry("lua", Set.of("-e")),
            Map.entry("rscript", Set.of("-e")),
            Map.entry("expect", Set.of("-c")),
            Map.entry("tclsh", Set.of()),
            Map.entry("jshell", Set.of()),
            Map.entry("groovy", Set.of("-e")),
            Map.entry("osascript", Set.of("-e")));
    /** Options of those interpreters that take the next word as their value. */
    private static final Map<String, Set<String>> VALUED_INTERPRETER_OPTIONS = Map.of(
            "python", Set.of("-W", "-X", "--check-hash-based-pycs"),
            "node", Set.of("-r", "--require", "--import", "--loader", "--experimental-loader", "-C", "--conditions"),
            "nodejs", Set.of("-r", "--require", "--import", "--loader", "--experimental-loader", "-C", "--conditions"),
            "ruby", Set.of("-I", "-r", "-C"));

    private static final Set<String> INSTALL_VERBS = Set.of(
            "install",
            "i",
            "add",
            "ci",
            "publish",
            "get",
            "download",
            "update",
            "upgrade",
            "pull",
            "push",
            "login",
            "exec",
            "x",
            "dlx",
            "fetch",
            "sync",
            "lock");

    private CodeRunners() {}

    /** {@code sh}/{@code bash}: {@code -c STRING} is classified; a script file is workspace code; no script reads commands from stdin. */
    static Risk shell(CommandClassifier rules, List<Word> args) {
        boolean inline = false;
        boolean stdin = false;
        int i = 0;
        while (i < args.size()) {
            Optional<String> lit = args.get(i).literal();
            if (lit.isEmpty()) {
                return Risk.DESTRUCTIVE;
            }
            String o = lit.get();
            if (o.equals("--")) {
                i++;
                break;
            }
            if (o.equals("--norc")
                    || o.equals("--noprofile")
                    || o.equals("--login")
                    || o.equals("--posix")
                    || o.equals("--noediting")) {
                i++;
            } else if (o.matches("[-+][a-zA-Z]+") && !o.startsWith("--")) {
                inline |= o.startsWith("-") && o.indexOf('c') > 0;
                stdin |= o.startsWith("-") && o.indexOf('s') > 0;
                i += o.endsWith("o") || o.endsWith("O") ? 2 : 1;
            } else if (o.startsWith("-")) {
                return Risk.DESTRUCTIVE;
            } else {
                break;
            }
        }
        if (inline) {
            return i < args.size() ? args.get(i).literal().map(rules::text).orElse(Risk.DESTRUCTIVE) : Risk.DESTRUCTIVE;
        }
        return stdin || i >= args.size() ? Risk.DESTRUCTIVE : Risk.WRITES_WORKSPACE;
    }

    /** {@code python3}, {@code perl}, {@code node}…: inline code or code from stdin is unknowable; a script or module is workspace code. */
    static Risk interpreter(CommandClassifier rules, String interpreter, List<Word> args) {
        Set<String> inline =
                Objects.requireNonNull(INLINE_CODE.get(interpreter), interpreter); // callers pass keys of INLINE_CODE
        for (int i = 0; i < args.size(); i++) {
            Optional<String> lit = args.get(i).literal();
            if (lit.isEmpty()) {
                return Risk.DESTRUCTIVE;
            }
            String o = lit.get();
            boolean cluster = o.matches("-[a-zA-Z]+")
                    && inline.stream().anyMatch(f -> f.length() == 2 && o.indexOf(f.charAt(1)) > 0);
            if (inline.contains(o) || inline.stream().anyMatch(f -> o.startsWith(f + "=")) || cluster) {
                return Risk.DESTRUCTIVE;
            }
            if (interpreter.equals("python") && o.matches("-[a-zA-Z]*m")) {
                String module = i + 1 < args.size() ? args.get(i + 1).literal().orElse("") : "";
                return module.equals("pip") || module.equals("pip3")
                        ? packageTool(rules, "pip", args.subList(i + 2, args.size()))
                        : module.isEmpty() ? Risk.DESTRUCTIVE : Risk.WRITES_WORKSPACE;
            }
            if (o.equals("--version") || o.equals("-V") || o.equals("--help") || o.equals("-h")) {
                return Risk.READ_ONLY;
            }
            if (o.equals("-")) {
                return Risk.DESTRUCTIVE;
            }
            if (!o.startsWith("-")) {
                return Risk.WRITES_WORKSPACE;
            }
            if (VALUED_INTERPRETER_OPTIONS.getOrDefault(interpreter, Set.of()).contains(o)) {
                i++;
            }
        }
        return Risk.DESTRUCTIVE;
    }

    /** {@code awk}: a program text that runs commands or writes files is unknowable; one from a file is workspace code. */
    static Risk awk(CommandClassifier rules, List<Word> args) {
        List<String> programs = new ArrayList<>();
        boolean fromFile = false;
        int i = 0;
        while (i < args.size()) {
            Optional<String> lit = args.get(i).literal();
            if (lit.isEmpty()) {
                return Risk.DESTRUCTIVE;
            }
            String o = lit.get();
            if (o.equals("--")) {
                i++;
                break;
            }
            if (!o.startsWith("-") || o.equals("-")) {
                break;
            }
            String key = o.startsWith("--") ? o.split("=", 2)[0] : o.substring(0, 2);
            boolean attached = o.startsWith("--") ? o.contains("=") : o.length() > 2;
            String value = attached
                    ? o.substring(o.startsWith("--") ? o.indexOf('=') + 1 : 2)
                    : i + 1 < args.size() ? args.get(i + 1).literal().orElse(null) : null;
            if (value == null) {
                return Risk.DESTRUCTIVE;
            }
            switch (key) {
                case "-F", "--field-separator", "-v", "--assign" -> {}
                case "-f", "--file", "-i", "--include", "-E", "--exec" -> fromFile = true;
                case "-e", "--source" -> programs.add(value);
                default -> {
                    return Risk.DESTRUCTIVE;
                }
            }
            i += attached ? 1 : 2;
        }
        if (programs.isEmpty() && !fromFile) {
            if (i >= args.size()) {
                return Risk.DESTRUCTIVE;
            }
            Optional<String> program = args.get(i).literal();
            if (program.isEmpty()) {
                return Risk.DESTRUCTIVE;
            }
            programs.add(program.get());
        }
        if (programs.stream().anyMatch(ProgramTexts::awkRunsOrWrites)) {
            return Risk.DESTRUCTIVE;
        }
        return fromFile ? Risk.WRITES_WORKSPACE : Risk.READ_ONLY;
    }

    /** {@code sed}: its script decides ({@code e} runs, {@code w} writes); {@code -i} writes its files. */
    static Risk sed(CommandClassifier rules, List<Word> args) {
        List<String> scripts = new ArrayList<>();
        List<Word> operands = new ArrayList<>();
        boolean inPlace = false;
        boolean fromFile = false;
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            Word w = args.get(i);
            Optional<String> lit = w.literal();
            if (optionsEnded || !w.couldBeOption()) {
                operands.add(w);
                continue;
            }
            if (lit.isEmpty()) {
                return Risk.DESTRUCTIVE;
            }
            String o = lit.get();
            if (o.equals("--")) {
                optionsEnded = true;
            } else if (o.startsWith("--")) {
                String key = o.split("=", 2)[0];
                String value = o.contains("=") ? o.substring(o.indexOf('=') + 1) : null;
                switch (key) {
                    case "--in-place" -> inPlace = true;
                    case "--expression", "--file" -> {
                        if (value == null) {
                            value = i + 1 < args.size()
                                    ? args.get(++i).literal().orElse(null)
                                    : null;
                        }
                        if (value == null) {
                            return Risk.DESTRUCTIVE;
                        }
                        if (key.equals("--file")) {
                            fromFile = true;
                        } else {
                            scripts.add(value);
                        }
                    }
                    case "--quiet",
                            "--silent",
                            "--regexp-extended",
                            "--separate",
                            "--unbuffered",
                            "--null-data",
                            "--posix",
                            "--debug",
                            "--sandbox",
                            "--follow-symlinks",
                            "--line-length" -> {}
                    default -> {
                        return Risk.DESTRUCTIVE;
                    }
                }
            } else {
                for (int j = 1; j < o.length(); j++) {
                    char f = o.charAt(j);
                    if (f == 'i') {
                        inPlace = true;
                        break;
                    }
                    if (f == 'e' || f == 'f' || f == 'l') {
                        String value = j + 1 < o.length()
                                ? o.substring(j + 1)
                                : i + 1 < args.size() ? args.get(++i).literal().orElse(null) : null;
                        if (value == null) {
                            return Risk.DESTRUCTIVE;
                        }
                        if (f == 'e') {
                            scripts.add(value);
                        } else if (f == 'f') {
                            fromFile = true;
                        }
                        break;
                    }
                    if ("nErsuz".indexOf(f) < 0) {
                        return Risk.DESTRUCTIVE;
                    }
                }
            }
        }
        if (scripts.isEmpty() && !fromFile) {
            if (operands.isEmpty() || operands.getFirst().literal().isEmpty()) {
                return Risk.DESTRUCTIVE;
            }
            scripts.add(operands.removeFirst().literal().orElseThrow());
        }
        Risk r = fromFile ? Risk.WRITES_WORKSPACE : Risk.READ_ONLY;
        for (String script : scripts) {
            ProgramTexts.Effects effects = ProgramTexts.sed(script);
            if (effects.runs()) {
                return Risk.DESTRUCTIVE;
            }
            for (String file : effects.writes()) {
                r = max(r, rules.write(Word.of(file)));
            }
        }
        if (inPlace) {
            r = max(r, Risk.WRITES_WORKSPACE);
            for (Word file : operands) {
                r = max(r, rules.write(file));
            }
        }
        return r;
    }

    /** {@code make}: recipes are workspace code; {@code --eval} and {@code VAR=value} overrides are classified as commands. */
    static Risk make(CommandClassifier rules, List<Word> args) {
        Risk r = Risk.WRITES_WORKSPACE;
        for (int i = 0; i < args.size(); i++) {
            Word w = args.get(i);
            Optional<String> lit = w.literal();
            Optional<Assignment> a = w.assignment();
            if (a.isPresent()) {
                r = max(r, a.get().value().literal().map(rules::text).orElse(Risk.DESTRUCTIVE));
                continue;
            }
            if (lit.isEmpty()) {
                if (w.couldBeOption()) {
                    return Risk.DESTRUCTIVE;
                }
                continue;
            }
            String o = lit.get();
            if (o.startsWith("--eval") || o.startsWith("-E")) {
                return Risk.DESTRUCTIVE;
            }
            if (o.equals("-C") || o.equals("--directory")) {
                Word dir = i + 1 < args.size() ? args.get(i + 1) : Word.UNKNOWN;
                r = max(
                        r,
                        dir.literal()
                                        .filter(d -> !CommandClassifier.leavesWorkspace(d))
                                        .isPresent()
                                ? Risk.WRITES_WORKSPACE
                                : Risk.DESTRUCTIVE);
            }
        }
        return r;
    }

    /**
     * Package managers: installing, publishing or running remote packages needs the network (any
     * argument naming such a verb counts, so options with values cannot hide it); the rest runs
     * workspace code.
     */
    static Risk packageTool(CommandClassifier rules, String name, List<Word> args) {
        boolean network = name.equals("kubectl")
                || name.equals("helm")
                || (args.isEmpty() && (name.equals("yarn") || name.equals("bundle") || name.equals("composer")));
        for (Word w : args) {
            Optional<String> lit = w.literal();
            if (lit.isEmpty() && w.couldBeOption()) {
                return Risk.DESTRUCTIVE;
            }
            network |= lit.filter(INSTALL_VERBS::contains).isPresent();
        }
        return network ? Risk.NETWORK : max(max(Risk.WRITES_WORKSPACE, rules.commandsIn(args)), rules.outputs(args));
    }

    /** Maven and Gradle: builds are workspace code; deploying or refreshing needs the network; {@code exec:exec} runs any program. */
    static Risk build(CommandClassifier rules, List<Word> args) {
        Risk r = Risk.WRITES_WORKSPACE;
        for (Word w : args) {
            Optional<String> lit = w.literal();
            if (lit.isEmpty()) {
                if (w.couldBeOption()) {
                    return Risk.DESTRUCTIVE;
                }
                continue;
            }
            String a = lit.get();
            if (a.startsWith("exec:") || a.startsWith("-Dexec.")) {
                return Risk.DESTRUCTIVE;
            }
            if (a.equals("-U")
                    || a.equals("--update-snapshots")
                    || a.equals("deploy")
                    || a.equals("--refresh-dependencies")
                    || a.startsWith("deploy:")
                    || a.startsWith("release:")
                    || a.equals("publish")) {
                r = Risk.NETWORK;
            }
        }
        return r;
    }
}
