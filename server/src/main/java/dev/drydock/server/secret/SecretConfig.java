package dev.drydock.server.secret;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the key that encrypts workspace secrets lives ({@code drydock.secrets.*}). */
@ConfigMapping(prefix = "drydock.secrets")
public interface SecretConfig {
    /**
     * File holding the 256-bit key-encryption key of workspace secrets. It is never stored in the
     * database: created on first start (owner-only, 0600) when missing. Keep it out of database
     * backups; without it the stored secrets cannot be read. Non-appliance deployments point this at
     * a mounted secret file.
     */
    @WithDefault("${drydock.appliance.home}/secrets/workspace-secrets.key")
    String keyFile();
}
