package dev.drydock.server.session;

import dev.drydock.sandbox.DependencyCacheFolder;
import dev.drydock.sandbox.MirrorLog;
import dev.drydock.sandbox.PackageMirror;
import dev.drydock.sandbox.PathPattern;
import dev.drydock.sandbox.Sandbox;
import dev.drydock.sandbox.SandboxBackend;
import dev.drydock.sandbox.SandboxOptions;
import dev.drydock.sandbox.SandboxPolicy;
import dev.drydock.sandbox.SandboxSpec;
import dev.drydock.sandbox.SetupStep;
import dev.drydock.sandbox.WorkspaceSource;
import dev.drydock.sandbox.select.SandboxBackends;
import dev.drydock.server.agent.EventLog;
import dev.drydock.server.agent.event.Source;
import dev.drydock.server.agent.event.Telemetry;
import dev.drydock.server.appliance.ApplianceConfig;
import dev.drydock.server.mirror.PackageMirrors;
import dev.drydock.server.mirror.RepositorySetups;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Creates session sandboxes through the sandbox-manager API, with the policy from {@code
 * drydock.sandbox.*}, on the backend {@code drydock.sandbox.backend} names: {@code local}
 * (bubblewrap, the default) or {@code kubernetes} (locked-down pods in the sandbox namespace).
 */
@ApplicationScoped
public class SessionSandboxes {
    private static final Logger LOG = Logger.getLogger(SessionSandboxes.class);
    private static final Duration SETUP_TIMEOUT = Duration.ofMinutes(20);

    @Inject
    PackageMirrors packageMirrors;

    @Inject
    RepositorySetups setups;

    @Inject
    EventLog log;

    @Inject
    SandboxConfig config;

    @Inject
    ApplianceConfig appliance;

    // Both made together on first use by backend().
    private volatile @Nullable SandboxBackend backend;
    private volatile @Nullable SandboxPolicy policy;

    /**
     * A sandbox for a session, filled from the mirror at the commit (without the withheld paths) when a
     * repo is given, reaching the package mirrors its workspace chose (issue #18), with the repository's
     * setup step run first: only that step gets the mirror credentials. The setup is recorded in the
     * session's log (command, mirrors, secret names; never values).
     */
    public Sandbox create(
            String sessionId,
            String workspace,
            String repo,
            Optional<Path> mirror,
            String commit,
            List<PathPattern> withheld) {
        SandboxBackend b = backend();
        SandboxSpec spec = Objects.requireNonNull(policy, "set by backend()").spec(sessionId, workspace);
        if (mirror.isPresent()) {
            spec = spec.withSource(new WorkspaceSource(mirror.get(), commit, withheld));
        }
        PackageMirrors.SandboxMirrors chosen = packageMirrors.forSandbox(workspace);
        if (!chosen.mirrors().isEmpty()) {
            spec = spec.withMirrors(chosen.mirrors())
                    .withCacheRoot(dependencyCaches().resolve(workspace));
        }
        Optional<RepositorySetups.Setup> setup =
                repo.isEmpty() ? Optional.empty() : setups.forSession(workspace, repo, mirror, commit);
        if (setup.isPresent()) {
            spec = spec.withSetup(
                    new SetupStep(List.of("sh", "-c", setup.get().command()), chosen.setupSecretEnv(), SETUP_TIMEOUT));
        }
        Sandbox sandbox = b.create(spec);
        if (spec.cacheRoot().isPresent()) {
            evictCaches(spec.ttl());
        }
        setup.ifPresent(s -> log.append(
                sessionId,
                Source.SYSTEM,
                new Telemetry.SetupCompleted(
                        s.command(),
                        s.origin(),
                        chosen.mirrors().stream().map(PackageMirror::name).toList(),
                        chosen.secretNames())));
        return sandbox;
    }

    /** Records what a sandbox asked of the mirror proxy in its session's log (refusals also reach the audit trail through it). */
    void mirrorRequest(MirrorLog.MirrorRequest r) {
        try {
            log.append(
                    r.sessionId(),
                    Source.SYSTEM,
                    new Telemetry.MirrorRequested(r.method(), r.target(), r.mirror(), r.allowed(), r.setup()));
        } catch (RuntimeException e) {
            LOG.warnf(
                    "sandbox %s of session %s: cannot record %s %s (%s): %s",
                    r.sandboxId(),
                    r.sessionId(),
                    r.method(),
                    r.target(),
                    r.allowed() ? "allowed" : "refused",
                    e.getMessage());
        }
    }

    /** What the dependency-cache folder holds, its bound, and the caches evicted since the server started. */
    public record CacheReport(
            String folder,
            long maxBytes,
            long bytes,
            List<DependencyCacheFolder.Entry> caches,
            long evictedSinceStart,
            long evictedBytesSinceStart) {}

    /** The dependency-cache folder's caches, least recently used first. */
    public CacheReport caches() {
        Path folder = dependencyCaches();
        DependencyCacheFolder.Usage usage = DependencyCacheFolder.usage(folder);
        return new CacheReport(
                folder.toString(),
                config.maxSize().asLongValue(),
                usage.bytes(),
                usage.entries(),
                evicted.get(),
                evictedBytes.get());
    }

    private final java.util.concurrent.atomic.AtomicLong evicted = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong evictedBytes = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicBoolean evicting = new java.util.concurrent.atomic.AtomicBoolean();

    /** Bounds the cache folder in the background (one eviction at a time; a run already going covers this one). */
    private void evictCaches(Duration ttl) {
        if (!evicting.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("dependency-cache-eviction").start(() -> {
            try {
                for (DependencyCacheFolder.Entry e : DependencyCacheFolder.evict(
                        dependencyCaches(),
                        config.maxSize().asLongValue(),
                        java.time.Instant.now().minus(ttl))) {
                    evicted.incrementAndGet();
                    evictedBytes.addAndGet(e.bytes());
                    LOG.infof(
                            "dependency cache evicted (least recently used, %s over its bound): %s/%s/%s, %d bytes, last used %s",
                            "drydock.dependency-caches.max-size",
                            e.workspace(),
                            e.tool(),
                            e.key(),
                            e.bytes(),
                            e.lastUsed());
                }
            } catch (RuntimeException e) {
                LOG.warnf("dependency cache eviction failed: %s", e.getMessage());
            } finally {
                evicting.set(false);
            }
        });
    }

    private Path dependencyCaches() {
        return config.folder()
                .map(Path::of)
                .orElseGet(() -> Path.of(appliance.home()).resolve("build-caches"))
                .toAbsolutePath();
    }

    private SandboxBackend backend() {
        SandboxBackend b = backend;
        if (b == null) {
            synchronized (this) {
                if (backend == null) {
                    SandboxOptions options = SandboxOptions.fromConfig(
                            key -> ConfigProvider.getConfig().getOptionalValue(key, String.class));
                    policy = new SandboxPolicy(options);
                    backend = SandboxBackends.create(options, Clock.systemUTC(), this::mirrorRequest);
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
