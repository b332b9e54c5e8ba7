package dev.drydock.server.agent.context;

import dev.drydock.server.agent.tool.FileTree;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the repository's instructions for agents, hierarchically: Drydock's own {@code
 * .drydock/rules.md} first, then {@code AGENTS.md}, {@code CLAUDE.md}, {@code .cursorrules} and
 * {@code .github/copilot-instructions.md} at the root, then {@code AGENTS.md} and {@code
 * .drydock/rules.md} in subdirectories (breadth first, depth ≤ 3), so that nearer rules come later
 * and win.
 */
public final class RulesFiles {
    /** Root-level rules files, in the order they are read. */
    public static final List<String> ROOT_FILES =
            List.of(".drydock/rules.md", "AGENTS.md", "CLAUDE.md", ".cursorrules", ".github/copilot-instructions.md");

    private static final List<String> NESTED_FILES = List.of("AGENTS.md", ".drydock/rules.md");
    private static final int MAX_DEPTH = 3;
    private static final int MAX_CHARS_PER_FILE = 8000;

    private RulesFiles() {}

    /** Rules files found, in reading order, and their combined text. */
    public record Rules(List<String> files, String text) {}

    public static Rules load(FileTree ws) {
        List<String> files = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (String f : ROOT_FILES) {
            add(ws, f, files, text);
        }
        List<String> level = List.of(".");
        for (int depth = 1; depth <= MAX_DEPTH && !level.isEmpty(); depth++) {
            List<String> next = new ArrayList<>();
            for (String dir : level) {
                for (FileTree.Entry e : ws.list(dir)) {
                    if (e.directory() && !e.name().startsWith(".") && !SKIP.contains(e.name())) {
                        String sub = dir.equals(".") ? e.name() : dir + "/" + e.name();
                        next.add(sub);
                        for (String f : NESTED_FILES) {
                            add(ws, sub + "/" + f, files, text);
                        }
                    }
                }
            }
            level = next.size() > 200 ? next.subList(0, 200) : next;
        }
        return new Rules(List.copyOf(files), text.toString());
    }

    static final java.util.Set<String> SKIP =
            java.util.Set.of("node_modules", "target", "build", "dist", "vendor", "__pycache__", "venv");

    private static void add(FileTree ws, String path, List<String> files, StringBuilder text) {
        if (!ws.isFile(path)) {
            return;
        }
        String content = ws.read(path).strip();
        if (content.length() > MAX_CHARS_PER_FILE) {
            content = content.substring(0, MAX_CHARS_PER_FILE) + "\n[... truncated]";
        }
        files.add(path);
        text.append("### ").append(path).append("\n\n").append(content).append("\n\n");
    }
}
