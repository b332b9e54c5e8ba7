package dev.drydock.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What to create. Build specs with {@link SandboxPolicy#spec} so that droid sessions and the
 * operator command get exactly the same policy.
 *
 * @param sessionId the droid session the sandbox belongs to (a label value)
 * @param workspaceId the workspace the sandbox holds (a label value)
 * @param image container image (Kubernetes backend; ignored by the local backend, which uses the host
 *     file system read-only)
 * @param runtimeClass Kubernetes RuntimeClass (gVisor, Kata), empty for the cluster default
 * @param limits resource limits
 * @param ttl the sandbox is destroyed this long after creation, whatever happens
 * @param source how to fill the workspace; empty for an empty workspace
 * @param setup a command run once at creation, the only one that sees secrets
 * @param mirrors package mirrors the sandbox may reach (local: through the backend's proxy;
 *     Kubernetes: a NetworkPolicy per pod); empty for none
 * @param cacheRoot the workspace's dependency-cache folder (local backend): caches per build tool and
 *     lock-file hash, filled by setup steps and bound read-only into later sandboxes; empty for none
 */
public record SandboxSpec(
        String sessionId,
        String workspaceId,
        String image,
        Optional<String> runtimeClass,
        SandboxLimits limits,
        Duration ttl,
        Optional<WorkspaceSource> source,
        Optional<SetupStep> setup,
        List<PackageMirror> mirrors,
        Optional<Path> cacheRoot) {

    private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern RUNTIME_CLASS = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    public SandboxSpec {
        labelValue("session id", sessionId);
        labelValue("workspace id", workspaceId);
        image = image == null ? "" : image.strip();
        if (limits == null) {
            throw new InvalidSpecException("limits are required");
        }
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new InvalidSpecException("ttl must be positive, got " + ttl);
        }
        runtimeClass = runtimeClass == null ? Optional.empty() : runtimeClass;
        runtimeClass.ifPresent(rc -> {
            if (!RUNTIME_CLASS.matcher(rc).matches()) {
                throw new InvalidSpecException("runtime class '" + rc + "' is not a valid Kubernetes name");
            }
        });
        source = source == null ? Optional.empty() : source;
        setup = setup == null ? Optional.empty() : setup;
        mirrors = mirrors == null ? List.of() : List.copyOf(mirrors);
        cacheRoot = cacheRoot == null ? Optional.empty() : cacheRoot;
        var names = new HashSet<String>();
        for (PackageMirror m : mirrors) {
            if (!names.add(m.name())) {
                throw new InvalidSpecException("mirror '" + m.name() + "' is listed twice");
            }
        }
    }

    /** The first mirror of a kind, if the sandbox may reach one. */
    public Optional<PackageMirror> mirror(PackageMirror.Kind kind) {
        return mirrors.stream().filter(m -> m.kind() == kind).findFirst();
    }

    public SandboxSpec withMirrors(List<PackageMirror> newMirrors) {
        return new SandboxSpec(
                sessionId, workspaceId, image, runtimeClass, limits, ttl, source, setup, newMirrors, cacheRoot);
    }

    public SandboxSpec withCacheRoot(Path root) {
        return new SandboxSpec(
                sessionId, workspaceId, image, runtimeClass, limits, ttl, source, setup, mirrors, Optional.of(root));
    }

    private static void labelValue(String what, String value) {
        if (value == null || !LABEL_VALUE.matcher(value).matches()) {
            throw new InvalidSpecException(what + " '" + value
                    + "' is invalid: 1-63 characters [A-Za-z0-9-_.], starting and ending alphanumeric");
        }
    }

    public SandboxSpec withLimits(SandboxLimits newLimits) {
        return new SandboxSpec(
                sessionId, workspaceId, image, runtimeClass, newLimits, ttl, source, setup, mirrors, cacheRoot);
    }

    public SandboxSpec withSource(WorkspaceSource newSource) {
        return new SandboxSpec(
                sessionId,
                workspaceId,
                image,
                runtimeClass,
                limits,
                ttl,
                Optional.of(newSource),
                setup,
                mirrors,
                cacheRoot);
    }

    public SandboxSpec withSetup(SetupStep step) {
        return new SandboxSpec(
                sessionId,
                workspaceId,
                image,
                runtimeClass,
                limits,
                ttl,
                source,
                Optional.of(step),
                mirrors,
                cacheRoot);
    }

    public SandboxSpec withImage(String newImage) {
        return new SandboxSpec(
                sessionId, workspaceId, newImage, runtimeClass, limits, ttl, source, setup, mirrors, cacheRoot);
    }

    public SandboxSpec withRuntimeClass(Optional<String> rc) {
        return new SandboxSpec(sessionId, workspaceId, image, rc, limits, ttl, source, setup, mirrors, cacheRoot);
    }

    public SandboxSpec withTtl(Duration newTtl) {
        return new SandboxSpec(
                sessionId, workspaceId, image, runtimeClass, limits, newTtl, source, setup, mirrors, cacheRoot);
    }
}
