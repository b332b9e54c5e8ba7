package dev.drydock.sandbox;

import java.time.Duration;
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
 */
public record SandboxSpec(
        String sessionId,
        String workspaceId,
        String image,
        Optional<String> runtimeClass,
        SandboxLimits limits,
        Duration ttl,
        Optional<WorkspaceSource> source,
        Optional<SetupStep> setup) {

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
        runtimeClass.ifPresent(
                rc -> {
                    if (!RUNTIME_CLASS.matcher(rc).matches()) {
                        throw new InvalidSpecException("runtime class '" + rc + "' is not a valid Kubernetes name");
                    }
                });
        source = source == null ? Optional.empty() : source;
        setup = setup == null ? Optional.empty() : setup;
    }

    private static void labelValue(String what, String value) {
        if (value == null || !LABEL_VALUE.matcher(value).matches()) {
            throw new InvalidSpecException(
                    what + " '" + value + "' is invalid: 1-63 characters [A-Za-z0-9-_.], starting and ending alphanumeric");
        }
    }

    public SandboxSpec withLimits(SandboxLimits newLimits) {
        return new SandboxSpec(sessionId, workspaceId, image, runtimeClass, newLimits, ttl, source, setup);
    }

    public SandboxSpec withSource(WorkspaceSource newSource) {
        return new SandboxSpec(sessionId, workspaceId, image, runtimeClass, limits, ttl, Optional.of(newSource), setup);
    }

    public SandboxSpec withSetup(SetupStep step) {
        return new SandboxSpec(sessionId, workspaceId, image, runtimeClass, limits, ttl, source, Optional.of(step));
    }

    public SandboxSpec withImage(String newImage) {
        return new SandboxSpec(sessionId, workspaceId, newImage, runtimeClass, limits, ttl, source, setup);
    }

    public SandboxSpec withRuntimeClass(Optional<String> rc) {
        return new SandboxSpec(sessionId, workspaceId, image, rc, limits, ttl, source, setup);
    }

    public SandboxSpec withTtl(Duration newTtl) {
        return new SandboxSpec(sessionId, workspaceId, image, runtimeClass, limits, newTtl, source, setup);
    }
}
