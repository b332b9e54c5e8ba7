package dev.drydock.server.agent.tool;

import static dev.drydock.server.agent.tool.CommandClassifier.max;

import dev.drydock.server.agent.event.Action.Risk;
import dev.drydock.server.agent.tool.ShellSyntax.Word;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The risk of a {@code git} invocation: global options ({@code -C}, {@code --git-dir}…) are skipped
 * to find the subcommand; {@code -c}/{@code --config-env} and names that are not git's own commands
 * (aliases, which may be {@code !shell}, or {@code git-*} programs) are destructive.
 */
final class GitCommands {
    private static final Set<String> READ_ONLY = Set.of(
            "status",
            "log",
            "diff",
            "show",
            "blame",
            "annotate",
            "grep",
            "ls-files",
            "ls-tree",
            "rev-parse",
            "describe",
            "shortlog",
            "cat-file",
            "rev-list",
            "show-ref",
            "for-each-ref",
            "merge-base",
            "name-rev",
            "count-objects",
            "version",
            "whatchanged",
            "range-diff",
            "check-ignore",
            "check-attr",
            "diff-tree",
            "diff-index",
            "diff-files",
            "var",
            "cherry",
            "verify-commit",
            "verify-tag");
    private static final Set<String> NETWORK = Set.of(
            "clone",
            "fetch",
            "pull",
            "push",
            "ls-remote",
            "submodule",
            "remote",
            "send-email",
            "request-pull",
            "svn",
            "p4",
            "instaweb",
            "daemon",
            "archive-remote");
    /** Git's own commands that change the repository or the work tree. */
    private static final Set<String> WRITES = Set.of(
            "add",
            "am",
            "apply",
            "archive",
            "bisect",
            "branch",
            "bundle",
            "checkout",
            "cherry-pick",
            "clean",
            "commit",
            "config",
            "difftool",
            "filter-branch",
            "format-patch",
            "gc",
            "init",
            "merge",
            "mergetool",
            "mv",
            "notes",
            "prune",
            "rebase",
            "reflog",
            "repack",
            "replace",
            "reset",
            "restore",
            "revert",
            "rm",
            "sparse-checkout",
            "stash",
            "switch",
            "tag",
            "worktree",
            "hash-object",
            "update-index",
            "update-ref",
            "write-tree",
            "read-tree",
            "symbolic-ref",
            "maintenance",
            "help",
            "citool",
            "gui",
            "credential",
            "lfs",
            "fsck");

    private static final Set<String> GLOBAL_FLAGS = Set.of(
            "-p",
            "--paginate",
            "-P",
            "--no-pager",
            "--bare",
            "--no-replace-objects",
            "--literal-pathspecs",
            "--glob-pathspecs",
            "--noglob-pathspecs",
            "--icase-pathspecs",
            "--no-optional-locks",
            "--no-lazy-fetch",
            "--no-advice");

    private GitCommands() {}

    static Risk classify(List<Word> args, CommandClassifier rules) {
        boolean elsewhere = false;
        int i = 0;
        while (i < args.size()) {
            Optional<String> lit = args.get(i).literal();
            if (lit.isEmpty()) {
                return Risk.DESTRUCTIVE;
            }
            String o = lit.get();
            if (!o.startsWith("-")) {
                break;
            }
            String key = o.contains("=") ? o.substring(0, o.indexOf('=')) : o;
            if (o.startsWith("-c") || key.equals("--config-env") || key.equals("--exec-path") && o.contains("=")) {
                return Risk.DESTRUCTIVE;
            }
            if (Set.of("--version", "--help", "-h", "--exec-path", "--html-path", "--man-path", "--info-path")
                    .contains(o)) {
                return Risk.READ_ONLY;
            }
            if (Set.of("-C", "--git-dir", "--work-tree", "--namespace", "--super-prefix")
                    .contains(key)) {
                Word dir = o.contains("=")
                        ? Word.of(o.substring(o.indexOf('=') + 1))
                        : i + 1 < args.size() ? args.get(i + 1) : Word.UNKNOWN;
                elsewhere |= !key.equals("--namespace")
                        && rules.write(dir) == Risk.DESTRUCTIVE
                        && !dir.literal().equals(Optional.of(".git"));
                i += o.contains("=") ? 1 : 2;
            } else if (GLOBAL_FLAGS.contains(o)) {
                i++;
            } else {
                return Risk.DESTRUCTIVE;
            }
        }
        if (i >= args.size()) {
            return Risk.READ_ONLY;
        }
        String verb = args.get(i).literal().orElseThrow();
        List<Word> rest = args.subList(i + 1, args.size());
        Risk r = subcommand(verb, rest, rules);
        return elsewhere && r == Risk.WRITES_WORKSPACE ? Risk.DESTRUCTIVE : r;
    }

    private static Risk subcommand(String verb, List<Word> rest, CommandClassifier rules) {
        List<String> words = rest.stream().map(w -> w.literal().orElse("\0")).toList();
        boolean unknownOption = rest.stream()
                .takeWhile(w -> !w.literal().equals(Optional.of("--")))
                .anyMatch(w -> w.literal().isEmpty() && w.couldBeOption());
        if (unknownOption) {
            return Risk.DESTRUCTIVE;
        }
        if (words.stream()
                .anyMatch(w -> w.startsWith("--upload-pack")
                        || w.startsWith("--receive-pack")
                        || ((w.equals("--exec") || w.startsWith("--exec=")) && !verb.equals("rebase")))) {
            return Risk.DESTRUCTIVE;
        }
        if (verb.equals("submodule") && words.contains("foreach")) {
            List<Word> command = rest.subList(words.indexOf("foreach") + 1, rest.size());
            return max(Risk.NETWORK, command.isEmpty() ? Risk.DESTRUCTIVE : rules.text(command));
        }
        if (NETWORK.contains(verb)) {
            boolean listsRemotes = verb.equals("remote")
                    && (words.isEmpty()
                            || words.equals(List.of("-v"))
                            || words.equals(List.of("--verbose"))
                            || words.getFirst().equals("get-url"));
            return listsRemotes ? Risk.READ_ONLY : Risk.NETWORK;
        }
        switch (verb) {
            case "config" -> {
                boolean reads = words.stream()
                        .anyMatch(w -> w.startsWith("--get")
                                || w.equals("-l")
                                || w.equals("--list")
                                || w.equals("get")
                                || w.equals("list"));
                return reads ? Risk.READ_ONLY : Risk.DESTRUCTIVE;
            }
            case "reset" -> {
                return words.contains("--hard") ? Risk.DESTRUCTIVE : Risk.WRITES_WORKSPACE;
            }
            case "clean", "filter-branch" -> {
                return Risk.DESTRUCTIVE;
            }
            case "checkout" -> {
                return words.contains("--") && words.contains(".") || words.contains("-f") || words.contains("--force")
                        ? Risk.DESTRUCTIVE
                        : Risk.WRITES_WORKSPACE;
            }
            case "branch" -> {
                if (words.stream()
                        .anyMatch(w -> w.equals("-D")
                                || w.equals("-M")
                                || w.equals("-C")
                                || w.equals("--force")
                                || w.equals("-f"))) {
                    return Risk.DESTRUCTIVE;
                }
                boolean lists = words.stream()
                        .allMatch(w -> w.startsWith("-")
                                && !w.equals("-d")
                                && !w.equals("--delete")
                                && !w.equals("-m")
                                && !w.equals("-c")
                                && !w.startsWith("--set-upstream")
                                && !w.equals("-u")
                                && !w.equals("--unset-upstream"));
                return lists ? Risk.READ_ONLY : Risk.WRITES_WORKSPACE;
            }
            case "tag" -> {
                return words.isEmpty() || words.contains("-l") || words.contains("--list")
                        ? Risk.READ_ONLY
                        : Risk.WRITES_WORKSPACE;
            }
            case "stash" -> {
                String action = words.isEmpty() ? "push" : words.getFirst();
                return action.equals("list") || action.equals("show")
                        ? Risk.READ_ONLY
                        : action.equals("drop") || action.equals("clear") ? Risk.DESTRUCTIVE : Risk.WRITES_WORKSPACE;
            }
            case "reflog" -> {
                return words.isEmpty() || words.getFirst().equals("show")
                        ? Risk.READ_ONLY
                        : words.getFirst().equals("expire") || words.getFirst().equals("delete")
                                ? Risk.DESTRUCTIVE
                                : Risk.WRITES_WORKSPACE;
            }
            case "rebase" -> {
                Risk r = Risk.WRITES_WORKSPACE;
                for (int i = 0; i < rest.size(); i++) {
                    String w = words.get(i);
                    if (w.equals("-x") || w.equals("--exec")) {
                        r = max(
                                r,
                                i + 1 < rest.size()
                                        ? rest.get(i + 1)
                                                .literal()
                                                .map(rules::text)
                                                .orElse(Risk.DESTRUCTIVE)
                                        : Risk.DESTRUCTIVE);
                    } else if (w.startsWith("--exec=")) {
                        r = max(r, rules.text(w.substring("--exec=".length())));
                    }
                }
                return r;
            }
            case "bisect" -> {
                return !words.isEmpty() && words.getFirst().equals("run")
                        ? max(
                                Risk.WRITES_WORKSPACE,
                                rest.size() > 1 ? rules.invoke(rest.subList(1, rest.size()), true) : Risk.DESTRUCTIVE)
                        : Risk.WRITES_WORKSPACE;
            }
            case "difftool", "mergetool" -> {
                return words.stream().anyMatch(w -> w.equals("-x") || w.startsWith("--extcmd"))
                        ? Risk.DESTRUCTIVE
                        : Risk.WRITES_WORKSPACE;
            }
            default -> {}
        }
        if (READ_ONLY.contains(verb)) {
            Risk r = Risk.READ_ONLY;
            for (int i = 0; i < words.size(); i++) {
                String w = words.get(i);
                if (w.equals("--")) {
                    break;
                }
                if (w.startsWith("-O")
                        || w.startsWith("--open-files-in-pager")
                        || w.startsWith("--ext-diff")
                        || w.startsWith("--textconv")
                        || w.equals("--filters")) {
                    return Risk.DESTRUCTIVE;
                }
                if (w.equals("--output")) {
                    r = max(r, i + 1 < rest.size() ? rules.write(rest.get(i + 1)) : Risk.DESTRUCTIVE);
                } else if (w.startsWith("--output=")) {
                    r = max(r, rules.write(Word.of(w.substring("--output=".length()))));
                }
            }
            return r;
        }
        if (!WRITES.contains(verb)) {
            return Risk.DESTRUCTIVE;
        }
        Risk r = Risk.WRITES_WORKSPACE;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.equals("-o") || w.equals("--output")) {
                r = max(r, i + 1 < rest.size() ? rules.write(rest.get(i + 1)) : Risk.DESTRUCTIVE);
            } else if (w.startsWith("--output=") || w.startsWith("--output-directory=")) {
                r = max(r, rules.write(Word.of(w.substring(w.indexOf('=') + 1))));
            } else if (w.startsWith("/") || w.startsWith("~") || w.startsWith("../") || w.equals("..")) {
                r = Risk.DESTRUCTIVE;
            }
        }
        return r;
    }
}
