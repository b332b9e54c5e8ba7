package dev.drydock.server.session;

import dev.drydock.sandbox.PathPattern;
import dev.drydock.server.agent.tool.CodeSearchPort;
import dev.drydock.server.agent.tool.ToolFailure;
import dev.drydock.server.agent.tool.Workspace;
import dev.drydock.server.classification.Classification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The tools' {@link Workspace} and code search with the session's {@link ContentClassification}
 * kept up to date: reads raise it to the file's label, commands to the highest label in the sandbox,
 * search hits to theirs. Withheld paths (above what the droid's models are cleared for) cannot be
 * written, and search hits in them are dropped.
 */
final class ClassifiedWorkspace implements Workspace {
    private final Workspace files;
    private final ContentClassification level;
    private final List<PathPattern> withheld;

    ClassifiedWorkspace(Workspace files, ContentClassification level, List<PathPattern> withheld) {
        this.files = files;
        this.level = level;
        this.withheld = List.copyOf(withheld);
    }

    @Override
    public String read(String path) {
        String text = files.read(path);
        level.read(path);
        return text;
    }

    @Override
    public boolean isFile(String path) {
        return files.isFile(path);
    }

    @Override
    public List<Entry> list(String directory) {
        return files.list(directory);
    }

    @Override
    public CommandResult run(String commandLine, Duration timeout) {
        level.ranCommand();
        return files.run(commandLine, timeout);
    }

    @Override
    public void write(String path, String content) {
        if (PathPattern.anyMatches(withheld, path)) {
            throw new ToolFailure(path + " is withheld from this session: it is labelled "
                    + level.of(path).label() + ", above what this droid's models are cleared for; leave it unchanged");
        }
        files.write(path, content);
    }

    @Override
    public String diff() {
        return files.diff();
    }

    @Override
    public void destroy() {
        files.destroy();
    }

    /** {@code search} without hits the session may not see, raising the level by the hits it returns. */
    CodeSearchPort search(CodeSearchPort search) {
        return (query, limit) -> {
            List<CodeSearchPort.Hit> out = new ArrayList<>();
            for (CodeSearchPort.Hit h : search.search(query, limit)) {
                Classification label = level.of(h.repo(), h.path());
                if (level.admits(label)) {
                    level.raise(
                            label, "search hit in " + h.repo() + ":" + h.path() + " (labelled " + label.label() + ")");
                    out.add(h);
                }
            }
            return out;
        };
    }
}
