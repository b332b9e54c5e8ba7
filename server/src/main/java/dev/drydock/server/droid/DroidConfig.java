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

    /**
     * Directory of git mirrors an operator provides beside registered repositories, mapped to
     * workspaces by folder: {@code <mirror-root>/<workspace>/<repo>[.git]} serves sessions of that
     * workspace only. Entries directly under the root belong to no workspace and are ignored.
     */
    @WithDefault("${drydock.appliance.home}/mirrors")
    Path mirrorRoot();
}
