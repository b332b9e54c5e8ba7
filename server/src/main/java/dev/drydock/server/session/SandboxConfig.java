package dev.drydock.server.session;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/**
 * What the server itself decides for droid sessions' sandboxes. The sandboxes' own keys ({@code
 * drydock.sandbox.*}) are declared once, in sandbox-manager's {@code SandboxKey}, which reads them.
 */
@ConfigMapping(prefix = "drydock.dependency-caches")
public interface SandboxConfig {
    /**
     * Folder of the per-workspace dependency caches (issue #18): one folder per workspace, build tool
     * and hash of its lock or build files, filled by setup steps of sandboxes whose workspace chose a
     * package mirror and bound read-only into later ones. Default: `build-caches` in the appliance's home (`drydock.appliance.home`).
     */
    Optional<String> folder();
}
