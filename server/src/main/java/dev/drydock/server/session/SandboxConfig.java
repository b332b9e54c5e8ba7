package dev.drydock.server.session;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
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

    /**
     * The most the dependency caches of all workspaces hold together (e.g. `20G`, `500M`). After each
     * sandbox with a cache, the least recently used caches (last filled or bound into a sandbox) are
     * removed until the folder fits; a cache used within the sandbox time-to-live, which a live sandbox
     * may still have bound, is kept even when that leaves the folder over the bound. What the folder
     * holds: `GET /api/admin/dependency-caches`.
     */
    @WithDefault("20G")
    MemorySize maxSize();
}
