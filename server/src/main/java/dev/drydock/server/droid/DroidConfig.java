package dev.drydock.server.droid;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** Droid profiles and the git mirrors droids work on; models come from the gateway ({@code drydock.gateway.*}). */
@ConfigMapping(prefix = "drydock.droid")
public interface DroidConfig {
    /** Directory of admin-provided profile overrides ({@code <name>.yaml}) and prompt templates; built-ins otherwise. */
    Optional<Path> profilesDir();

    /** Directory holding the server's git mirrors of repositories: one bare or plain git directory per repository, named after it (with or without .git). */
    @WithDefault("${drydock.appliance.home}/mirrors")
    Path mirrorRoot();

    /** A code search index (built by ./drydock index) used by search_code for the repositories it holds; grep otherwise. */
    Optional<Path> indexDir();
}
