package dev.drydock.cli.bench;

import dev.drydock.server.agent.tool.TextEdits;
import dev.drydock.server.agent.tool.ToolFailure;
import dev.drydock.server.agent.tool.Workspace;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A tiny in-memory workspace for the benchmark: commands succeed at once, files live in a map. */
final class BenchWorkspace implements Workspace {
    private static final String CALC = "def add(a, b):\n    return a - b  # 0\n";
    private final Map<String, String> files =
            new ConcurrentHashMap<>(Map.of("calc.py", CALC, "test_calc.py", "import calc\n"));

    @Override
    public CommandResult run(String commandLine, Duration timeout) {
        if (commandLine.startsWith("grep")) {
            return new CommandResult(0, "calc.py:1:def add(a, b):\n", false);
        }
        return new CommandResult(read("calc.py").contains("a + b") ? 0 : 1, "Ran 1 test\n", false);
    }

    @Override
    public String read(String path) {
        String s = files.get(path);
        if (s == null) {
            throw new ToolFailure(path + " does not exist");
        }
        return s;
    }

    @Override
    public void write(String path, String content) {
        files.put(path, content);
    }

    @Override
    public boolean isFile(String path) {
        return files.containsKey(path);
    }

    @Override
    public List<Entry> list(String directory) {
        return files.keySet().stream()
                .sorted()
                .map(f -> new Entry(f, false, read(f).length()))
                .toList();
    }

    @Override
    public String diff() {
        return TextEdits.unifiedDiff("calc.py", CALC, read("calc.py"));
    }

    @Override
    public void destroy() {}
}
