package dev.drydock.sandbox;

/**
 * Where a backend reports what its sandboxes asked of package mirrors: every request the forwarding
 * proxy let through and every one it refused. Called on proxy threads; implementations must not
 * block for long. Never carries headers or bodies (they may hold a setup step's credentials).
 */
@FunctionalInterface
public interface MirrorLog {
    /** Records nothing. */
    MirrorLog NONE = r -> {};

    /** One request a sandbox made through the proxy. */
    void record(MirrorRequest request);

    /**
     * A request through the mirror proxy.
     *
     * @param sandboxId the sandbox that asked
     * @param sessionId its session (spec label)
     * @param workspaceId its workspace (spec label)
     * @param method {@code CONNECT}, {@code GET}, …
     * @param target {@code host:port} for CONNECT, the absolute URL (without credentials or query) otherwise
     * @param mirror the allowed mirror's name, empty when refused
     * @param allowed whether the proxy forwarded it
     * @param setup whether the sandbox's setup step was running
     */
    record MirrorRequest(
            String sandboxId,
            String sessionId,
            String workspaceId,
            String method,
            String target,
            String mirror,
            boolean allowed,
            boolean setup) {}
}
