package dev.drydock.server.replay;

import dev.drydock.server.agent.tool.ToolFailure;
import dev.drydock.server.agent.tool.Workspace;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The workspace of a replay: there is no sandbox. It holds only the rules files recorded in the
 * session's context (so a test command read from them rates as it did); anything else is a failure
 * the replay reports, never a command run.
 */
final class OfflineWorkspace implements Workspace {
    private final Map<String, String> files;

    OfflineWorkspace(Map<String, String> files) {
        this.files = Map.copyOf(files);
    }

    @Override
    public CommandResult run(String commandLine, Duration timeout) {
        throw new ToolFailure("a replay runs no command: " + commandLine);
    }

    @Override
    public void write(String path, String content) {
        throw new ToolFailure("a replay writes no file: " + path);
    }

    @Override
    public String diff() {
        return "";
    }

    @Override
    public void destroy() {}

    @Override
    public String read(String path) {
        String text = files.get(path);
        if (text == null) {
            throw new ToolFailure("a replay reads no file: " + path);
        }
        return text;
    }

    @Override
    public boolean isFile(String path) {
        return files.containsKey(path);
    }

    @Override
    public List<Entry> list(String directory) {
        return List.of();
    }
}
