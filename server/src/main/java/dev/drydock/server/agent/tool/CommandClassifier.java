package dev.drydock.server.agent.tool;

import dev.drydock.server.agent.event.Action.Risk;
import dev.drydock.server.agent.tool.ShellSyntax.Assignment;
import dev.drydock.server.agent.tool.ShellSyntax.Kind;
import dev.drydock.server.agent.tool.ShellSyntax.Redirect;
import dev.drydock.server.agent.tool.ShellSyntax.Script;
import dev.drydock.server.agent.tool.ShellSyntax.ShellSyntaxException;
import dev.drydock.server.agent.tool.ShellSyntax.SimpleCommand;
import dev.drydock.server.agent.tool.ShellSyntax.Word;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules behind {@link CommandRisk}: walks the syntax tree of one command line (and of the shell
 * strings nested in it, with the same rules), classifies each simple command by its program and
 * arguments, and keeps the riskiest. Not thread-safe: one instance per classification.
 */
final class CommandClassifier {
    private static final int MAX_NESTING = 16;

    private static final Set<String> READ_ONLY = Set.of(
            "ls", "cat", "head", "tail", "wc", "grep", "egrep", "fgrep", "ag", "echo", "printf", "pwd", "stat", "du", "df",
            "basename", "dirname", "realpath", "readlink", "which", "whereis", "type", "cmp", "diff", "cut", "tr", "nl", "od",
            "hexdump", "strings", "md5sum", "sha1sum", "sha256sum", "sha512sum", "cksum", "true", "false", "test", "[", "whoami",
            "id", "uname", "printenv", "jq", "column", "paste", "comm", "join", "fold", "rev", "tac", "seq", "sleep", "yes",
            ":", "wait", "shift", "exit", "return", "break", "continue", "getopts", "read", "set", "unset", "umask", "ulimit",
            "jobs", "popd", "dirs", "[[", "]]");
    private static final Set<String> NETWORK = Set.of(
            "curl", "wget", "ssh", "scp", "sftp", "rsync", "nc", "ncat", "netcat", "socat", "telnet", "ftp", "lftp", "ping",
            "dig", "nslookup", "host", "whois", "traceroute", "nmap", "aria2c", "http", "https", "xh", "gh", "glab", "svn",
            "hg", "apt", "apt-get", "yum", "dnf", "apk", "brew", "npx", "pnpx", "bunx", "uvx", "pipx", "sendmail", "mail");
    private static final Set<String> DESTRUCTIVE = Set.of(
            "mkfs", "dd", "shutdown", "reboot", "halt", "poweroff", "sudo", "su", "doas", "pkexec", "runuser", "shred",
            "truncate", "kill", "killall", "pkill", "chown", "chgrp", "mount", "umount", "crontab", "at", "systemctl",
            "service", "iptables", "useradd", "userdel", "passwd", "chroot", "nsenter", "unshare", "insmod", "modprobe",
            "wipefs", "fdisk", "parted", "chattr",
            // run commands of their own language, which may start programs
            "vi", "vim", "nvim", "ex", "ed", "emacs", "gdb", "lldb", "csh", "tcsh", "fish", "pwsh", "nu", "xonsh", "elvish",
            // change what later words of the line mean
            "source", ".", "alias", "shopt", "enable", "fc", "bind", "hash");
    private static final Set<String> SHELLS = Set.of("sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "yash");
    /** Interpreters and the options that give them code to run inline. */
    private static final Map<String, Set<String>> INLINE_CODE = Map.ofEntries(
            Map.entry("python", Set.of("-c")), Map.entry("perl", Set.of("-e", "-E")), Map.entry("ruby", Set.of("-e")),
            Map.entry("node", Set.of("-e", "-p", "--eval", "--print")), Map.entry("nodejs", Set.of("-e", "-p", "--eval", "--print")),
            Map.entry("bun", Set.of("-e", "-p", "--eval", "--print")), Map.entry("deno", Set.of("eval")),
            Map.entry("php", Set.of("-r")), Map.entry("lua", Set.of("-e")), Map.entry("rscript", Set.of("-e")),
            Map.entry("expect", Set.of("-c")), Map.entry("tclsh", Set.of()), Map.entry("jshell", Set.of()),
            Map.entry("groovy", Set.of("-e")), Map.entry("osascript", Set.of("-e")));
    /** Shell builtins: a wrapper cannot exec them, so they are not looked for in the arguments of unknown programs. */
    private static final Set<String> BUILTINS_ONLY = Set.of(
            ".", "source", "alias", "shopt", "enable", "fc", "bind", "hash", "eval", "exec", "trap", "let", "export", "declare",
            "typeset", "local", "readonly", "cd", "pushd", "popd", "set", "unset", "shift", "return", "break", "continue", "wait",
            "jobs", "read", "getopts", "umask", "ulimit", ":", "dirs");
    /** Options of those interpreters that take the next word as their value. */
    private static final Map<String, Set<String>> VALUED_INTERPRETER_OPTIONS = Map.of(
            "python", Set.of("-W", "-X", "--check-hash-based-pycs"),
            "node", Set.of("-r", "--require", "--import", "--loader", "--experimental-loader", "-C", "--conditions"),
            "nodejs", Set.of("-r", "--require", "--import", "--loader", "--experimental-loader", "-C", "--conditions"),
            "ruby", Set.of("-I", "-r", "-C"));
    private static final Set<String> AWKS = Set.of("awk", "gawk", "mawk", "nawk");
    private static final Set<String> PACKAGE_TOOLS = Set.of(
            "pip", "pip3", "npm", "yarn", "pnpm", "bun", "go", "cargo", "gem", "bundle", "composer", "uv", "poetry",
            "docker", "podman", "helm", "kubectl");
    private static final Set<String> INSTALL_VERBS = Set.of(
            "install", "i", "add", "ci", "publish", "get", "download", "update", "upgrade", "pull", "push", "login", "exec", "x",
            "dlx", "fetch", "sync", "lock");
    private static final Set<String> BUILD_TOOLS = Set.of("mvn", "mvnw", "gradle", "gradlew");
    /** Variables whose value some program runs as a command. */
    private static final Set<String> COMMAND_VARIABLES = Set.of(
            "PAGER", "GIT_PAGER", "MANPAGER", "SYSTEMD_PAGER", "EDITOR", "VISUAL", "GIT_EDITOR", "GIT_SEQUENCE_EDITOR",
            "GIT_EXTERNAL_DIFF", "GIT_SSH", "GIT_SSH_COMMAND", "GIT_ASKPASS", "SSH_ASKPASS", "SUDO_ASKPASS",
            "GIT_PROXY_COMMAND", "LESSOPEN", "LESSCLOSE", "BROWSER", "PROMPT_COMMAND", "SHELL", "CONFIG_SHELL", "MAKE", "CC",
            "CXX", "RSYNC_RSH");
    /** Variables whose value the shell expands (running any {@code $(…)} in it) before using it. */
    private static final Set<String> EXPANDED_VARIABLES = Set.of("PS1", "PS2", "PS3", "PS4", "BASH_ENV", "ENV");
    /** Variables that change which program runs or what it loads, even when the shell does not export them anew. */
    private static final Set<String> LOADER_VARIABLES = Set.of(
            "PATH", "LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "BASH_ENV", "ENV", "IFS", "PS4", "SHELLOPTS", "BASHOPTS",
            "CDPATH", "HOME", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "MAVEN_OPTS", "GRADLE_OPTS",
            "NODE_OPTIONS", "PERL5OPT", "PERL5LIB", "RUBYOPT", "PYTHONPATH", "PYTHONSTARTUP", "PYTHONHOME", "TMPDIR");
    /** Variables a command may be given without changing what it can do. */
    private static final Set<String> HARMLESS_VARIABLES = Set.of(
            "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "LC_COLLATE", "TZ", "TERM", "COLUMNS", "LINES",
            "NO_COLOR", "FORCE_COLOR", "CLICOLOR", "CI", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE");
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
                boolean arithmetic = c.words().stream().anyMatch(w -> w.literal().filter(l -> l.matches("-(eq|ne|lt|le|gt|ge)")).isPresent());
                return arithmetic && c.words().stream().anyMatch(w -> w.literal().isEmpty()) ? Risk.DESTRUCTIVE : r;
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
            return max(Risk.WRITES_WORKSPACE, a.value().literal().map(this::text).orElse(Risk.DESTRUCTIVE));
        }
        if (EXPANDED_VARIABLES.contains(a.name())) {
            return max(Risk.WRITES_WORKSPACE, a.value().literal().map(v -> text("echo \"" + v + "\"")).orElse(Risk.DESTRUCTIVE));
        }
        if (a.name().startsWith("GIT_CONFIG")) {
            return Risk.DESTRUCTIVE;
        }
        if (Set.of("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR").contains(a.name())
                || a.name().startsWith("GIT_TRACE")) {
            return a.value().literal().filter(v -> !leavesWorkspace(v)).isPresent() ? Risk.WRITES_WORKSPACE : Risk.DESTRUCTIVE;
        }
        boolean loader = LOADER_VARIABLES.contains(a.name()) || a.name().startsWith("GIT_") || a.name().startsWith("LD_");
        boolean harmless = HARMLESS_VARIABLES.contains(a.name()) || a.name().startsWith("LC_") || a.name().startsWith("GIT_AUTHOR_")
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
        String inside = normalized(p);
        return inside.equals(".git") || inside.startsWith(".git/") ? Risk.DESTRUCTIVE : Risk.WRITES_WORKSPACE;
    }

    private static boolean leavesWorkspace(String path) {
        return path.startsWith("/") || path.startsWith("~") || normalized(path) == null;
    }

    /** {@code path} relative to the workspace root with {@code .} and {@code ..} resolved, or null when it leaves the root. */
    private static String normalized(String path) {
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
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        String interpreter = PYTHON.matcher(lower).matches() ? "python" : lower;
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
            return shell(args);
        }
        if (name.equals("bun") && !args.isEmpty() && !args.getFirst().couldBeOption()) {
            return packageTool(name, args);
        }
        if (INLINE_CODE.containsKey(interpreter)) {
            return interpreter(interpreter, args);
        }
        if (AWKS.contains(name)) {
            return awk(args);
        }
        return switch (name) {
            case "env" -> env(args);
            case "command" -> args.stream().takeWhile(w -> w.literal().filter(l -> l.startsWith("-")).isPresent())
                    .anyMatch(w -> w.literal().orElseThrow().matches("-p?[vV]p?"))
                    ? Risk.READ_ONLY
                    : wrapped(args, Set.of("-p"), Set.of(), Set.of(), 0);
            case "builtin", "nohup", "busybox", "toybox" -> wrapped(args, Set.of(), Set.of(), Set.of(), 0);
            case "exec" -> wrapped(args, Set.of("-c", "-l"), Set.of("-a"), Set.of(), 0);
            case "nice" -> wrapped(args, Set.of(), Set.of("-n", "--adjustment"), Set.of(), 0);
            case "time" -> wrapped(args, Set.of("-p", "-v", "--verbose", "-a", "--append", "--portability", "-q", "--quiet"),
                    Set.of("-f", "--format"), Set.of("-o", "--output"), 0);
            case "timeout" -> wrapped(args, Set.of("--preserve-status", "--foreground", "-v", "--verbose"),
                    Set.of("-s", "--signal", "-k", "--kill-after"), Set.of(), 1);
            case "stdbuf" -> wrapped(args, Set.of(), Set.of("-i", "-o", "-e", "--input", "--output", "--error"), Set.of(), 0);
            case "ionice" -> wrapped(args, Set.of("-t", "--ignore"), Set.of("-c", "-n", "--class", "--classdata"), Set.of(), 0);
            case "setsid" -> wrapped(args, Set.of("-f", "-w", "-c", "--fork", "--wait", "--ctty"), Set.of(), Set.of(), 0);
            case "xargs" -> xargs(args);
            case "watch" -> watch(args);
            case "eval" -> args.isEmpty() ? Risk.READ_ONLY : text(args);
            case "trap" -> trap(args);
            case "let" -> args.stream().allMatch(w -> w.literal().filter(l -> l.matches("[0-9\\s+*/%<>=!&|^~?:()-]*")).isPresent())
                    ? Risk.READ_ONLY
                    : Risk.DESTRUCTIVE;
            case "export", "declare", "typeset", "local", "readonly" -> declaration(name.equals("export")
                    || args.stream().anyMatch(w -> w.literal().filter(l -> l.matches("-[a-zA-Z]*x[a-zA-Z]*")).isPresent()), args);
            case "cd", "pushd" -> cd(args);
            case "find" -> find(args);
            case "fd", "fdfind" -> fd(args);
            case "sed" -> sed(args);
            case "git" -> GitCommands.classify(args, this);
            case "rm", "rmdir" -> rm(name, args);
            case "touch", "mkdir", "mv", "ln", "tee" -> writesEach(name, args);
            case "chmod" -> chmod(args);
            case "cp", "install" -> copy(args);
            case "sort" -> readerWith(args, Set.of("-o", "--output"), Set.of("--compress-program"));
            case "tree" -> readerWith(args, Set.of("-o"), Set.of());
            case "date" -> readerWith(args, Set.of(), Set.of("-s", "--set"));
            case "rg" -> readerWith(args, Set.of(), Set.of("--pre"));
            case "less", "more" -> readerWith(args, Set.of("-o", "-O", "--log-file", "--LOG-FILE"), Set.of());
            case "uniq", "xxd" -> secondOperandWritten(args);
            case "tar" -> tar(args);
            case "make", "gmake" -> make(args);
            default -> {
                if (PACKAGE_TOOLS.contains(name)) {
                    yield packageTool(name, args);
                }
                if (BUILD_TOOLS.contains(name)) {
                    yield build(args);
                }
                yield scanTails ? unknown(args) : Risk.WRITES_WORKSPACE;
            }
        };
    }

    /** A program it does not know: writes the workspace, unless it is a wrapper of a riskier command. */
    private Risk unknown(List<Word> args) {
        return max(Risk.WRITES_WORKSPACE, commandsIn(args));
    }

    /**
     * The riskiest command an unknown program (or {@code poetry run}, {@code docker run}…) may be
     * running from its arguments: each argument onwards that names a program ({@code strace -f curl x}),
     * and each argument that parses as a shell line ({@code script -c 'curl x'}).
     */
    private Risk commandsIn(List<Word> args) {
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
            } else if (o.length() > 2 && !o.startsWith("--") && (valued.contains(o.substring(0, 2)) || writing.contains(o.substring(0, 2)))) {
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
                String split = o.equals("-S") ? (i + 1 < args.size() ? args.get(i + 1).literal().orElse(null) : null)
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
                Word dir = o.contains("=") ? Word.of(o.substring(o.indexOf('=') + 1)) : (i + 1 < args.size() ? args.get(i + 1) : Word.UNKNOWN);
                leaveIfOutside(dir);
                i += o.contains("=") ? 1 : 2;
                continue;
            }
            if (o.equals("-u") || o.equals("--unset")) {
                i += 2;
                continue;
            }
            if (o.equals("-") || o.matches("-[i0v]+") || o.startsWith("--unset=") || o.equals("--ignore-environment")
                    || o.equals("--null") || o.equals("--debug") || o.startsWith("--default-signal") || o.startsWith("--ignore-signal")
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

    /** {@code sh}/{@code bash}: {@code -c STRING} is classified; a script file is workspace code; no script reads commands from stdin. */
    private Risk shell(List<Word> args) {
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
            if (o.equals("--norc") || o.equals("--noprofile") || o.equals("--login") || o.equals("--posix") || o.equals("--noediting")) {
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
            return i < args.size() ? args.get(i).literal().map(this::text).orElse(Risk.DESTRUCTIVE) : Risk.DESTRUCTIVE;
        }
        return stdin || i >= args.size() ? Risk.DESTRUCTIVE : Risk.WRITES_WORKSPACE;
    }

    /** {@code python3}, {@code perl}, {@code node}…: inline code or code from stdin is unknowable; a script or module is workspace code. */
    private Risk interpreter(String interpreter, List<Word> args) {
        Set<String> inline = INLINE_CODE.get(interpreter);
        for (int i = 0; i < args.size(); i++) {
            Optional<String> lit = args.get(i).literal();
            if (lit.isEmpty()) {
                return Risk.DESTRUCTIVE;
            }
            String o = lit.get();
            boolean cluster = o.matches("-[a-zA-Z]+") && inline.stream().anyMatch(f -> f.length() == 2 && o.indexOf(f.charAt(1)) > 0);
            if (inline.contains(o) || inline.stream().anyMatch(f -> o.startsWith(f + "=")) || cluster) {
                return Risk.DESTRUCTIVE;
            }
            if (interpreter.equals("python") && o.matches("-[a-zA-Z]*m")) {
                String module = i + 1 < args.size() ? args.get(i + 1).literal().orElse("") : "";
                return module.equals("pip") || module.equals("pip3") ? packageTool("pip", args.subList(i + 2, args.size()))
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
    private Risk awk(List<Word> args) {
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
            String value = attached ? o.substring(o.startsWith("--") ? o.indexOf('=') + 1 : 2)
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
    private Risk sed(List<Word> args) {
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
                            value = i + 1 < args.size() ? args.get(++i).literal().orElse(null) : null;
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
                    case "--quiet", "--silent", "--regexp-extended", "--separate", "--unbuffered", "--null-data", "--posix",
                            "--debug", "--sandbox", "--follow-symlinks", "--line-length" -> {}
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
                        String value = j + 1 < o.length() ? o.substring(j + 1) : i + 1 < args.size() ? args.get(++i).literal().orElse(null) : null;
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
                r = max(r, write(Word.of(file)));
            }
        }
        if (inPlace) {
            r = max(r, Risk.WRITES_WORKSPACE);
            for (Word file : operands) {
                r = max(r, write(file));
            }
        }
        return r;
    }

    /** {@code find}: {@code -exec}/{@code -ok} commands are classified with an unknown file name; {@code -delete} is destructive. */
    private Risk find(List<Word> args) {
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
                    while (j < args.size() && !args.get(j).literal().filter(t -> t.equals(";") || t.equals("+")).isPresent()) {
                        command.add(args.get(j).toString().contains("{}") ? Word.UNKNOWN : args.get(j));
                        j++;
                    }
                    if (j >= args.size() || command.isEmpty()) {
                        return Risk.DESTRUCTIVE;
                    }
                    r = max(r, invoke(command, true));
                    i = j;
                }
                case "-fprint", "-fprint0", "-fls", "-fprintf" -> {
                    r = max(r, i + 1 < args.size() ? write(args.get(i + 1)) : Risk.DESTRUCTIVE);
                    i++;
                }
                default -> {}
            }
        }
        return r;
    }

    /** {@code fd}: {@code -x}/{@code -X} run the rest of the line per file. */
    private Risk fd(List<Word> args) {
        for (int i = 0; i < args.size(); i++) {
            Optional<String> lit = args.get(i).literal();
            if (lit.isEmpty() && args.get(i).couldBeOption()) {
                return Risk.DESTRUCTIVE;
            }
            if (lit.filter(l -> Set.of("-x", "--exec", "-X", "--exec-batch").contains(l)).isPresent()) {
                List<Word> command = new ArrayList<>(args.subList(i + 1, args.size()));
                command.replaceAll(w -> w.toString().contains("{") ? Word.UNKNOWN : w);
                command.add(Word.UNKNOWN);
                return command.size() == 1 ? Risk.DESTRUCTIVE : invoke(command, true);
            }
        }
        return Risk.READ_ONLY;
    }

    /** {@code xargs}: runs its command (default {@code echo}) with arguments from stdin, which are unknown. */
    private Risk xargs(List<Word> args) {
        Set<String> flags = Set.of("-0", "--null", "-r", "--no-run-if-empty", "-t", "--verbose", "-p", "--interactive", "-x", "--exit",
                "-o", "--open-tty", "--show-limits", "-i");
        Set<String> valued = Set.of("-a", "--arg-file", "-d", "--delimiter", "-E", "-e", "--eof", "-I", "--replace", "-L", "-l",
                "--max-lines", "-n", "--max-args", "-P", "--max-procs", "-s", "--max-chars", "--process-slot-var");
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
        while (i < args.size() && args.get(i).literal().filter(l -> l.startsWith("-")).isPresent()) {
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
        return action.get().equals("-") || action.get().equals("-p") || action.get().equals("-l") ? Risk.READ_ONLY : text(action.get());
    }

    private Risk declaration(boolean exported, List<Word> args) {
        Risk r = Risk.READ_ONLY;
        for (Word w : args) {
            Optional<Assignment> a = w.assignment();
            if (a.isPresent()) {
                r = max(r, assignment(a.get(), exported));
            } else if (w.literal().isEmpty()) {
                return Risk.DESTRUCTIVE;
            }
        }
        return r;
    }

    private Risk cd(List<Word> args) {
        List<Word> operands = args.stream().filter(w -> !w.literal().filter(l -> l.matches("-[LPe@]+")).isPresent()).toList();
        leaveIfOutside(operands.isEmpty() ? Word.of("~") : operands.getFirst());
        return Risk.READ_ONLY;
    }

    void leaveIfOutside(Word dir) {
        Optional<String> lit = dir.literal();
        if (lit.isEmpty() || lit.get().equals("-") || leavesWorkspace(lit.get())) {
            outsideWorkspace = true;
        }
    }

    /** {@code rm}: recursive, forced, of {@code /} or a glob is destructive; so is any path outside the workspace. */
    private Risk rm(String name, List<Word> args) {
        Risk r = Risk.WRITES_WORKSPACE;
        for (Word w : args) {
            Optional<String> lit = w.literal();
            if (w.couldBeOption() && lit.isEmpty()) {
                return Risk.DESTRUCTIVE;
            }
            String a = lit.orElse("");
            if (name.equals("rm") && (a.matches("-[a-zA-Z]*[rRf][a-zA-Z]*|--recursive|--force|--no-preserve-root") || a.equals("/"))) {
                return Risk.DESTRUCTIVE;
            }
            if (!a.startsWith("-")) {
                r = max(r, write(w));
            }
        }
        return r;
    }

    /** Programs that write every operand ({@code touch}, {@code mkdir}, {@code mv}, {@code ln}, {@code tee}). */
    private Risk writesEach(String name, List<Word> args) {
        Risk r = name.equals("tee") ? Risk.READ_ONLY : Risk.WRITES_WORKSPACE;
        for (Word w : args) {
            if (!w.literal().filter(l -> l.startsWith("-")).isPresent()) {
                r = max(r, write(w));
            }
        }
        return r;
    }

    /** {@code chmod}: recursive is destructive; the first operand is the mode, the others are written. */
    private Risk chmod(List<Word> args) {
        Risk r = Risk.WRITES_WORKSPACE;
        boolean mode = true;
        for (Word w : args) {
            Optional<String> lit = w.literal();
            if (lit.filter(l -> l.matches("-[a-zA-Z]*R[a-zA-Z]*|--recursive")).isPresent()) {
                return Risk.DESTRUCTIVE;
            }
            if (lit.filter(l -> l.matches("-[cfv]+|--(changes|silent|quiet|verbose|reference=.*)")).isPresent()) {
                continue;
            }
            if (mode) {
                mode = false;
            } else {
                r = max(r, write(w));
            }
        }
        return r;
    }

    /** {@code cp}/{@code install}: the destination (last operand, or {@code -t DIR}) is written. */
    private Risk copy(List<Word> args) {
        Word destination = null;
        for (int i = 0; i < args.size(); i++) {
            Word w = args.get(i);
            Optional<String> lit = w.literal();
            if (lit.isEmpty() && w.couldBeOption()) {
                return Risk.DESTRUCTIVE;
            }
            String a = lit.orElse("");
            if (a.equals("-t") || a.equals("--target-directory")) {
                return i + 1 < args.size() ? write(args.get(i + 1)) : Risk.DESTRUCTIVE;
            }
            if (a.startsWith("--target-directory=")) {
                return write(Word.of(a.substring(a.indexOf('=') + 1)));
            }
            if (!a.startsWith("-")) {
                destination = w;
            }
        }
        return destination == null ? Risk.WRITES_WORKSPACE : max(Risk.WRITES_WORKSPACE, write(destination));
    }

    /** A reading program with options that write a file or are destructive; options only known at run time fail closed. */
    private Risk readerWith(List<Word> args, Set<String> writing, Set<String> destructive) {
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
            if (destructive.contains(key) || destructive.stream().anyMatch(d -> d.length() == 2 && !o.startsWith("--") && o.startsWith(d))) {
                return Risk.DESTRUCTIVE;
            }
            for (String option : writing) {
                if (key.equals(option)) {
                    r = max(r, o.contains("=") ? write(Word.of(o.substring(o.indexOf('=') + 1))) : i + 1 < args.size() ? write(args.get(i + 1)) : Risk.DESTRUCTIVE);
                } else if (option.length() == 2 && !o.startsWith("--") && o.startsWith("-") && o.indexOf(option.charAt(1)) > 0) {
                    int at = o.indexOf(option.charAt(1));
                    r = max(r, at + 1 < o.length() ? write(Word.of(o.substring(at + 1))) : i + 1 < args.size() ? write(args.get(i + 1)) : Risk.DESTRUCTIVE);
                }
            }
        }
        return r;
    }

    /** {@code uniq IN OUT}, {@code xxd IN OUT}: the second operand is written. */
    private Risk secondOperandWritten(List<Word> args) {
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
        return operands.size() >= 2 ? write(operands.get(1)) : Risk.READ_ONLY;
    }

    /** {@code tar}: options that run commands are destructive; anything else writes the workspace ({@code -C} outside: destructive). */
    private Risk tar(List<Word> args) {
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
            if (o.matches("--(to-command|use-compress-program|checkpoint-action|info-script|new-volume-script|rsh-command|rmt-command).*")
                    || o.matches("-[a-zA-Z]*[IF][a-zA-Z]*")) {
                return Risk.DESTRUCTIVE;
            }
            if (o.equals("-C") || o.equals("--directory") || o.equals("--file") || o.matches("-?[a-zA-Z]*f")) {
                r = max(r, i + 1 < args.size() ? write(args.get(i + 1)) : Risk.DESTRUCTIVE);
            }
        }
        return r;
    }

    /** {@code make}: recipes are workspace code; {@code --eval} and {@code VAR=value} overrides are classified as commands. */
    private Risk make(List<Word> args) {
        Risk r = Risk.WRITES_WORKSPACE;
        for (int i = 0; i < args.size(); i++) {
            Word w = args.get(i);
            Optional<String> lit = w.literal();
            Optional<Assignment> a = w.assignment();
            if (a.isPresent()) {
                r = max(r, a.get().value().literal().map(this::text).orElse(Risk.DESTRUCTIVE));
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
                r = max(r, dir.literal().filter(d -> !leavesWorkspace(d)).isPresent() ? Risk.WRITES_WORKSPACE : Risk.DESTRUCTIVE);
            }
        }
        return r;
    }

    /**
     * Package managers: installing, publishing or running remote packages needs the network (any
     * argument naming such a verb counts, so options with values cannot hide it); the rest runs
     * workspace code.
     */
    private Risk packageTool(String name, List<Word> args) {
        boolean network = name.equals("kubectl") || name.equals("helm")
                || (args.isEmpty() && (name.equals("yarn") || name.equals("bundle") || name.equals("composer")));
        for (Word w : args) {
            Optional<String> lit = w.literal();
            if (lit.isEmpty() && w.couldBeOption()) {
                return Risk.DESTRUCTIVE;
            }
            network |= lit.filter(INSTALL_VERBS::contains).isPresent();
        }
        return network ? Risk.NETWORK : max(Risk.WRITES_WORKSPACE, commandsIn(args));
    }

    /** Maven and Gradle: builds are workspace code; deploying or refreshing needs the network; {@code exec:exec} runs any program. */
    private Risk build(List<Word> args) {
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
            if (a.equals("-U") || a.equals("--update-snapshots") || a.equals("deploy") || a.equals("--refresh-dependencies")
                    || a.startsWith("deploy:") || a.startsWith("release:") || a.equals("publish")) {
                r = Risk.NETWORK;
            }
        }
        return r;
    }

    static Risk max(Risk a, Risk b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
