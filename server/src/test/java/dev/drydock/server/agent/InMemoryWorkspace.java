package dev.drydock.server.agent;

import dev.drydock.server.agent.tool.TextEdits;
import dev.drydock.server.agent.tool.ToolFailure;
import dev.drydock.server.agent.tool.Workspace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/** A workspace in memory; commands are answered by a function of (command line, files). */
public final class InMemoryWorkspace implements Workspace {
    private final Map<String, String> base;
    private final Map<String, String> files = new ConcurrentHashMap<>();
    private final BiFunction<String, Map<String, String>, CommandResult> commands;
    private final List<String> ran = new ArrayList<>();
    private volatile boolean destroyed;

    public InMemoryWorkspace(
            Map<String, String> files, BiFunction<String, Map<String, String>, CommandResult> commands) {
        this.base = Map.copyOf(files);
        this.files.putAll(files);
        this.commands = commands;
    }

    public Map<String, String> files() {
        return Map.copyOf(files);
    }

    public synchronized List<String> ran() {
        return List.copyOf(ran);
    }

    public boolean destroyed() {
        return destroyed;
    }

    @Override
    public CommandResult run(String commandLine, Duration timeout) {
        synchronized (this) {
            ran.add(commandLine);
        }
        return commands.apply(commandLine, files);
    }

    @Override
    public String read(String path) {
        String content = files.get(norm(path));
        if (content == null) {
            throw new ToolFailure(path + " does not exist");
        }
        return content;
    }

    @Override
    public void write(String path, String content) {
        files.put(norm(path), content);
    }

    @Override
    public boolean isFile(String path) {
        return files.containsKey(norm(path));
    }

    @Override
    public List<Entry> list(String directory) {
        String prefix = norm(directory).equals(".") ? "" : norm(directory) + "/";
        Map<String, Entry> out = new TreeMap<>();
        for (String f : new TreeSet<>(files.keySet())) {
            if (f.startsWith(prefix)) {
                String rest = f.substring(prefix.length());
                int slash = rest.indexOf('/');
                if (slash < 0) {
                    out.put(rest, new Entry(rest, false, files.get(f).length()));
                } else {
                    out.put(rest.substring(0, slash), new Entry(rest.substring(0, slash), true, 0));
                }
            }
        }
        return List.copyOf(out.values());
    }

    @Override
    public String diff() {
        StringBuilder out = new StringBuilder();
        for (String f : new TreeSet<>(files.keySet())) {
            out.append(TextEdits.unifiedDiff(f, base.getOrDefault(f, ""), files.get(f)));
        }
        return out.toString();
    }

    @Override
    public void destroy() {
        destroyed = true;
    }

    private static String norm(String p) {
        String s = p.startsWith("./") ? p.substring(2) : p;
        return s.isEmpty() ? "." : s;
    }
}
