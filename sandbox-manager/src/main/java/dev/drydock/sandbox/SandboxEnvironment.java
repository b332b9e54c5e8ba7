package dev.drydock.sandbox;

import java.util.Map;

/** The clean environment every sandboxed command starts from, on every backend. */
public final class SandboxEnvironment {
    /** Variables set before the request's own. */
    public static final Map<String, String> BASE =
            Map.of(
                    "PATH", "/usr/local/bin:/usr/bin:/bin",
                    "HOME", "/tmp",
                    "LANG", "C.UTF-8",
                    "TERM", "dumb",
                    "USER", "sandbox",
                    "TMPDIR", "/tmp");

    private SandboxEnvironment() {}
}
