package dev.drydock.server.agent.tool;

import dev.drydock.server.agent.event.Action.Risk;
import dev.drydock.server.agent.tool.ShellSyntax.Assignment;
import dev.drydock.server.agent.tool.ShellSyntax.Redirect;
import dev.drydock.server.agent.tool.ShellSyntax.Script;
import dev.drydock.server.agent.tool.ShellSyntax.ShellSyntaxException;
import dev.drydock.server.agent.tool.ShellSyntax.SimpleCommand;
import dev.drydock.server.agent.tool.ShellSyntax.Word;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The rules behind {@link CommandRisk}: walks the syntax tree of one command line (and of the shell
 * strings nested in it, with the same rules), classifies each simple command by its program and
 * arguments, and keeps the riskiest. Not thread-safe: one instance per classification.
 */
final class CommandClassifier {
    private static final int MAX_NESTING = 16;

    private static final Set<String> READ_ONLY = Set.of(
            "ls",
            "cat",
            "head",
            "tail",
            "wc",
            "grep",
            "egrep",
            "fgrep",
            "ag",
            "echo",
            "printf",
            "pwd",
            "stat",
            "du",
            "df",
            "basename",
            "dirname",
            "realpath",
            "readlink",
            "which",
            "whereis",
            "type",
            "cmp",
            "diff",
            "cut",
            "tr",
            "nl",
            "od",
            "hexdump",
            "strings",
            "md5sum",
            "sha1sum",
            "sha256sum",
            "sha512sum",
            "cksum",
            "true",
            "false",
            "test",
            "[",
            "whoami",
            "id",
            "uname",
            "printenv",
            "jq",
            "column",
            "paste",
            "comm",
            "join",
            "fold",
            "rev",
            "tac",
            "seq",
            "sleep",
            "yes",
            ":",
            "wait",
            "shift",
            "exit",
            "return",
            "break",
            "continue",
            "set",
            "unset",
            "umask",
            "ulimit",
            "jobs",
            "popd",
            "dirs",
            "[[",
            "]]");
    private static final Set<String> NETWORK = Set.of(
            "curl",
            "wget",
            "ssh",
            "scp",
            "sftp",
            "rsync",
            "nc",
            "ncat",
            "netcat",
            "socat",
            "telnet",
            "ftp",
            "lftp",
            "ping",
            "dig",
            "nslookup",
            "host",
            "whois",
            "traceroute",
            "nmap",
            "aria2c",
            "http",
            "https",
            "xh",
            "gh",
            "glab",
            "svn",
            "hg",
            "apt",
            "apt-get",
            "yum",
            "dnf",
            "apk",
            "brew",
            "npx",
            "pnpx",
            "bunx",
            "uvx",
            "pipx",
            "sendmail",
            "mail");
    private static final Set<String> DESTRUCTIVE = Set.of(
            "mkfs",
            "dd",
            "shutdown",
            "reboot",
            "halt",
            "poweroff",
            "sudo",
            "su",
            "doas",
            "pkexec",
            "runuser",
            "shred",
            "truncate",
            "kill",
            "killall",
            "pkill",
            "chown",
            "chgrp",
            "mount",
            "umount",
            "crontab",
            "at",
            "systemctl",
            "service",
            "iptables",
            "useradd",
            "userdel",
            "passwd",
            "chroot",
            "nsenter",
            "unshare",
            "insmod",
            "modprobe",
            "wipefs",
            "fdisk",
            "parted",
            "chattr",
            // run commands of their own language, which may start programs
            "vi",
            "vim",
            "nvim",
            "ex",
            "ed",
            "emacs",
            "gdb",
            "lldb",
            "csh",
            "tcsh",
            "fish",
            "pwsh",
            "nu",
            "xonsh",
            "elvish",
            // change what later words of the line mean
            "source",
            ".",
            "alias",
            "shopt",
            "enable",
            "fc",
            "bind",
            "hash");
    private static final Set<String> SHELLS = Set.of("sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "yash");
    /** Shell builtins: a wrapper cannot exec them, so they are not looked for in the arguments of unknown programs. */
    private static final Set<String> BUILTINS_ONLY = Set.of(
            ".",
            "source",
            "alias",
            "shopt",
            "enable",
            "fc",
            "bind",
            "hash",
            "eval",
            "exec",
            "trap",
            "let",
            "export",
            "declare",
            "typeset",
            "local",
            "readonly",
            "cd",
            "pushd",
            "popd",
            "set",
            "unset",
            "shift",
            "return",
            "break",
            "continue",
            "wait",
            "jobs",
            "read",
            "getopts",
            "umask",
            "ulimit",
            ":",
            "dirs");

    private static final Set<String> AWKS = Set.of("awk", "gawk", "mawk", "nawk");
    private static final Set<String> PACKAGE_TOOLS = Set.of(
            "pip",
            "pip3",
            "npm",
            "yarn",
            "pnpm",
            "bun",
            "go",
            "cargo",
            "gem",
            "bundle",
            "composer",
            "uv",
            "poetry",
            "docker",
            "podman",
            "helm",
            "kubectl");
    private static final Set<String> BUILD_TOOLS = Set.of("mvn", "mvnw", "gradle", "gradlew");
    /** Variables whose value some program runs as a command. */
    private static final Set<String> COMMAND_VARIABLES = Set.of(
            "PAGER",
            "GIT_PAGER",
            "MANPAGER",
            "SYSTEMD_PAGER",
            "EDITOR",
            "VISUAL",
            "GIT_EDITOR",
            "GIT_SEQUENCE_EDITOR",
            "GIT_EXTERNAL_DIFF",
            "GIT_SSH",
            "GIT_SSH_COMMAND",
            "GIT_ASKPASS",
            "SSH_ASKPASS",
            "SUDO_ASKPASS",
            "GIT_PROXY_COMMAND",
            "LESSOPEN",
            "LESSCLOSE",
            "BROWSER",
            "PROMPT_COMMAND",
            "SHELL",
            "CONFIG_SHELL",
            "MAKE",
            "CC",
            "CXX",
            "RSYNC_RSH");
    /** Variables whose value the shell expands (running any {@code $(…)} in it) before using it. */
    private static final Set<String> EXPANDED_VARIABLES = Set.of("PS1", "PS2", "PS3", "PS4", "BASH_ENV", "ENV");
    /** Variables that change which program runs or what it loads, even when the shell does not export them anew. */
    private static final Set<String> LOADER_VARIABLES = Set.of(
            "PATH",
            "LD_PRELOAD",
            "LD_LIBRARY_PATH",
            "LD_AUDIT",
            "BASH_ENV",
            "ENV",
            "IFS",
            "PS4",
            "SHELLOPTS",
            "BASHOPTS",
            "CDPATH",
            "HOME",
            "JAVA_TOOL_OPTIONS",
            "_JAVA_OPTIONS",
            "JDK_JAVA_OPTIONS",
            "MAVEN_OPTS",
            "GRADLE_OPTS",
            "NODE_OPTIONS",
            "PERL5OPT",
            "PERL5LIB",
            "RUBYOPT",
            "PYTHONPATH",
            "PYTHONSTARTUP",
            "PYTHONHOME",
            "TMPDIR");
    /** Variables a command may be given without changing what it can do. */
    private static final Set<String> HARMLESS_VARIABLES = Set.of(
            "LANG",
            "LANGUAGE",
            "LC_ALL",
            "LC_CTYPE",
            "LC_MESSAGES",
            "LC_COLLATE",
            "TZ",
            "TERM",
            "COLUMNS",
            "LINES",
            "NO_COLOR",
            "FORCE_COLOR",
            "CLICOLOR",
            "CI",
            "PYTHONUNBUFFERED",
            "PYTHONDONTWRITEBYTECODE");

    private static final Set<String> HARMLESS_DEVICES = Set.of("/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty");

    private static final Pattern PYTHON = Pattern.compile("(python|pypy)[0-9.]*");
    /** Simple commands one classification may look at, nested strings included; past it the line is too complex to judge. */
    private static final int MAX_COMMANDS = 10_000;

    private final int nesting;
    /** Commands still to be looked at, shared by the nested classifiers of one line. */
    private final int[] budget;
    /** Set once a {@code cd} may have left the workspace: relative paths are no longer inside it. */
    private boolean outsideWorkspace;

    /** A classifier for one command line. */
    CommandClassifier() {
        this(0, new int[] {MAX_COMMANDS});
    }

    private CommandClassifier(int nesting, int[] budget) {
        this.nesting = nesting;
        this.budget = budget;
    }

    /** A shell string ({@code sh -c '…'}, {@code eval …}, a command-holding variable): parsed and classified. */
    Risk text(String shellText) {
        if (nesting > MAX_NESTING) {
            return Risk.DESTRUCTIVE;
        }
        try {
            CommandClassifier inner = new CommandClassifier(nesting + 1, budget);
            inner.outsideWorkspace = outsideWorkspace;
            Risk r = inner.script(ShellParser.parse(shellText));
            outsideWorkspace |= inner.outsideWorkspace;
            return r;
        } catch (ShellSyntaxException e) {
            return Risk.DESTRUCTIVE;
        }
    }

    /** A shell string given as words (every one must be known), as {@code eval} and {@code watch} join them. */
    Risk text(List<Word> words) {
        List<String> parts = new ArrayList<>();
        for (Word w : words) {
            Optional<String> lit = w.literal();
            if (lit.isEmpty()) {
                return Risk.DESTRUCTIVE;
            }
            parts.add(lit.get());
        }
        return text(String.join(" ", parts));
    }

    Risk script(Script script) {
        Risk r = Risk.READ_ONLY;
        for (SimpleCommand c : script.commands()) {
            r = max(r, command(c));
        }
        for (Word body : script.hereDocuments()) {
            r = max(r, expansions(body));
        }
        return r;
    }

    /** What expanding a word runs: its command substitutions, and arithmetic on names. */
    Risk expansions(Word w) {
        Risk r = w.evaluatesNames() ? Risk.DESTRUCTIVE : Risk.READ_ONLY;
        for (Script s : w.scripts()) {
            r = max(r, script(s));
        }
        return r;
    }

    Risk command(SimpleCommand c) {
        Risk r = Risk.READ_ONLY;
        for (Word w : c.words()) {
            r = max(r, expansions(w));
        }
        for (Redirect redirect : c.redirects()) {
            r = max(r, expansions(redirect.target()));
            Optional<String> target = redirect.target().literal();
            if (redirect.opensFile() && (target.isEmpty() || target.get().matches("/dev/(tcp|udp)/.*"))) {
                r = max(r, Risk.NETWORK);
            }
            if (redirect.writes()) {
                r = max(r, write(redirect.target()));
            }
        }
        switch (c.kind()) {
            case FUNCTION_DEFINITION -> {
                return Risk.DESTRUCTIVE;
            }
            case LOOP_HEADER -> {
                return r;
            }
            case CONDITIONAL -> {
                boolean arithmetic = c.words().stream()
                        .anyMatch(w -> w.literal()
                                .filter(l -> l.matches("-(eq|ne|lt|le|gt|ge)"))
                                .isPresent());
                return arithmetic
                                && c.words().stream().anyMatch(w -> w.literal().isEmpty())
                        ? Risk.DESTRUCTIVE
                        : r;
            }
            case COMMAND -> {}
        }
        List<Word> words = c.words();
        int k = 0;
        while (k < words.size() && words.get(k).assignment().isPresent()) {
            k++;
        }
        boolean bare = k == words.size();
        for (Word w : words.subList(0, k)) {
            r = max(r, assignment(w.assignment().orElseThrow(), !bare));
        }
        if (bare) {
            return r;
        }
        Risk program = invoke(words.subList(k, words.size()), true);
        if (outsideWorkspace && program == Risk.WRITES_WORKSPACE) {
            program = Risk.DESTRUCTIVE;
        }
        return max(r, program);
    }

    /** {@code NAME=value}, {@code exported} when the program it precedes (or {@code export}) gets it. */
    Risk assignment(Assignment a, boolean exported) {
        if (a.indexed()) {
            return Risk.DESTRUCTIVE;
        }
        if (COMMAND_VARIABLES.contains(a.name())) {
            return max(
                    Risk.WRITES_WORKSPACE, a.value().literal().map(this::text).orElse(Risk.DESTRUCTIVE));
        }
        if (EXPANDED_VARIABLES.contains(a.name())) {
            return max(
                    Risk.WRITES_WORKSPACE,
                    a.value().literal().map(v -> text("echo \"" + v + "\"")).orElse(Risk.DESTRUCTIVE));
        }
        if (a.name().startsWith("GIT_CONFIG")) {
            return Risk.DESTRUCTIVE;
        }
        if (Set.of("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR")
                        .contains(a.name())
                || a.name().startsWith("GIT_TRACE")) {
            return a.value().literal().filter(v -> !leavesWorkspace(v)).isPresent()
                    ? Risk.WRITES_WORKSPACE
                    : Risk.DESTRUCTIVE;
        }
        boolean loader = LOADER_VARIABLES.contains(a.name())
                || a.name().startsWith("GIT_")
                || a.name().startsWith("LD_");
        boolean harmless = HARMLESS_VARIABLES.contains(a.name())
                || a.name().startsWith("LC_")
                || a.name().startsWith("GIT_AUTHOR_")
                || a.name().startsWith("GIT_COMMITTER_");
        return loader || (exported && !harmless) ? Risk.WRITES_WORKSPACE : Risk.READ_ONLY;
    }

    /** A write to {@code target}: inside the workspace, or anywhere else (which is worse). */
    Risk write(Word target) {
        Optional<String> path = target.literal();
        if (path.isEmpty()) {
            return Risk.DESTRUCTIVE;
        }
        String p = path.get();
        if (HARMLESS_DEVICES.contains(p) || p.matches("/dev/fd/[0-9]+")) {
            return Risk.READ_ONLY;
        }
        if (outsideWorkspace || leavesWorkspace(p)) {
            return Risk.DESTRUCTIVE;
        }
        String inside = Objects.requireNonNull(normalized(p), p); // leavesWorkspace(p) is false: it normalises
        return inside.equals(".git") || inside.startsWith(".git/") ? Risk.DESTRUCTIVE : Risk.WRITES_WORKSPACE;
    }

    static boolean leavesWorkspace(String path) {
        return path.startsWith("/") || path.startsWith("~") || normalized(path) == null;
    }

    /** {@code path} relative to the workspace root with {@code .} and {@code ..} resolved, or null when it leaves the root. */
    private static @Nullable String normalized(String path) {
        List<String> kept = new ArrayList<>();
        for (String segment : path.split("/+")) {
            if (segment.equals("..")) {
                if (kept.isEmpty()) {
                    return null;
                }
                kept.removeLast();
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                kept.add(segment);
            }
        }
        return String.join("/", kept) + (path.endsWith("/") ? "/" : "");
    }

    /**
     * A program and its arguments. {@code scanTails}: for a program it does not know, also classify
     * each argument onwards as a command, since unknown wrappers ({@code strace curl …}) run them.
     */
    Risk invoke(List<Word> argv, boolean scanTails) {
        if (--budget[0] < 0) {
            throw new ShellSyntaxException("too many commands to classify");
        }
        Optional<String> program = argv.getFirst().literal();
        if (program.isEmpty()) {
            return Risk.DESTRUCTIVE;
        }
        String path = program.get();
        String name = path.substring(path.lastIndexOf('/') + 1);
        List<Word> args = argv.subList(1, argv.size());
        String lower = name.toLowerCase(Locale.ROOT);
        String interpreter = PYTHON.matcher(lower).matches() ? "python" : lower;
        if (name.equals("printf")
                && !args.isEmpty()
                && args.getFirst().literal().filter(l -> l.startsWith("-v")).isPresent()) {
            String variable = args.getFirst().literal().orElseThrow().substring(2);
            Word target = variable.isEmpty() ? (args.size() > 1 ? args.get(1) : Word.UNKNOWN) : Word.of(variable);
            return assignsFromInput(List.of(target));
        }
        if (READ_ONLY.contains(name) || name.startsWith("-")) {
            // No program is named -x: the shell reports it not found (dash's reading of [[ -f a && -f b ]]).
            return Risk.READ_ONLY;
        }
        if (DESTRUCTIVE.contains(name) || name.startsWith("mkfs.")) {
            return Risk.DESTRUCTIVE;
        }
        if (NETWORK.contains(name)) {
            return Risk.NETWORK;
        }
        if (SHELLS.contains(name)) {
            return CodeRunners.shell(this, args);
        }
        if (name.equals("bun") && !args.isEmpty() && !args.getFirst().couldBeOption()) {
            return CodeRunners.packageTool(this, name, args);
        }
        if (CodeRunners.INLINE_CODE.containsKey(interpreter)) {
            return CodeRunners.interpreter(this, interpreter, args);
        }
        if (AWKS.contains(name)) {
            return CodeRunners.awk(this, args);
        }
        return switch (name) {
            case "env" -> env(args);
            case "command" ->
                args.stream()
                                .takeWhile(w -> w.literal()
                                        .filter(l -> l.startsWith("-"))
                                        .isPresent())
                                .anyMatch(w -> w.literal().orElseThrow().matches("-p?[vV]p?"))
                        ? Risk.READ_ONLY
                        : wrapped(args, Set.of("-p"), Set.of(), Set.of(), 0);
            case "builtin", "nohup", "busybox", "toybox" -> wrapped(args, Set.of(), Set.of(), Set.of(), 0);
            case "exec" -> wrapped(args, Set.of("-c", "-l"), Set.of("-a"), Set.of(), 0);
            case "nice" -> wrapped(args, Set.of(), Set.of("-n", "--adjustment"), Set.of(), 0);
            case "time" ->
                wrapped(
                        args,
                        Set.of("-p", "-v", "--verbose", "-a", "--append", "--portability", "-q", "--quiet"),
                        Set.of("-f", "--format"),
                        Set.of("-o", "--output"),
                        0);
            case "timeout" ->
                wrapped(
                        args,
                        Set.of("--preserve-status", "--foreground", "-v", "--verbose"),
                        Set.of("-s", "--signal", "-k", "--kill-after"),
                        Set.of(),
                        1);
            case "stdbuf" ->
                wrapped(args, Set.of(), Set.of("-i", "-o", "-e", "--input", "--output", "--error"), Set.of(), 0);
            case "ionice" ->
                wrapped(args, Set.of("-t", "--ignore"), Set.of("-c", "-n", "--class", "--classdata"), Set.of(), 0);
            case "setsid" ->
                wrapped(args, Set.of("-f", "-w", "-c", "--fork", "--wait", "--ctty"), Set.of(), Set.of(), 0);
            case "xargs" -> xargs(args);
            case "watch" -> watch(args);
            case "eval" -> args.isEmpty() ? Risk.READ_ONLY : text(args);
            case "trap" -> trap(args);
            case "let" ->
                args.stream()
                                .allMatch(w -> w.literal()
                                        .filter(l -> l.matches("[0-9\\s+*/%<>=!&|^~?:()-]*"))
                                        .isPresent())
                        ? Risk.READ_ONLY
                        : Risk.DESTRUCTIVE;
            case "export", "declare", "typeset", "local", "readonly" ->
                declaration(
                        name.equals("export")
                                || args.stream()
                                        .anyMatch(w -> w.literal()
                                                .filter(l -> l.matches("-[a-zA-Z]*x[a-zA-Z]*"))
                                                .isPresent()),
                        args);
            case "read", "mapfile", "readarray", "getopts" -> assignsFromInput(args);
            case "cd", "pushd" -> cd(args);
            case "find" -> FileCommands.find(this, args);
            case "fd", "fdfind" -> FileCommands.fd(this, args);
            case "sed" -> CodeRunners.sed(this, args);
            case "git" -> GitCommands.classify(args, this);
            case "rm", "rmdir" -> FileCommands.rm(this, name, args);
            case "touch", "mkdir", "mv", "ln", "tee" -> FileCommands.writesEach(this, name, args);
            case "chmod" -> FileCommands.chmod(this, args);
            case "cp", "install" -> FileCommands.copy(this, args);
            case "sort" -> FileCommands.readerWith(this, args, Set.of("-o", "--output"), Set.of("--compress-program"));
            case "tree" -> FileCommands.readerWith(this, args, Set.of("-o"), Set.of());
            case "date" -> FileCommands.readerWith(this, args, Set.of(), Set.of("-s", "--set"));
            case "rg" -> FileCommands.readerWith(this, args, Set.of(), Set.of("--pre"));
            case "less", "more" ->
                FileCommands.readerWith(this, args, Set.of("-o", "-O", "--log-file", "--LOG-FILE"), Set.of());
            case "uniq", "xxd" -> FileCommands.secondOperandWritten(this, args);
            case "tar" -> FileCommands.tar(this, args);
            case "make", "gmake" -> CodeRunners.make(this, args);
            default -> {
                if (PACKAGE_TOOLS.contains(name)) {
                    yield CodeRunners.packageTool(this, name, args);
                }
                if (BUILD_TOOLS.contains(name)) {
                    yield CodeRunners.build(this, args);
                }
                yield scanTails ? unknown(args) : Risk.WRITES_WORKSPACE;
            }
        };
    }

    /** A program it does not know: writes the workspace, unless it is a wrapper of a riskier command. */
    private Risk unknown(List<Word> args) {
        return max(max(Risk.WRITES_WORKSPACE, commandsIn(args)), outputs(args));
    }

    /** The files named by {@code -o FILE}, {@code --output FILE} or {@code --output=FILE}, which most programs write. */
    Risk outputs(List<Word> args) {
        Risk r = Risk.READ_ONLY;
        for (int i = 0; i < args.size(); i++) {
            Optional<String> lit = args.get(i).literal();
            if (lit.filter(l -> l.equals("-o") || l.equals("--output")).isPresent()) {
                r = max(r, i + 1 < args.size() ? write(args.get(i + 1)) : Risk.WRITES_WORKSPACE);
            } else if (lit.filter(l -> l.startsWith("--output=")).isPresent()) {
                r = max(r, write(Word.of(lit.get().substring("--output=".length()))));
            }
        }
        return r;
    }

    /**
     * The riskiest command an unknown program (or {@code poetry run}, {@code docker run}…) may be
     * running from its arguments: each argument onwards that names a program ({@code strace -f curl x}),
     * and each argument that parses as a shell line ({@code script -c 'curl x'}).
     */
    Risk commandsIn(List<Word> args) {
        Risk r = Risk.READ_ONLY;
        for (int j = 0; j < args.size() && j < 32; j++) {
            Optional<String> lit = args.get(j).literal();
            if (lit.isEmpty() || lit.get().startsWith("-")) {
                continue;
            }
            if (!BUILTINS_ONLY.contains(lit.get())) {
                r = max(r, invoke(args.subList(j, args.size()), false));
            }
            if (lit.get().contains(" ") && nesting < MAX_NESTING) {
                try {
                    r = max(r, new CommandClassifier(nesting + 1, budget).script(ShellParser.parse(lit.get())));
                } catch (ShellSyntaxException e) {
                    // Not a shell line: an ordinary argument.
                }
            }
        }
        return r;
    }

    /**
     * A wrapper that runs its argument command: its options (flags, options with a value, options
     * whose value is a file it writes), then {@code operands} fixed operands, then the command.
     * Options it does not know fail closed.
     */
    Risk wrapped(List<Word> args, Set<String> flags, Set<String> valued, Set<String> writing, int operands) {
        Risk r = Risk.READ_ONLY;
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
            String key = o.contains("=") ? o.substring(0, o.indexOf('=')) : o;
            if (flags.contains(o) || o.matches("-[0-9]+")) {
                i++;
            } else if (valued.contains(key) || writing.contains(key)) {
                boolean inline = o.contains("=");
                if (!inline && i + 1 >= args.size()) {
                    return Risk.DESTRUCTIVE;
                }
                if (writing.contains(key)) {
                    r = max(r, write(inline ? Word.of(o.substring(o.indexOf('=') + 1)) : args.get(i + 1)));
                }
                i += inline ? 1 : 2;
            } else if (o.length() > 2
                    && !o.startsWith("--")
                    && (valued.contains(o.substring(0, 2)) || writing.contains(o.substring(0, 2)))) {
                if (writing.contains(o.substring(0, 2))) {
                    r = max(r, write(Word.of(o.substring(2))));
                }
                i++;
            } else {
                return Risk.DESTRUCTIVE;
            }
        }
        i += operands;
        return i >= args.size() ? r : max(r, invoke(args.subList(i, args.size()), true));
    }

    private Risk env(List<Word> args) {
        Risk r = Risk.READ_ONLY;
        int i = 0;
        while (i < args.size()) {
            Word w = args.get(i);
            Optional<Assignment> a = w.assignment();
            if (a.isPresent()) {
                r = max(r, assignment(a.get(), true));
                i++;
                continue;
            }
            Optional<String> lit = w.literal();
            if (lit.isEmpty()) {
                return Risk.DESTRUCTIVE;
            }
            String o = lit.get();
            if (o.equals("-S") || o.startsWith("--split-string") || (o.startsWith("-S") && o.length() > 2)) {
                String split = o.equals("-S")
                        ? (i + 1 < args.size() ? args.get(i + 1).literal().orElse(null) : null)
                        : o.substring(o.startsWith("--") ? o.indexOf('=') + 1 : 2);
                int next = o.equals("-S") ? i + 2 : i + 1;
                if (split == null || (o.startsWith("--") && !o.contains("="))) {
                    return Risk.DESTRUCTIVE;
                }
                List<Word> rest = new ArrayList<>(List.of(Word.of(split)));
                rest.addAll(args.subList(Math.min(next, args.size()), args.size()));
                return max(r, text(rest));
            }
            if (o.equals("-C") || o.startsWith("--chdir")) {
                Word dir = o.contains("=")
                        ? Word.of(o.substring(o.indexOf('=') + 1))
                        : (i + 1 < args.size() ? args.get(i + 1) : Word.UNKNOWN);
                leaveIfOutside(dir);
                i += o.contains("=") ? 1 : 2;
                continue;
            }
            if (o.equals("-u") || o.equals("--unset")) {
                i += 2;
                continue;
            }
            if (o.equals("-")
                    || o.matches("-[i0v]+")
                    || o.startsWith("--unset=")
                    || o.equals("--ignore-environment")
                    || o.equals("--null")
                    || o.equals("--debug")
                    || o.startsWith("--default-signal")
                    || o.startsWith("--ignore-signal")
                    || o.startsWith("--block-signal")) {
                i++;
                continue;
            }
            if (o.equals("--")) {
                i++;
                break;
            }
            if (o.startsWith("-")) {
                return Risk.DESTRUCTIVE;
            }
            break;
        }
        return i >= args.size() ? r : max(r, invoke(args.subList(i, args.size()), true));
    }

    /** {@code xargs}: runs its command (default {@code echo}) with arguments from stdin, which are unknown. */
    private Risk xargs(List<Word> args) {
        Set<String> flags = Set.of(
                "-0",
                "--null",
                "-r",
                "--no-run-if-empty",
                "-t",
                "--verbose",
                "-p",
                "--interactive",
                "-x",
                "--exit",
                "-o",
                "--open-tty",
                "--show-limits",
                "-i");
        Set<String> valued = Set.of(
                "-a",
                "--arg-file",
                "-d",
                "--delimiter",
                "-E",
                "-e",
                "--eof",
                "-I",
                "--replace",
                "-L",
                "-l",
                "--max-lines",
                "-n",
                "--max-args",
                "-P",
                "--max-procs",
                "-s",
                "--max-chars",
                "--process-slot-var");
        int i = 0;
        while (i < args.size()) {
            Optional<String> lit = args.get(i).literal();
            if (lit.isEmpty()) {
                return Risk.DESTRUCTIVE;
            }
            String o = lit.get();
            String key = o.contains("=") ? o.substring(0, o.indexOf('=')) : o;
            if (o.equals("--")) {
                i++;
                break;
            }
            if (!o.startsWith("-")) {
                break;
            }
            if (flags.contains(o) || o.matches("-[il].+")) {
                i++;
            } else if (valued.contains(key)) {
                i += o.contains("=") ? 1 : 2;
            } else if (o.length() > 2 && valued.contains(o.substring(0, 2))) {
                i++;
            } else {
                return Risk.DESTRUCTIVE;
            }
        }
        List<Word> command = new ArrayList<>(i < args.size() ? args.subList(i, args.size()) : List.of(Word.of("echo")));
        command.replaceAll(w -> w.toString().contains("{}") ? Word.UNKNOWN : w);
        command.add(Word.UNKNOWN);
        return invoke(command, true);
    }

    /** {@code watch}: its arguments, joined, are a shell string. */
    private Risk watch(List<Word> args) {
        int i = 0;
        while (i < args.size()
                && args.get(i).literal().filter(l -> l.startsWith("-")).isPresent()) {
            String o = args.get(i).literal().orElseThrow();
            i += o.equals("-n") || o.equals("--interval") ? 2 : 1;
        }
        return i >= args.size() ? Risk.READ_ONLY : text(args.subList(i, args.size()));
    }

    private Risk trap(List<Word> args) {
        if (args.isEmpty()) {
            return Risk.READ_ONLY;
        }
        Optional<String> action = args.getFirst().literal();
        if (action.isEmpty()) {
            return Risk.DESTRUCTIVE;
        }
        return action.get().equals("-")
                        || action.get().equals("-p")
                        || action.get().equals("-l")
                ? Risk.READ_ONLY
                : text(action.get());
    }

    private Risk declaration(boolean exported, List<Word> args) {
        Risk r = Risk.READ_ONLY;
        for (Word w : args) {
            Optional<Assignment> a = w.assignment();
            if (a.isPresent()) {
                r = max(r, assignment(a.get(), exported));
            } else if (w.literal().isEmpty()) {
                return Risk.DESTRUCTIVE;
            } else if (exported && w.literal().get().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                // export NAME: whatever value NAME got before (from read, printf -v…) now reaches programs.
                r = max(r, assignment(new Assignment(w.literal().get(), false, Word.UNKNOWN), true));
            }
        }
        return r;
    }

    /** {@code read NAME}, {@code mapfile NAME}…: the names get values from input, unknown here. */
    private Risk assignsFromInput(List<Word> args) {
        Risk r = Risk.READ_ONLY;
        for (Word w : args) {
            Optional<String> name = w.literal().filter(l -> l.matches("[A-Za-z_][A-Za-z0-9_]*"));
            if (name.isPresent()) {
                r = max(r, assignment(new Assignment(name.get(), false, Word.UNKNOWN), false));
            } else if (w.literal().isEmpty() && w.couldBeOption()) {
                return Risk.DESTRUCTIVE;
            }
        }
        return r;
    }

    private Risk cd(List<Word> args) {
        List<Word> operands = args.stream()
                .filter(w -> !w.literal().filter(l -> l.matches("-[LPe@]+")).isPresent())
                .toList();
        leaveIfOutside(operands.isEmpty() ? Word.of("~") : operands.getFirst());
        return Risk.READ_ONLY;
    }

    void leaveIfOutside(Word dir) {
        Optional<String> lit = dir.literal();
        if (lit.isEmpty() || lit.get().equals("-") || leavesWorkspace(lit.get())) {
            outsideWorkspace = true;
        }
    }

    static Risk max(Risk a, Risk b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
