package dev.drydock.server.session;

import dev.drydock.sandbox.ExecRequest;
import dev.drydock.sandbox.ExecResult;
import dev.drydock.sandbox.FileEntry;
import dev.drydock.sandbox.Sandbox;
import dev.drydock.sandbox.SandboxException;
import dev.drydock.sandbox.Termination;
import dev.drydock.server.agent.tool.ToolFailure;
import dev.drydock.server.agent.tool.Workspace;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The tools' {@link Workspace} over a real sandbox; sandbox refusals become {@link ToolFailure}s. */
final class SandboxWorkspace implements Workspace {
    private final Sandbox sandbox;

    SandboxWorkspace(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    Sandbox sandbox() {
        return sandbox;
    }

    @Override
    public CommandResult run(String commandLine, Duration timeout) {
        try {
            ExecResult r = sandbox.exec(
                    new ExecRequest(List.of("sh", "-c", commandLine), ".", Map.of(), timeout, new byte[0]));
            String out = r.stdout().text()
                    + (r.stderr().text().isEmpty()
                            ? ""
                            : (r.stdout().text().isEmpty() ? "" : "\n")
                                    + r.stderr().text());
            boolean timedOut = r.termination() instanceof Termination.TimedOut;
            String status = r.termination() instanceof Termination.Killed k ? "\n[killed: " + k.reason() + "]" : "";
            return new CommandResult(r.exitCode(), out + status, timedOut);
        } catch (SandboxException e) {
            throw new ToolFailure("the sandbox refused the command: " + e.getMessage(), e);
        }
    }

    @Override
    public String read(String path) {
        try {
            return new String(sandbox.readFile(path), StandardCharsets.UTF_8);
        } catch (SandboxException e) {
            throw new ToolFailure("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void write(String path, String content) {
        try {
            sandbox.writeFile(path, content.getBytes(StandardCharsets.UTF_8));
        } catch (SandboxException e) {
            throw new ToolFailure("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean isFile(String path) {
        try {
            return sandbox.stat(path).type() == FileEntry.Type.FILE;
        } catch (SandboxException e) {
            return false;
        }
    }

    @Override
    public List<Entry> list(String directory) {
        try {
            return sandbox.list(directory).stream()
                    .map(e -> new Entry(
                            e.path().substring(e.path().lastIndexOf('/') + 1),
                            e.type() == FileEntry.Type.DIRECTORY,
                            e.size()))
                    .toList();
        } catch (SandboxException e) {
            throw new ToolFailure("cannot list " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String diff() {
        try {
            return sandbox.diff();
        } catch (SandboxException e) {
            throw new ToolFailure("cannot diff the workspace: " + e.getMessage(), e);
        }
    }

    @Override
    public void destroy() {
        sandbox.destroy();
    }
}
