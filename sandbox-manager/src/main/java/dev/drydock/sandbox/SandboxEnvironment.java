package dev.drydock.sandbox;

import java.util.Map;

/** The clean environment every sandboxed command starts from, on every backend. */
public final class SandboxEnvironment {
    /**
     * Variables set before the request's own. {@code PYTHONDONTWRITEBYTECODE}: CPython trusts a cached
     * {@code .pyc} while the source keeps its size and its mtime in whole seconds, and droids edit files
     * within a second of running them ({@code a - b} to {@code a + b}), so cached bytecode would run the
     * old code; it also keeps {@code __pycache__} out of the workspace.
     */
    public static final Map<String, String> BASE = Map.of(
            "PATH", "/usr/local/bin:/usr/bin:/bin",
            "HOME", "/tmp",
            "LANG", "C.UTF-8",
            "TERM", "dumb",
            "USER", "sandbox",
            "TMPDIR", "/tmp",
            "PYTHONDONTWRITEBYTECODE", "1");

    private SandboxEnvironment() {}
}
