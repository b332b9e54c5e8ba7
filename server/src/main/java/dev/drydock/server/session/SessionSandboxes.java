package dev.drydock.server.session;

import dev.drydock.sandbox.Sandbox;
import dev.drydock.sandbox.SandboxBackend;
import dev.drydock.sandbox.SandboxOptions;
import dev.drydock.sandbox.SandboxPolicy;
import dev.drydock.sandbox.SandboxSpec;
import dev.drydock.sandbox.PathPattern;
import dev.drydock.sandbox.WorkspaceSource;
import dev.drydock.sandbox.select.SandboxBackends;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jspecify.annotations.Nullable;
import java.util.Objects;

/**
 * Creates session sandboxes through the sandbox-manager API, with the policy from {@code
 * drydock.sandbox.*}, on the backend {@code drydock.sandbox.backend} names: {@code local}
 * (bubblewrap, the default) or {@code kubernetes} (locked-down pods in the sandbox namespace).
 */
@ApplicationScoped
public class SessionSandboxes {
    // Both made together on first use by backend().
    private volatile @Nullable SandboxBackend backend;
    private volatile @Nullable SandboxPolicy policy;

    /** A sandbox for a session, filled from the mirror at the commit (without the withheld paths) when a repo is given. */
    public Sandbox create(String sessionId, String workspace, Optional<Path> mirror, String commit, List<PathPattern> withheld) {
        SandboxBackend b = backend();
        SandboxSpec spec = Objects.requireNonNull(policy, "set by backend()").spec(sessionId, workspace);
        if (mirror.isPresent()) {
            spec = spec.withSource(new WorkspaceSource(mirror.get(), commit, withheld));
        }
        return b.create(spec);
    }

    private SandboxBackend backend() {
        SandboxBackend b = backend;
        if (b == null) {
            synchronized (this) {
                if (backend == null) {
                    SandboxOptions options = SandboxOptions.fromConfig(key -> ConfigProvider.getConfig().getOptionalValue(key, String.class));
                    policy = new SandboxPolicy(options);
                    backend = SandboxBackends.create(options, Clock.systemUTC());
                }
                b = backend;
            }
        }
        return b;
    }

    @PreDestroy
    void close() {
        if (backend != null) {
            backend.close();
        }
    }
}
