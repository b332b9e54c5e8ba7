package dev.drydock.server.agent.context;

import dev.drydock.server.agent.tool.FileTree;
import dev.drydock.server.agent.tool.ToolFailure;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code @}-mentions of a task, as the portal's new-session form inserts them: {@code @repo:path}
 * names a file of a repository, {@code @Symbol} a type or function (resolved to its defining files by
 * the caller, which has the index). The files a task mentions are given to the droid with its first
 * context, read through the session's workspace (so its classification and withheld paths apply).
 */
public final class TaskMentions {
    /** At most this many mentioned files are given. */
    public static final int MAX_FILES = 8;
    /** A mentioned file is given up to this many characters. */
    public static final int MAX_CHARS_PER_FILE = 12_000;

    private static final Pattern PATH = Pattern.compile("(?<![\\w@.])@([A-Za-z0-9][\\w.-]*):([\\w./-]*[\\w])");
    private static final Pattern SYMBOL = Pattern.compile("(?<![\\w@.])@([A-Za-z_$][\\w$]*)(?![\\w$:.-]|/)");

    private TaskMentions() {}

    /** Paths of {@code repo} that the task mentions as {@code @repo:path}, in order, distinct, at most {@link #MAX_FILES}. */
    public static List<String> paths(String task, String repo) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = PATH.matcher(task);
        while (m.find() && out.size() < MAX_FILES) {
            if (m.group(1).equals(repo) && !m.group(2).contains("..")) {
                out.add(m.group(2));
            }
        }
        return new ArrayList<>(out);
    }

    /** Names the task mentions as {@code @Symbol}, in order, distinct, at most {@link #MAX_FILES}. */
    public static List<String> symbols(String task) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = SYMBOL.matcher(task);
        while (m.find() && out.size() < MAX_FILES) {
            out.add(m.group(1));
        }
        return new ArrayList<>(out);
    }

    /**
     * A context section with the content of each mentioned file that the workspace holds (the first
     * {@link #MAX_FILES}; each cut at {@link #MAX_CHARS_PER_FILE}), or an empty string when none does.
     */
    public static String section(FileTree files, List<String> paths) {
        StringBuilder text = new StringBuilder();
        int given = 0;
        for (String path : paths) {
            if (given >= MAX_FILES) {
                break;
            }
            String content;
            try {
                if (!files.isFile(path)) {
                    continue;
                }
                content = files.read(path);
            } catch (ToolFailure withheldOrUnreadable) {
                continue;
            }
            if (content.length() > MAX_CHARS_PER_FILE) {
                content = content.substring(0, MAX_CHARS_PER_FILE) + "\n[... truncated]";
            }
            text.append("### ")
                    .append(path)
                    .append("\n\n```\n")
                    .append(content.strip())
                    .append("\n```\n\n");
            given++;
        }
        return given == 0 ? "" : "\n## Files mentioned in the task\n\n" + text;
    }
}
