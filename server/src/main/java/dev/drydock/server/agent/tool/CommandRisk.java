package dev.drydock.server.agent.tool;

import dev.drydock.server.agent.event.Action.Risk;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Classifies a shell command line by rules, never by the model: each segment (split at {@code ;},
 * {@code &&}, {@code ||}, {@code |}, newlines) is classified and the riskiest segment wins. Unknown
 * programs count as writing the workspace.
 */
public final class CommandRisk {
    private static final Pattern SEGMENTS = Pattern.compile("\\|\\||&&|[;|\\n]|\\$\\(|`");
    private static final Set<String> READ_ONLY = Set.of(
            "ls", "cat", "head", "tail", "wc", "grep", "egrep", "fgrep", "rg", "echo", "pwd", "tree", "file", "stat", "diff", "sort",
            "uniq", "which", "du", "df", "less", "more", "true", "false", "test", "[", "basename", "dirname", "realpath", "cut",
            "tr", "nl", "od", "xxd", "md5sum", "sha256sum", "date", "whoami", "id", "env", "printenv", "type", "cmp", "awk", "jq");
    private static final Set<String> NETWORK = Set.of(
            "curl", "wget", "ssh", "scp", "sftp", "rsync", "nc", "ncat", "netcat", "telnet", "ftp", "ping", "dig", "nslookup",
            "apt", "apt-get", "yum", "dnf", "apk", "brew");
    private static final Set<String> DESTRUCTIVE = Set.of("mkfs", "dd", "shutdown", "reboot", "halt", "poweroff", "sudo", "su", "shred", "truncate", "kill", "killall", "pkill", "chown");
    private static final Set<String> READ_ONLY_GIT = Set.of("status", "log", "diff", "show", "blame", "grep", "ls-files", "rev-parse", "describe", "shortlog");
    private static final Set<String> NETWORK_GIT = Set.of("clone", "fetch", "pull", "push", "ls-remote", "submodule", "remote");
    private static final Set<String> INSTALL_VERBS = Set.of("install", "add", "ci", "publish", "get", "download", "update", "upgrade", "pull", "push", "login");

    private CommandRisk() {}

    public static Risk classify(String commandLine) {
        Risk worst = Risk.READ_ONLY;
        for (String segment : SEGMENTS.split(commandLine)) {
            Risk r = segment(segment.strip());
            if (r.compareTo(worst) > 0) {
                worst = r;
            }
        }
        if (commandLine.matches("(?s).*(^|[^0-9&>])>{1,2}\\s*[^&\\s].*") && worst.compareTo(Risk.WRITES_WORKSPACE) < 0) {
            worst = Risk.WRITES_WORKSPACE;
        }
        return worst;
    }

    private static Risk segment(String segment) {
        if (segment.isEmpty()) {
            return Risk.READ_ONLY;
        }
        List<String> words = List.of(segment.split("\\s+"));
        int k = 0;
        while (k < words.size() && (words.get(k).matches("[A-Za-z_][A-Za-z0-9_]*=.*") || words.get(k).equals("time") || words.get(k).equals("(") )) {
            k++;
        }
        if (k >= words.size()) {
            return Risk.READ_ONLY;
        }
        String program = words.get(k).replaceFirst("^.*/", "").replace("(", "");
        List<String> rest = words.subList(k + 1, words.size());
        if (DESTRUCTIVE.contains(program)) {
            return Risk.DESTRUCTIVE;
        }
        if (NETWORK.contains(program)) {
            return Risk.NETWORK;
        }
        switch (program) {
            case "rm" -> {
                return rest.stream().anyMatch(w -> w.matches("-[a-zA-Z]*[rRf][a-zA-Z]*|--recursive|--force") || w.equals("/") || w.equals("*"))
                        ? Risk.DESTRUCTIVE
                        : Risk.WRITES_WORKSPACE;
            }
            case "git" -> {
                String verb = rest.stream().filter(w -> !w.startsWith("-")).findFirst().orElse("");
                if (NETWORK_GIT.contains(verb)) {
                    return Risk.NETWORK;
                }
                if ((verb.equals("reset") && rest.contains("--hard")) || verb.equals("clean")
                        || (verb.equals("checkout") && rest.contains("--") && rest.contains("."))
                        || (verb.equals("branch") && rest.stream().anyMatch(w -> w.equals("-D")))) {
                    return Risk.DESTRUCTIVE;
                }
                return READ_ONLY_GIT.contains(verb) ? Risk.READ_ONLY : Risk.WRITES_WORKSPACE;
            }
            case "find" -> {
                if (rest.contains("-delete")) {
                    return Risk.DESTRUCTIVE;
                }
                return rest.stream().anyMatch(w -> w.startsWith("-exec") || w.startsWith("-ok")) ? Risk.WRITES_WORKSPACE : Risk.READ_ONLY;
            }
            case "sed" -> {
                return rest.stream().anyMatch(w -> w.startsWith("-i") || w.equals("--in-place")) ? Risk.WRITES_WORKSPACE : Risk.READ_ONLY;
            }
            case "chmod" -> {
                return rest.contains("-R") ? Risk.DESTRUCTIVE : Risk.WRITES_WORKSPACE;
            }
            case "pip", "pip3", "npm", "yarn", "pnpm", "go", "cargo", "gem", "docker", "podman", "helm", "kubectl" -> {
                String verb = rest.stream().filter(w -> !w.startsWith("-")).findFirst().orElse("");
                return INSTALL_VERBS.contains(verb) || program.equals("kubectl") || program.equals("helm") ? Risk.NETWORK : Risk.WRITES_WORKSPACE;
            }
            case "mvn", "mvnw", "gradle", "gradlew" -> {
                return rest.stream().anyMatch(w -> w.equals("-U") || w.equals("--update-snapshots") || w.equals("deploy") || w.equals("--refresh-dependencies"))
                        ? Risk.NETWORK
                        : Risk.WRITES_WORKSPACE;
            }
            default -> {
                return READ_ONLY.contains(program) ? Risk.READ_ONLY : Risk.WRITES_WORKSPACE;
            }
        }
    }
}
